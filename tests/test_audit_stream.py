"""The audit report written as devices are checked (issue 16) is byte for byte the report the buffered path
writes: every streamed format, with findings, input errors, skipped files, baselined and stale entries,
--statistics and --quiet, to stdout and to -o FILE; same exit code and stderr."""
import json
import shutil

import pytest
from typer.testing import CliRunner

from analyzer.cli import app  # first: it registers the audit command from audit_cli
from analyzer import audit_cli  # noqa: E402
from conftest import FIXTURES

runner = CliRunner()


def _run(monkeypatch, stream: bool, args: list) -> tuple[int, str, str]:
    monkeypatch.setattr(audit_cli, "STREAM", stream)
    r = runner.invoke(app, ["audit", *map(str, args)])
    assert r.exception is None or isinstance(r.exception, SystemExit), r.exception
    return r.exit_code, r.stdout, r.stderr


def _both(monkeypatch, args: list) -> tuple[int, str, str]:
    streamed = _run(monkeypatch, True, args)
    buffered = _run(monkeypatch, False, args)
    assert streamed == buffered
    return streamed


@pytest.fixture
def tree(tmp_path):
    """The audit fixture (findings, cross findings, a truncated JSON, a non-config file) plus files audit skips."""
    root = tmp_path / "audit"
    shutil.copytree(FIXTURES / "audit", root)
    (root / "README.md").write_text("crypto isakmp policy 1\n")
    (root / "notes.yaml").write_text("a: 1\n")
    return root


@pytest.fixture
def clean(tree):
    """The same without the files that are input errors: exit 1 on findings instead of 2."""
    (tree / "alibaba" / "truncated-export.json").unlink()
    (tree / "devices" / "other" / "change-notes.txt").unlink()
    return tree


FORMATS = ["text", "json", "sarif"]


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("extra", [[], ["--quiet"], ["--statistics"], ["--exit-zero"], ["--fail-on", "info"]])
def test_streamed_equals_buffered(monkeypatch, tree, clean, fmt, extra):
    code, out, err = _both(monkeypatch, [clean, "--no-config", "--format", fmt, *extra])
    if code == 2:  # a combination the command refuses (--statistics with SARIF): refused alike
        assert extra == ["--statistics"] and fmt == "sarif" and "--statistics" in err
        return
    assert code == (0 if "--exit-zero" in extra else 1)
    assert "DualTunnelAlternation" in out or "--quiet" in extra and fmt == "text" and "Alibaba tunnel" in out


@pytest.mark.parametrize("fmt", FORMATS)
def test_input_errors_and_skipped_files(monkeypatch, tree, fmt):
    code, out, err = _both(monkeypatch, [tree, "--no-config", "--format", fmt])
    assert code == 2 and "truncated-export.json" in err and "change-notes.txt" in err
    if fmt == "json":
        doc = json.loads(out)
        assert doc["errors"] and {s["file"].rsplit("/", 1)[-1] for s in doc["audit"]["skipped"]} >= {"README.md", "notes.yaml"}


@pytest.mark.parametrize("fmt", FORMATS)
def test_output_file(monkeypatch, tree, clean, tmp_path, fmt):
    outputs = []
    for stream in (True, False):
        target = tmp_path / f"report-{stream}.{fmt}"
        target.write_text("previous")
        assert _run(monkeypatch, stream, [clean, "--no-config", "--format", fmt, "-o", target])[0] == 1
        outputs.append(target.read_bytes())
    assert outputs[0] == outputs[1] and len(outputs[0]) > 1000
    assert not list(tmp_path.glob(".report-*.tmp"))


@pytest.mark.parametrize("fmt", FORMATS)
def test_baselined_and_stale_entries(monkeypatch, tree, clean, tmp_path, fmt):
    baseline = tmp_path / "baseline.json"
    code, _, _ = _run(monkeypatch, False, [clean, "--no-config", "--write-baseline", baseline])
    doc = json.loads(baseline.read_text())
    entries = doc["entries"]
    assert len(entries) > 3
    stale = dict(entries[0], fingerprint="0" * 64, message="a finding that is gone")
    entries[:] = entries[1:3] + [stale]  # two findings baselined, one entry stale
    baseline.write_text(json.dumps(doc))
    code, out, err = _both(monkeypatch, [clean, "--no-config", "--format", fmt, "--baseline", baseline])
    assert code == 1 and "no longer occur" in err


def test_unreadable_baseline_is_an_input_error_in_both(monkeypatch, clean, tmp_path):
    bad = tmp_path / "bad-baseline.json"
    bad.write_text("{not json")
    code, out, err = _both(monkeypatch, [clean, "--no-config", "--format", "json", "--baseline", bad])
    assert code == 2 and "bad-baseline.json" in err


def test_many_devices_on_workers(monkeypatch, clean):
    """Enough devices for the worker pool: results come back in file order, as the buffered report sorts them."""
    src = clean / "devices" / "other" / "sh-branch-ar01.cfg"
    for i in range(40):
        shutil.copy(src, clean / "devices" / f"copy-{i:02d}.cfg")
    _both(monkeypatch, [clean, "--no-config", "--format", "json", "--jobs", "2"])
    _both(monkeypatch, [clean, "--no-config", "--format", "text", "--jobs", "2"])


@pytest.mark.parametrize("fmt", FORMATS)
def test_notes_of_a_page_of_a_longer_list(monkeypatch, clean, fmt):
    page = clean / "alibaba" / "describe-vpn-connections.json"
    doc = json.loads(page.read_text())
    doc["TotalCount"] = 50  # this page holds 5 of 50 connections: said as a note in every format
    page.write_text(json.dumps(doc))
    code, out, err = _both(monkeypatch, [clean, "--no-config", "--format", fmt])
    assert "5 of 50 connections" in out and "5 of 50 connections" in err


def test_report_written_into_the_audited_folder(monkeypatch, clean):
    """-o FILE inside the audited folder: its temporary file appears only after the inputs are listed."""
    reports = []
    for stream in (True, False):
        target = clean / f"report-{stream}.txt"
        code, out, err = _run(monkeypatch, stream, [clean, "--no-config", "-o", target])
        assert code == 1 and "report-" not in err, err
        reports.append(target.read_text())
        target.unlink()
    assert reports[0] == reports[1] and "Audit summary" in reports[0]


def test_a_reader_that_goes_away_keeps_the_input_errors_and_the_exit_code():
    """`audit ... | head -1`: v0.3.0 wrote the report at the end, so its errors and exit 2 survived the pipe; the
    streamed report must not lose them when the reader closes the pipe early (review r3-1)."""
    import subprocess
    import sys as _sys

    proc = subprocess.Popen([_sys.executable, "-m", "analyzer.cli", "audit", "--no-config", "fixtures/audit"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=FIXTURES.parent)
    proc.stdout.readline()
    proc.stdout.close()  # the reader goes away after one line
    err = proc.stderr.read().decode()
    assert proc.wait() == 2
    assert "truncated-export.json:26: invalid JSON" in err and "change-notes.txt" in err
    assert "Traceback" not in err and "BrokenPipe" not in err


def test_a_temporary_report_left_by_a_killed_run_is_skipped_not_an_input_error(tmp_path):
    import shutil
    import subprocess
    import sys as _sys

    shutil.copytree(FIXTURES / "audit" / "devices", tmp_path / "devices")
    cmd = [_sys.executable, "-m", "analyzer.cli", "audit", "--no-config", "--format", "json", str(tmp_path)]
    clean = subprocess.run(cmd, capture_output=True, text=True, cwd=FIXTURES.parent)
    (tmp_path / ".report.json.0a1b2c3d.tmp").write_text('{"tool": "ipsec-preflight", "pairs": [')  # cut short
    out = subprocess.run(cmd, capture_output=True, text=True, cwd=FIXTURES.parent)
    assert ".report.json.0a1b2c3d.tmp" not in out.stderr and out.returncode == clean.returncode
    skipped = json.loads(out.stdout)["audit"]["skipped"]
    assert any(s["file"].endswith(".report.json.0a1b2c3d.tmp") and "was writing" in s["reason"] for s in skipped)
