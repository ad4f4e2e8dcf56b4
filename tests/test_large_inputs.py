"""A 200 MB input: memory stays bounded. Refused by default (a clean, located error, the audit goes on);
read when the limit is raised, with peak memory measured on the child process (a bound, not a speed goal)."""
from __future__ import annotations

import json
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import FIXTURES

MB = 2 ** 20
# What really makes core-router exports huge: routes and prefix lists, none of it IPsec.
_ROUTES = "".join(f"ip route 10.{i % 250}.{i // 250 % 250}.0 255.255.255.0 192.0.2.{i % 200 + 1} tag {i}\n"
                  f"ip prefix-list PL-{i % 900} seq {i % 4000 * 5 + 5} permit 10.{i % 250}.0.0/16 le 24\n"
                  for i in range(20_000))


@pytest.fixture(scope="module")
def huge_config(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("huge") / "core-200mb.cfg"
    with path.open("w") as f:
        f.write((FIXTURES / "pairs" / "ikev1-map.cfg").read_text())
        while f.tell() < 200 * MB:
            f.write(_ROUTES)
    return path


def _run(*args: str) -> tuple[subprocess.CompletedProcess, int]:
    """Run the CLI in a fresh child and return its result and the child's peak RSS in MB."""
    code = ("import resource, subprocess, sys; p = subprocess.run(sys.argv[1:], capture_output=True, text=True); "
            "print(p.returncode); print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss); "
            "sys.stdout.write(p.stdout); sys.stderr.write(p.stderr)")
    cli = [sys.executable, "-c", "from analyzer.cli import main; main()"]
    out = subprocess.run([sys.executable, "-c", code, *cli, *args], capture_output=True, text=True, timeout=600)
    rc, rss_kb, stdout = out.stdout.split("\n", 2)
    return subprocess.CompletedProcess(args, int(rc), stdout, out.stderr), int(rss_kb) // 1024


def test_200mb_file_is_refused_without_reading_it(huge_config):
    res, peak = _run("check", str(FIXTURES / "pairs" / "ikev1-map.json"), str(huge_config))
    assert res.returncode == 2
    assert f"{huge_config}: file is 200.8 MB, larger than the 64.0 MB limit (--max-file-size 64)" in res.stderr
    assert "Traceback" not in res.stderr
    assert peak < 150, f"peak RSS {peak} MB"


def test_200mb_file_in_an_audit_is_reported_and_the_rest_goes_on(huge_config, tmp_path):
    (tmp_path / "huge.cfg").symlink_to(huge_config)
    (tmp_path / "conn.json").write_text((FIXTURES / "pairs" / "ikev1-map.json").read_text())
    (tmp_path / "branch.cfg").write_text((FIXTURES / "pairs" / "ikev1-map.cfg").read_text())
    res, peak = _run("audit", str(tmp_path), "--format", "json", "--jobs", "1")
    assert res.returncode == 2
    report = json.loads(res.stdout)
    assert [e["file"] for e in report["errors"]] == [str(tmp_path / "huge.cfg")]
    assert [p["device"] for p in report["pairs"]] == [str(tmp_path / "branch.cfg")]
    assert peak < 200, f"peak RSS {peak} MB"


def test_200mb_file_read_when_allowed_stays_within_three_times_its_size(huge_config):
    res, peak = _run("--max-file-size", "256", "check", "--format", "json",
                     str(FIXTURES / "pairs" / "ikev1-map.json"), str(huge_config))
    assert res.returncode in (0, 1), res.stderr
    pair = json.loads(res.stdout)["pairs"][0]
    assert pair["endpoint"]  # the IPsec section at the top was found among 4 million route lines
    assert peak < 3 * 200, f"peak RSS {peak} MB for a 200 MB file"
