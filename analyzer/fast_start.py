"""What a CLI run does before anything else is imported, and how it ends (issue 16, cold start).

Each step is measured with valgrind instruction counts on `check` of fixtures/example (docs/performance.md):
- pydantic's plugin loader imports importlib.metadata (and email, zipfile, csv ...) at module level, even when
  PYDANTIC_DISABLE_PLUGINS turns the scan off: ~38 M instructions, 1x `python -c pass`. When the user did not
  set PYDANTIC_DISABLE_PLUGINS, we set it and give pydantic a loader that returns no plugin, as the real one
  does under that setting. An explicit setting (any value) wins: the real loader then runs.
- start-up allocates ~400,000 objects (imports, class and schema building), almost none of them cyclic
  garbage; with the default young-generation threshold (700) the collector walks them about 600 times
  (~32 M). A higher threshold keeps the collector on, just less often.
- the interpreter's teardown (freeing every module, class and schema one by one) costs ~60 M; `leave`
  skips it once the command is done: exit handlers run and the standard streams are flushed first.
"""
from __future__ import annotations

import gc
import os
import sys
import types

PLUGINS_ENV = "PYDANTIC_DISABLE_PLUGINS"
_LOADER = "pydantic.plugin._loader"  # imported by pydantic only inside create_schema_validator
YOUNG_THRESHOLD = 100_000


def no_plugin_scan(environ=os.environ) -> bool:
    """Plugins off unless the user chose otherwise; True when our no-plugin loader is in place."""
    if PLUGINS_ENV in environ:
        return False
    environ[PLUGINS_ENV] = "__all__"
    if _LOADER in sys.modules:  # pydantic already loaded it (a test run): nothing left to save
        return False
    loader = types.ModuleType(_LOADER, "No pydantic plugins: PYDANTIC_DISABLE_PLUGINS=__all__ (analyzer.fast_start).")
    loader.get_plugins = _no_plugins
    sys.modules[_LOADER] = loader
    return True


def _no_plugins() -> tuple:
    return ()


def fewer_collections() -> None:
    """The young-generation threshold raised for the run (never lowered: a caller's higher value stays)."""
    young, middle, old = gc.get_threshold()
    if young and young < YOUNG_THRESHOLD:
        gc.set_threshold(YOUNG_THRESHOLD, middle, old)


def leave(code: int) -> None:
    """End the process with ``code`` without the interpreter's teardown, once nothing can still need it:
    exit handlers run, stdout and stderr are flushed. Returns (the caller then exits normally) when another
    thread is alive or a flush fails (a closed pipe: Python's own exit reports it as it always does)."""
    import atexit
    import threading

    if threading.active_count() > 1 or not _flushed():
        return
    atexit._run_exitfuncs()  # runs each handler once (the list is cleared): a normal exit after it is safe
    if _flushed():
        os._exit(code)


def _flushed() -> bool:
    try:
        for stream in (sys.stdout, sys.stderr):
            if stream is not None:
                stream.flush()
    except (OSError, ValueError):
        return False
    return True
