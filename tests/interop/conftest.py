"""The interop suite needs root, strongSwan and network namespaces. Without them every test skips with the
reason, and the session's summary says so in one line (never a silent pass)."""
from __future__ import annotations

import pytest

from interop.harness import Lab, Unavailable, unavailable_reason

_state: dict = {"checked": False, "reason": None, "negotiations": 0}


def skip_reason() -> str | None:
    if not _state["checked"]:
        _state["checked"], _state["reason"] = True, unavailable_reason()
    return _state["reason"]


@pytest.fixture(scope="session")
def lab():
    reason = skip_reason()
    if reason:
        pytest.skip(f"strongSwan interop not run: {reason}")
    try:
        with Lab() as made:
            real = made.negotiate

            def counted(*args, **kwargs):
                _state["negotiations"] += 1
                return real(*args, **kwargs)

            made.negotiate = counted
            yield made
    except Unavailable as exc:
        _state["reason"] = str(exc)
        pytest.skip(f"strongSwan interop not run: {exc}")


def pytest_terminal_summary(terminalreporter):
    if not _state["checked"]:
        return
    if _state["reason"]:
        terminalreporter.write_line(f"strongSwan interop suite SKIPPED: {_state['reason']}", yellow=True, bold=True)
    else:
        terminalreporter.write_line(f"strongSwan interop suite: {_state['negotiations']} real negotiations")
