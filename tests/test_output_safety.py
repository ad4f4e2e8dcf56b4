"""Output safety (issue 12, items 6-8): no control character from an input reaches a terminal raw, --output
never replaces an input and never leaves a half-written file, SIGTERM stops an audit cleanly, and piped
inputs (FIFOs, /dev/fd/N) are read once. Inputs are the fixture pairs, copied and edited."""
from __future__ import annotations

import errno
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import FIXTURES, ROOT

PAIRS = FIXTURES / "pairs"
EX = FIXTURES / "example"

# What must never reach a terminal raw: C0 controls but tab and newline, DEL and C1 (U+009B is CSI), the bidi
# embeddings, overrides and isolates, line/paragraph separators.
RAW_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]")
HOSTILE_NAME = "hz-dc\x1b]0;pwned\x07\x1b[2K\rSummary: 0 error(s)\u202eevil\nSummary: 0 error(s)\x9b31m\x08\x08"
HOSTILE_FILE = "edge\x1b[1m\u202e.cfg"


def cli(*args, cwd=None, **kw) -> subprocess.CompletedProcess:
    """The real entry point (main(): signal handling, internal-error message), stdout and stderr apart."""
    return subprocess.run([sys.executable, "-c", "from analyzer.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, encoding="utf-8", errors="surrogateescape", cwd=cwd,
                          timeout=300, **kw)  # the timeout is a hang guard only


def hostile_pair(folder: Path) -> tuple[Path, Path]:
    """fixtures/pairs/ikev1-map with escape sequences in the connection Name, in a file name and in the
    device lines that findings quote (a transform set and a PFS line that do not match Alibaba's)."""
    doc = json.loads((PAIRS / "ikev1-map.json").read_text())
    doc["Name"] = HOSTILE_NAME
    conn = folder / "conn.json"
    conn.write_text(json.dumps(doc))
    cfg = (PAIRS / "ikev1-map.cfg").read_text()
    for old, new in (("crypto ipsec transform-set TS-ALIYUN esp-aes 256",
                      "crypto ipsec transform-set TS\x1b[2K\x08\x08-ALIYUN esp-aes 128"),
                     (" set transform-set TS-ALIYUN", " set transform-set TS\x1b[2K\x08\x08-ALIYUN"),
                     (" set pfs group14", " set pfs group5 \x1b]0;retitled\x07\u202e")):
        assert old in cfg
        cfg = cfg.replace(old, new)
    dev = folder / HOSTILE_FILE
    dev.write_text(cfg)
    return conn, dev


def assert_no_raw_controls(*texts: str) -> None:
    for t in texts:
        found = RAW_CONTROL.findall(t)
        assert not found, f"raw control characters reach the output: {found[:5]}"


# --- item 6: control characters --------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "html"])
def test_check_escapes_control_characters_in_every_format(tmp_path, fmt):
    conn, dev = hostile_pair(tmp_path)
    r = cli("check", conn, dev, "--format", fmt)
    assert r.returncode == 1, r.stderr
    assert_no_raw_controls(r.stdout, r.stderr)
    if fmt == "text":
        # the findings on the hostile lines are there, shown with visible escapes, and nothing fakes a summary
        assert "\\x1b[2K\\x08\\x08-ALIYUN esp-aes 128" in r.stdout
        assert "set pfs group5 \\x1b]0;retitled\\x07\\u202e\n" in r.stdout
        assert "edge\\x1b[1m\\u202e.cfg" in r.stdout
        assert "\\u202eevil\\nSummary: 0 error(s)\\x9b31m\\x08\\x08)" in r.stdout
        assert [line for line in r.stdout.splitlines() if "Summary:" in line and not line.startswith("Connection")] \
            == ["Summary: 2 error(s), 0 warning(s), 0 info in 1 tunnel pair(s)"]
    elif fmt in ("json", "sarif"):  # escaping is lossless there: the values decode back exactly
        doc = json.loads(r.stdout)
        if fmt == "json":
            assert doc["pairs"][0]["connection_name"] == HOSTILE_NAME
            assert doc["pairs"][0]["device"] == str(dev)
        else:
            assert doc["version"] == "2.1.0" and len(doc["runs"][0]["results"]) == 2
    else:
        assert "edge\\x1b[1m\\u202e.cfg" in r.stdout


def test_audit_lint_hook_and_errors_escape_control_characters(tmp_path):
    folder = tmp_path / "audit"
    folder.mkdir()
    conn, dev = hostile_pair(folder)
    (folder / "notes\x1b]0;x\x07.txt").write_bytes(b"\x00\x01binary")  # unreadable: named on stderr and in the summary
    r = cli("audit", folder)
    assert r.returncode == 2
    assert_no_raw_controls(r.stdout, r.stderr)
    assert "notes\\x1b]0;x\\x07.txt" in r.stderr and "notes\\x1b]0;x\\x07.txt" in r.stdout
    assert "Audit summary" in r.stdout and "     set pfs group14" in r.stdout  # each fix under its finding, indented
    assert sum(line.startswith("  findings: ") for line in r.stdout.splitlines()) == 1

    r = cli("lint", dev)
    assert_no_raw_controls(r.stdout, r.stderr)
    assert "edge\\x1b[1m\\u202e.cfg" in r.stdout

    (tmp_path / ".ipsec-preflight.toml").write_text('alibaba = ["audit/conn.json"]\n')
    r = cli("hook", dev.relative_to(tmp_path), cwd=tmp_path)
    assert r.returncode == 1, r.stderr
    assert_no_raw_controls(r.stdout, r.stderr)
    assert "edge\\x1b[1m\\u202e.cfg" in r.stdout

    r = cli("show", dev)
    assert r.returncode == 0
    assert_no_raw_controls(r.stdout, r.stderr)
    r = cli("show", conn)
    assert_no_raw_controls(r.stdout, r.stderr)
    assert json.loads(r.stdout)[0]["connection_name"] == HOSTILE_NAME

    bad = tmp_path / "bad\x1b[2J.json"
    bad.write_text('{"IkeConfig": {\n  "IkeEncAlg": "aes",\n}')
    r = cli("check", bad, dev)
    assert r.returncode == 2
    assert_no_raw_controls(r.stdout, r.stderr)
    assert "bad\\x1b[2J.json:3" in r.stderr


def test_legitimate_text_output_is_unchanged(monkeypatch):
    """Escaping changes nothing when nothing needs it: the reports of the example and fixture pairs, of an
    audit and of the rules list are byte for byte what the renderers produce without the escaping step."""
    from analyzer.audit import run_audit, to_report
    from analyzer.checker import check
    from analyzer.findings import Report
    from analyzer.hook import _render
    from analyzer.reporters import audit_text, terminal, text
    from parsers import alibaba
    from parsers.common import read_text
    from parsers.registry import parse_device

    reports = []
    for conn, dev in ((EX / "connection.json", EX / "branch-router.cfg"),
                      (PAIRS / "ikev1-map.json", PAIRS / "ikev1-map.cfg"),
                      (PAIRS / "ikev2-map.json", PAIRS / "ikev2-map.cfg"),
                      (PAIRS / "ikev2-dual.json", PAIRS / "ikev2-vti.cfg")):
        pairs = check(alibaba.load(str(conn)), parse_device(read_text(dev), str(dev)))
        reports.append(Report(version="t", pairs=pairs))
    audit = to_report(run_audit([str(FIXTURES / "audit")], jobs=1), "t")

    def renders():
        return [text.render(r) for r in reports] + [audit_text.render(audit), _render(audit.model_copy(), "text", 4)]

    escaped = renders()
    monkeypatch.setattr(terminal, "safe", lambda s: s)
    assert renders() == escaped
    example = escaped[0].splitlines()
    assert example[0].startswith("Connection ") and example[-1].startswith("Summary: ")
    assert any(line.startswith("            Fix:     ") for line in example)


def test_escape_function():
    from analyzer.reporters.terminal import html_text_safe, json_safe, safe

    assert safe("a\tb 中文 \\x1b é") == "a\tb 中文 \\x1b é"  # tab, non-ASCII text and backslashes as they are
    assert safe("\x1b[2K\r\n\x07\x7f\x9b\u202e\u2066\u2028\ud800") == \
        "\\x1b[2K\\r\\n\\x07\\x7f\\x9b\\u202e\\u2066\\u2028\\ud800"
    assert html_text_safe("a\nb\x1b\r") == "a\nb\\x1b\\r"
    doc = json.dumps({"k": "\x9b\u202e中"}, ensure_ascii=False)
    assert json.loads(json_safe(doc)) == {"k": "\x9b\u202e中"} and RAW_CONTROL.search(json_safe(doc)) is None


# --- item 7: --output ------------------------------------------------------------------------------------

def _pair(tmp_path) -> tuple[Path, Path]:
    conn, dev = tmp_path / "conn.json", tmp_path / "branch.cfg"
    shutil.copy(EX / "connection.json", conn)
    shutil.copy(EX / "branch-router.cfg", dev)
    return conn, dev


@pytest.mark.parametrize("how", ["same", "relative", "symlink", "hardlink", "connection"])
def test_output_that_is_an_input_is_refused(tmp_path, how):
    conn, dev = _pair(tmp_path)
    before = dev.read_bytes(), conn.read_bytes()
    target = {"same": dev, "relative": Path("sub/../branch.cfg"), "connection": conn,
              "symlink": tmp_path / "report.txt", "hardlink": tmp_path / "report.txt"}[how]
    (tmp_path / "sub").mkdir()
    if how == "symlink":
        target.symlink_to(dev)
    elif how == "hardlink":
        os.link(dev, target)
    r = cli("check", conn, dev, "-o", target, cwd=tmp_path)
    assert r.returncode == 2
    assert "is one of the input files; refusing to overwrite it" in r.stderr
    assert r.stdout == ""
    assert (dev.read_bytes(), conn.read_bytes()) == before


def test_output_refused_for_lint_and_audit_inputs(tmp_path):
    conn, dev = _pair(tmp_path)
    before = dev.read_bytes()
    for args in (("lint", dev, "-o", dev), ("audit", tmp_path, "-o", dev), ("audit", conn, dev, "--output", conn)):
        r = cli(*args)
        assert r.returncode == 2 and "refusing to overwrite" in r.stderr, args
    assert dev.read_bytes() == before
    r = cli("audit", tmp_path, "-o", tmp_path / "report.txt")  # a new file in the audited folder is fine
    assert r.returncode == 1 and "Audit summary" in (tmp_path / "report.txt").read_text()


def test_output_is_replaced_whole_keeps_mode_and_writes_through_a_symlink(tmp_path):
    conn, dev = _pair(tmp_path)
    out = tmp_path / "reports" / "report.txt"
    out.parent.mkdir()
    out.write_text("previous report\n")
    out.chmod(0o640)
    link = tmp_path / "latest.txt"
    link.symlink_to(out)
    r = cli("check", conn, dev, "-o", link)
    assert r.returncode == 1 and r.stdout == ""
    assert link.is_symlink() and out.read_text().startswith("Connection ")
    assert (out.stat().st_mode & 0o777) == 0o640
    assert sorted(os.listdir(out.parent)) == ["report.txt"]
    r = cli("check", conn, dev, "-o", os.devnull)  # not a regular file: written to, never replaced
    assert r.returncode == 1 and os.path.exists(os.devnull) and not Path(os.devnull).is_file()


@pytest.mark.parametrize("fail_at", ["write", "fsync", "replace"])
def test_failed_write_leaves_previous_report_and_no_partial_file(tmp_path, monkeypatch, fail_at):
    from typer.testing import CliRunner

    from analyzer import cli as cli_mod

    conn, dev = _pair(tmp_path)
    out_dir = tmp_path / "out"
    out_dir.mkdir()
    out = out_dir / "report.json"
    out.write_text('{"previous": true}\n')

    def full_disk(*a, **k):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    if fail_at == "write":
        real_fdopen = os.fdopen

        class Full:
            def __init__(self, fh):
                self.fh = fh

            def __enter__(self):
                return self

            def __exit__(self, *exc):
                self.fh.close()

            def fileno(self):
                return self.fh.fileno()

            def write(self, data):  # half the report reaches the disk, then the disk is full
                self.fh.write(data[: len(data) // 2])
                self.fh.flush()
                full_disk()

            def flush(self):
                pass

        monkeypatch.setattr(cli_mod.os, "fdopen", lambda fd, mode: Full(real_fdopen(fd, mode)))
    else:
        monkeypatch.setattr(cli_mod.os, fail_at, full_disk)
    r = CliRunner().invoke(cli_mod.app, ["check", str(conn), str(dev), "--format", "json", "-o", str(out)])
    monkeypatch.undo()
    assert r.exit_code == 2, r.output
    assert "cannot write the report: No space left on device; the previous file is unchanged" in r.output
    assert out.read_text() == '{"previous": true}\n'
    assert os.listdir(out_dir) == ["report.json"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into a read-only folder")
def test_read_only_folder(tmp_path):
    conn, dev = _pair(tmp_path)
    ro = tmp_path / "ro"
    ro.mkdir()
    (ro / "report.txt").write_text("previous\n")
    ro.chmod(0o555)
    try:
        r = cli("check", conn, dev, "-o", ro / "report.txt")
    finally:
        ro.chmod(0o755)
    assert r.returncode == 2 and "cannot write the report" in r.stderr
    assert (ro / "report.txt").read_text() == "previous\n" and os.listdir(ro) == ["report.txt"]


def _children(pid: int) -> list[int]:
    out = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                status = Path(f"/proc/{entry}/status").read_text()
            except OSError:
                continue
            if re.search(rf"^PPid:\s+{pid}$", status, re.M):
                out.append(int(entry))
    return out


def _alive(pid: int) -> bool:
    try:
        return not re.search(r"^State:\s+Z", Path(f"/proc/{pid}/status").read_text(), re.M)
    except OSError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
def test_sigterm_stops_an_audit_and_its_workers_without_tracebacks(tmp_path):
    folder = tmp_path / "many"
    shutil.copytree(FIXTURES / "audit" / "alibaba", folder / "alibaba")
    devices = [p for p in (FIXTURES / "audit" / "devices").rglob("*.cfg")]
    for i in range(600):
        sub = folder / f"site{i:03d}"
        sub.mkdir()
        for p in devices:
            shutil.copy(p, sub / p.name)
    out = tmp_path / "report.html"
    proc = subprocess.Popen([sys.executable, "-c", "from analyzer.cli import main; main()", "audit", str(folder),
                             "--jobs", "2", "--format", "html", "-o", str(out)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    workers: list[int] = []
    while proc.poll() is None and len(workers) < 2:  # until the pool's workers are running
        workers = _children(proc.pid)
    assert proc.poll() is None, "the audit ended before it could be stopped: the folder needs more files"
    proc.send_signal(signal.SIGTERM)
    stdout, stderr = proc.communicate(timeout=120)  # a hang guard, not a timing assertion
    assert proc.returncode == 128 + signal.SIGTERM
    assert stderr == "ipsec-preflight: stopped by SIGTERM; the run did not complete\n"
    assert stdout == ""
    assert not out.exists() and not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    assert not [w for w in workers if _alive(w)]  # the pool was terminated and joined before the exit


def test_internal_error_names_type_and_place_never_the_message(tmp_path, monkeypatch, capsys):
    """A bug's message: the exception type and where in our code, never str(exc) - a pydantic
    ValidationError's text quotes the input value, which may be a key."""
    from pydantic import BaseModel

    from analyzer import checker
    from analyzer import cli as cli_mod

    secret = "hzDC-7q!Lm2#vR9k"

    class M(BaseModel):
        n: int

    def buggy_check(*a, **k):
        M(n=secret)

    conn, dev = _pair(tmp_path)
    monkeypatch.setattr(checker, "check", buggy_check)
    monkeypatch.setattr(sys, "argv", ["ipsec-preflight", "check", str(conn), str(dev)])
    with pytest.raises(SystemExit) as exc:
        cli_mod.main()
    assert exc.value.code == 3
    err = capsys.readouterr().err
    assert secret not in err
    assert re.fullmatch(r"ipsec-preflight: internal error \(ValidationError at analyzer\.cli:check:\d+\); please "
                        r"report this with the input files\n", err), err


# --- item 8: piped inputs are read once ----------------------------------------------------------------

def _fifo(folder: Path, name: str, data: bytes) -> tuple[Path, threading.Thread]:
    path = folder / name
    os.mkfifo(path)

    def feed():
        with open(path, "wb") as fh:  # blocks until the tool opens it for reading
            fh.write(data)

    t = threading.Thread(target=feed, daemon=True)
    t.start()
    return path, t


def _unblock(path: Path, t: threading.Thread) -> None:
    """A writer still waiting means the tool never opened the FIFO: release the thread."""
    if t.is_alive():
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK)
        t.join(5)
        os.close(fd)


def _same_but_names(a: str, b: str, *renames: tuple[Path, Path]) -> None:
    for old, new in renames:
        a = a.replace(str(old), str(new))
    # a fingerprint hashes the file name (analyzer.fingerprint): it differs between a pipe and the file by design
    a, b = (re.sub(r'"fingerprint": "[0-9a-f]{16,64}"', '"fingerprint": ""', x) for x in (a, b))
    assert a == b


def test_show_reads_a_fifo_once(tmp_path):
    for src in (PAIRS / "ikev1-map.json", PAIRS / "ikev1-map.huawei.cfg"):
        pipe, t = _fifo(tmp_path, src.name + ".fifo", src.read_bytes())
        r = cli("show", pipe)
        _unblock(pipe, t)
        assert r.returncode == 0, r.stderr
        _same_but_names(r.stdout, cli("show", src).stdout, (pipe, src))


def test_show_reads_dev_fd_once(tmp_path):
    src = PAIRS / "ikev1-map.json"
    rfd, wfd = os.pipe()
    os.write(wfd, src.read_bytes())  # small: fits the pipe buffer
    os.close(wfd)
    try:
        r = subprocess.run([sys.executable, "-c", "from analyzer.cli import main; main()", "show", f"/dev/fd/{rfd}"],
                           capture_output=True, text=True, pass_fds=(rfd,), timeout=300)
    finally:
        os.close(rfd)
    assert r.returncode == 0, r.stderr
    assert json.loads(r.stdout)[0]["connection_id"] == "vco-bp1pairs0ikev1map0001"


def test_check_reads_fifos(tmp_path):
    conn, ct = _fifo(tmp_path, "conn.fifo", (EX / "connection.json").read_bytes())
    dev, dt = _fifo(tmp_path, "dev.fifo", (EX / "branch-router.cfg").read_bytes())
    r = cli("check", conn, dev, "--format", "json")
    _unblock(conn, ct)
    _unblock(dev, dt)
    assert r.returncode == 1, r.stderr
    ref = cli("check", EX / "connection.json", EX / "branch-router.cfg", "--format", "json")
    _same_but_names(r.stdout, ref.stdout, (conn, EX / "connection.json"), (dev, EX / "branch-router.cfg"))


def test_audit_reads_fifos_once(tmp_path):
    conn, ct = _fifo(tmp_path, "conn.fifo", (PAIRS / "ikev1-map.json").read_bytes())
    dev, dt = _fifo(tmp_path, "dev.fifo", (PAIRS / "ikev1-map.cfg").read_bytes())
    r = cli("audit", conn, dev, "--format", "json")
    _unblock(conn, ct)
    _unblock(dev, dt)
    assert r.returncode == 0, r.stderr
    doc = json.loads(r.stdout)
    assert doc["errors"] == []
    assert doc["audit"]["pairs"] == 1 and doc["audit"]["alibaba_files"] == 1 and doc["audit"]["devices"] == 1
    ref = json.loads(cli("audit", PAIRS / "ikev1-map.json", PAIRS / "ikev1-map.cfg", "--format", "json").stdout)
    assert [f["code"] for f in doc["pairs"][0]["findings"]] == [f["code"] for f in ref["pairs"][0]["findings"]]
