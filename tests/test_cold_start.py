"""Cold start of `check` and `hook` (issue 16 item 2): what a run imports and builds, not how long it takes.
The figures are in docs/performance.md (bench/run.py figure 1); here a regression that brings a module back
onto the start-up path, or builds models at import, fails."""
from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from analyzer import fast_start

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "fixtures" / "example"
CHECK = ["check", str(EXAMPLE / "connection.json"), str(EXAMPLE / "branch-router.cfg")]
# importlib.metadata (pydantic's plugin loader) and what it drags in; rich (typer's pretty output)
NOT_IMPORTED = ("importlib.metadata", "email", "zipfile", "csv", "rich", "pydantic.plugin._loader")


def _env(**extra) -> dict:
    env = {k: v for k, v in os.environ.items() if k != fast_start.PLUGINS_ENV}
    env.update(extra)
    return env


def _imported(args: list[str], cwd: Path = ROOT, env=None) -> tuple[set[str], subprocess.CompletedProcess]:
    proc = subprocess.run([sys.executable, "-X", "importtime", "-m", "analyzer.cli", *args], cwd=cwd,
                          capture_output=True, text=True, env=env or _env())
    names = set(re.findall(r"^import time:\s+\d+ \|\s+\d+ \|\s*(\S+)", proc.stderr, re.M))
    assert "analyzer.cli" in names or "typer" in names, proc.stderr[-2000:]
    return names, proc


def _unwanted(names: set[str]) -> list[str]:
    return sorted(n for n in names if n in NOT_IMPORTED or n.split(".")[0] in NOT_IMPORTED)


def test_check_imports_no_plugin_scan_and_no_rich():
    names, proc = _imported(CHECK)
    assert proc.returncode == 1, proc.stderr[-2000:]  # the example pair has errors: the check really ran
    assert "DhGroupMismatch" in proc.stdout
    assert _unwanted(names) == []


def test_hook_imports_no_plugin_scan_and_no_rich(tmp_path):
    shutil.copy(EXAMPLE / "branch-router.cfg", tmp_path / "branch-router.cfg")
    names, proc = _imported(["hook", "branch-router.cfg"], cwd=tmp_path)
    assert "linted only" in proc.stdout, proc.stdout + proc.stderr[-2000:]
    assert "analyzer.hook" in names
    assert _unwanted(names) == []


def test_an_explicit_plugin_setting_keeps_pydantic_loader():
    """PYDANTIC_DISABLE_PLUGINS set by the user (here: one plugin name) wins: pydantic's own loader runs."""
    code = ("import sys\nfrom analyzer.cli import main\nsys.argv = ['ipsec-preflight', *sys.argv[1:]]\n"
            "try:\n    main()\nexcept SystemExit:\n    pass\n"  # main() returns control: no fast exit here
            "loader = sys.modules.get('pydantic.plugin._loader')\n"
            "print('LOADER', getattr(loader, '__file__', None))\n")
    proc = subprocess.run([sys.executable, "-c", code, *CHECK], cwd=ROOT, capture_output=True, text=True,
                          env=_env(PYDANTIC_DISABLE_PLUGINS="some-plugin"))
    assert re.search(r"^LOADER .*pydantic.plugin._loader\.py$", proc.stdout, re.M), proc.stdout[-500:]


def test_plugin_setting_helpers():
    env = {fast_start.PLUGINS_ENV: ""}
    assert fast_start.no_plugin_scan(env) is False and env == {fast_start.PLUGINS_ENV: ""}
    env = {}
    fast_start.no_plugin_scan(env)
    assert env == {fast_start.PLUGINS_ENV: "__all__"}


def test_importing_the_model_builds_no_class():
    code = ("import analyzer.model as m\nfrom pydantic import BaseModel\n"
            "built = [n for n, c in vars(m).items() if isinstance(c, type) and issubclass(c, BaseModel)"
            " and c.__pydantic_complete__]\nprint('BUILT', built)\n"
            "m.Endpoint(name='x', kind='policy', ike=m.Ike(version='ikev2'), ipsec=m.Ipsec())\n"
            "print('ENDPOINT', m.Endpoint.__pydantic_complete__)\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert "BUILT []" in proc.stdout, proc.stdout + proc.stderr[-2000:]
    assert "ENDPOINT True" in proc.stdout  # its forward reference (notes: Diagnostic) resolves on first use


def test_console_entry_output_and_exit_code_as_main(tmp_path):
    """entry() (the console script) ends without the interpreter's teardown: same bytes, same exit code as
    main(), and a report written with --output is complete."""
    via_main = subprocess.run([sys.executable, "-c", "from analyzer.cli import main; main()", *CHECK], cwd=ROOT,
                              capture_output=True)
    via_entry = subprocess.run([sys.executable, "-m", "analyzer.cli", *CHECK], cwd=ROOT, capture_output=True)
    assert via_main.returncode == via_entry.returncode == 1
    assert via_main.stdout == via_entry.stdout and via_main.stdout
    assert via_main.stderr == via_entry.stderr
    out = tmp_path / "report.json"
    proc = subprocess.run([sys.executable, "-m", "analyzer.cli", *CHECK, "--format", "json", "-o", str(out)],
                          cwd=ROOT, capture_output=True)
    assert proc.returncode == 1 and out.read_text().rstrip().endswith("}")


def test_fast_exit_runs_exit_handlers_and_flushes():
    code = ("import atexit, sys\nfrom analyzer import fast_start\n"
            "atexit.register(lambda: print('handler ran'))\n"
            "sys.stdout.write('buffered, no newline')\nfast_start.leave(4)\nprint('not reached')\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True)
    assert proc.returncode == 4
    assert proc.stdout == "buffered, no newlinehandler ran\n"


def test_young_generation_threshold_raised_not_lowered():
    import gc

    before = gc.get_threshold()
    try:
        gc.set_threshold(700, before[1], before[2])
        fast_start.fewer_collections()
        assert gc.get_threshold()[0] == fast_start.YOUNG_THRESHOLD
        gc.set_threshold(fast_start.YOUNG_THRESHOLD * 2, before[1], before[2])
        fast_start.fewer_collections()
        assert gc.get_threshold()[0] == fast_start.YOUNG_THRESHOLD * 2
    finally:
        gc.set_threshold(*before)


def test_check_and_hook_build_no_typer_adapter(tmp_path):
    names, _ = _imported(CHECK)
    assert "typer._adapters" not in names
    shutil.copy(EXAMPLE / "branch-router.cfg", tmp_path / "branch-router.cfg")
    names, _ = _imported(["hook", "branch-router.cfg", "--format", "json", "--color", "never"], cwd=tmp_path)
    assert "typer._adapters" not in names


DEV = str(EXAMPLE / "branch-router.cfg")
CONN = str(EXAMPLE / "connection.json")
ARGS = [
    ["check", CONN, DEV, "--format", "bogus"],
    ["check", CONN, DEV, "--format", "JSON"],
    ["check", CONN, DEV, "--format", "json", "--vendor", "cisco-ios", "--fail-on", "info"],
    ["--max-file-size", "abc", "check", CONN, DEV],
    ["--max-file-size", "0", "check", CONN, DEV],
    ["--max-file-size", "nan", "check", CONN, DEV],
    ["check", CONN, DEV, "--max-file-size", "0.5", "--quiet"],
    ["check", CONN, DEV, "--disable", "PfsMismatch,dhgroupmismatch", "--statistics"],
    ["check", CONN, DEV, "--disable", "bogus"],
    ["check", CONN],
    ["check", "--connection", "vco-1", DEV],
    ["check", CONN, DEV, "--region", "cn-hangzhou"],
    ["--lang", "xx", "rules"],
    ["lint", DEV, DEV, "--color", "never", "--format", "sarif"],
    ["lint", DEV, "--color", "sometimes"],
    ["hook", "--format", "json", DEV],
    ["check", "-h"],
]


def test_direct_coercion_gives_typer_results_and_messages(monkeypatch):
    """Every value and every error as typer's own adapters give them (analyzer/typer_params.py switched off)."""
    from typer.testing import CliRunner

    from analyzer import typer_params
    from analyzer.cli import app

    def run_all():
        return [(r.exit_code, r.output) for r in (CliRunner().invoke(app, a) for a in ARGS)]

    direct = run_all()
    monkeypatch.setattr(typer_params, "RuntimeParam", None)
    assert direct == run_all()
    assert {code for code, _ in direct} >= {0, 1, 2}


def test_only_the_named_command_is_built(monkeypatch):
    from analyzer.cli import _invoked, app

    commands = app.registered_commands
    names = lambda args: [c.name or c.callback.__name__ for c in _invoked(commands, args)]  # noqa: E731
    assert names(["check", "a.json", "b.cfg"]) == ["check"]
    assert names(["--max-file-size", "5", "--lang", "zh", "fix-plan", "r.json"]) == ["fix-plan"]
    assert names(["--lang=zh", "--version", "hook", "x.cfg"]) == ["hook"]
    everything = names([])
    assert len(everything) == len(commands) >= 10
    for args in (["--help"], ["chek", "x"], ["--max-file-size", "check"], ["--", "check"]):
        assert names(args) == everything, args
    monkeypatch.setenv("_IPSEC_PREFLIGHT_COMPLETE", "complete_bash")
    assert names(["check"]) == everything


def test_help_lists_every_command():
    proc = subprocess.run([sys.executable, "-m", "analyzer.cli", "--help"], cwd=ROOT, capture_output=True, text=True)
    listed = set(re.findall(r"^[ │]*([a-z][a-z-]+)\s{2,}\S", proc.stdout, re.M))
    assert {"check", "lint", "hook", "show", "rules", "vendors", "fix-plan", "audit", "explain", "generate"} <= listed
