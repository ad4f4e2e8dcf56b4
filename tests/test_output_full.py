"""A report the disk refuses (stdout on a full device) is an I/O error said in one line with exit 2, never an
"internal error" (exit 3) and never a traceback (review r3: v0.3.0 and the streaming audit both gave exit 3)."""
import os
import subprocess
import sys

import pytest

from conftest import FIXTURES

pytestmark = pytest.mark.skipif(not os.path.exists("/dev/full"), reason="needs /dev/full (Linux)")

EXAMPLE = [str(FIXTURES / "example" / "connection.json"), str(FIXTURES / "example" / "branch-router.cfg")]


@pytest.mark.parametrize("args", [["check", *EXAMPLE], ["check", "--format", "json", *EXAMPLE],
                                  ["audit", "--no-config", str(FIXTURES / "audit")], ["rules"]])
def test_stdout_on_a_full_device_is_exit_2_with_a_message(args):
    with open("/dev/full", "w") as full:
        out = subprocess.run([sys.executable, "-c", "from analyzer.cli import entry; entry()", *args], stdout=full,
                             stderr=subprocess.PIPE, text=True, cwd=FIXTURES.parent)
    assert out.returncode == 2, out.stderr
    assert "cannot write the report: No space left on device" in out.stderr
    assert "internal error" not in out.stderr and "Traceback" not in out.stderr and "Exception ignored" not in out.stderr
