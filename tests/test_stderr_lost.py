"""Standard error closed (`2>&-`) or refused (`2>/dev/full`): the report on stdout is whole and alone, and the exit
code is the verdict's. Notes are in every report format too, so losing their stderr copy loses nothing.
Before: with stderr closed, Python's print(file=None) sent the notes to stdout, in front of a JSON report; with
stderr on a full device, the first note aborted the run (no report, exit 1 from the interpreter whatever the verdict)."""
import json
import os
import subprocess
import sys

import pytest

from conftest import FIXTURES

EXAMPLE = [str(FIXTURES / "example" / "connection.json"), str(FIXTURES / "example" / "branch-router.cfg")]
RUN = [sys.executable, "-c", "from analyzer.cli import entry; entry()"]


def _closed_stderr():
    os.close(2)


@pytest.mark.parametrize("fmt", ["json", "sarif"])
def test_closed_stderr_leaves_the_report_alone_on_stdout(fmt):
    out = subprocess.run([*RUN, "check", "--format", fmt, *EXAMPLE], stdout=subprocess.PIPE, text=True,
                         cwd=FIXTURES.parent, preexec_fn=_closed_stderr)
    assert out.returncode == 1
    assert "ipsec-preflight: note" not in out.stdout
    json.loads(out.stdout)  # the whole stdout is the report


def test_closed_stderr_input_error_is_still_exit_2():
    out = subprocess.run([*RUN, "check", "--format", "json", EXAMPLE[0], "/nonexistent/device.cfg"],
                         stdout=subprocess.PIPE, text=True, cwd=FIXTURES.parent, preexec_fn=_closed_stderr)
    assert out.returncode == 2
    assert json.loads(out.stdout)["errors"]


@pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")
@pytest.mark.parametrize("args", [["check", "--format", "json", *EXAMPLE],
                                  ["check", "--format", "json", EXAMPLE[0], "/nonexistent/device.cfg"],
                                  ["audit", "--no-config", "--format", "json", str(FIXTURES / "audit")]])
def test_stderr_on_a_full_device_gives_the_same_report_and_verdict(args):
    """The same stdout and exit code as with stderr working (each of these runs writes notes or errors there)."""
    ok = subprocess.run([*RUN, *args], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=FIXTURES.parent)
    assert ok.stderr and ok.returncode in (1, 2)
    with open("/dev/full", "w") as full:
        out = subprocess.run([*RUN, *args], stdout=subprocess.PIPE, stderr=full, text=True, cwd=FIXTURES.parent)
    assert (out.returncode, out.stdout) == (ok.returncode, ok.stdout)
