"""The interop suite needs root, strongSwan, setpriv and network namespaces. Without them every test skips with
the reason, and the session's summary says so in one line (never a silent pass). With
IPSEC_PREFLIGHT_REQUIRE_INTEROP=1 (opt-in, for a runner known to allow namespaces) the same reason fails the
tests instead."""
from __future__ import annotations

import os

import pytest

from interop.harness import Lab, Unavailable, unavailable_reason

REQUIRE = "IPSEC_PREFLIGHT_REQUIRE_INTEROP"
_state: dict = {"checked": False, "reason": None, "negotiations": 0, "swept": []}


def skip_reason() -> str | None:
    if not _state["checked"]:
        _state["checked"], _state["reason"] = True, unavailable_reason()
    return _state["reason"]


def _not_run(reason: str):
    if os.environ.get(REQUIRE) == "1":
        pytest.fail(f"strongSwan interop required ({REQUIRE}=1) but cannot run: {reason}", pytrace=False)
    pytest.skip(f"strongSwan interop not run: {reason} (set {REQUIRE}=1 to make this a failure)")


@pytest.fixture(scope="session")
def lab():
    reason = skip_reason()
    if reason:
        _not_run(reason)
    try:
        with Lab() as made:
            _state["swept"] = made.swept
            real = made.negotiate

            def counted(*args, **kwargs):
                _state["negotiations"] += 1
                return real(*args, **kwargs)

            made.negotiate = counted
            yield made
    except Unavailable as exc:
        _state["reason"] = str(exc)
        _not_run(str(exc))


def pytest_terminal_summary(terminalreporter):
    if not _state["checked"]:
        return
    if _state["swept"]:
        terminalreporter.write_line(f"strongSwan interop: removed {len(_state['swept'])} namespaces/temp "
                                    "directories an interrupted earlier run left")
    if _state["reason"]:
        how = "FAILED" if os.environ.get(REQUIRE) == "1" else "SKIPPED"
        terminalreporter.write_line(f"strongSwan interop suite {how}: {_state['reason']}", yellow=True, bold=True)
    else:
        terminalreporter.write_line(f"strongSwan interop suite: {_state['negotiations']} real negotiations")
