"""`ipsec-preflight explain` (issues 13 and 15). Only typer is imported at module level: cli.py imports this module at
every start. The logic is in analyzer/explain.py.

Exit codes: 0 = explained; 1 = nothing explained (a log in which no line holds a keyword of Alibaba's table, a
diagnosis with no code of the table) or, with --connection/--device, a tunnel the check could not (fully) compare;
2 = unknown code, unreadable or invalid input (named with its file and line)."""
from __future__ import annotations

import enum
import sys
from pathlib import Path
from typing import NoReturn, Optional

import typer


class ExplainFormat(str, enum.Enum):
    text = "text"
    json = "json"


from analyzer.cli_options import Vendor as DeviceVendor  # noqa: E402  (typer only, like this module)


def _(message: str) -> str:
    """analyzer.i18n._, imported when a message is shown (this module is imported at every start)."""
    from analyzer.i18n import _ as translate

    return translate(message)


def _fail(message: str) -> NoReturn:
    from analyzer.reporters.terminal import safe
    from analyzer.streams import say

    say(safe(f"ipsec-preflight: {message}"))
    raise typer.Exit(2)


def _read_log(source: str) -> tuple[list[str], str]:
    """The lines of a log file, or of standard input for `-`: at most --max-file-size read (as every input), leading
    NULs dropped (what logrotate's copytruncate leaves), other NULs refused as binary; UTF-8, else GB18030 for
    Chinese console logs. Lines end at `\n` only, so line numbers are what an editor shows."""
    from parsers.common import InputError, max_file_mb

    name = "<stdin>" if source == "-" else source
    limit = int(max_file_mb() * 2 ** 20)
    try:
        if source == "-":
            data = sys.stdin.buffer.read(limit + 1)
        else:
            with open(source, "rb") as f:
                data = f.read(limit + 1)
    except OSError as exc:
        _fail(str(InputError(name, _("cannot read: {reason}").format(reason=exc.strerror or exc.__class__.__name__))))
    if len(data) > limit:
        _fail(str(InputError(name, _("log is larger than the {limit} MB limit read from one input; raise it with "
                                     "--max-file-size (or pass only the lines around the failure)").format(
            limit=f"{max_file_mb():g}"))))
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = data.decode("utf-16", errors="replace")
    else:
        data = data.lstrip(b"\x00")
        if b"\x00" in data[:4096]:
            _fail(str(InputError(name, _("binary data (NUL bytes), not a text log"))))
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError:
            text = data.decode("gb18030", errors="replace")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return [line[:-1] if line.endswith("\r") else line for line in lines], name


def explain(code: Optional[str] = typer.Argument(None, metavar="CODE|DIAGNOSE.json",
                                                 help="A rule or Alibaba error code, or a DiagnoseVpnConnections JSON."),
            log: Optional[str] = typer.Option(None, "--log", metavar="FILE|-",
                                              help="IPsec log lines (a file, or - for standard input) to match "
                                                   "against the log keywords of Alibaba's error table."),
            connection: Optional[Path] = typer.Option(None, "--connection", metavar="ALI.json",
                                                      help="The Alibaba connection JSON: tie the code to findings."),
            device: Optional[Path] = typer.Option(None, "--device", metavar="DEVICE.cfg",
                                                  help="The device config (with --connection)."),
            vendor: DeviceVendor = typer.Option(DeviceVendor.auto, "--vendor",
                                                help="Device family of --device; auto-detected by default."),
            fmt: ExplainFormat = typer.Option(ExplainFormat.text, "--format", help="Output format."),
            ) -> None:
    """Explain an error code, IPsec log lines or a DiagnoseVpnConnections result: what it means, the causes in
    the order of Alibaba's table, what to check; with --connection and --device, the findings that produce it."""
    from analyzer import explain as ex
    from analyzer.reporters.terminal import safe_lines

    if (code is None) == (log is None):
        _fail(_("explain takes a CODE or a DIAGNOSE.json, or --log FILE (one of them)"))
    if (connection is None) != (device is None):
        _fail(_("--connection and --device go together (the check needs both configs)"))
    checked = ex.run_check(str(connection), str(device), vendor.value) if connection is not None else None
    if log is not None:
        lines, name = _read_log(log)
        result = ex.log_result(lines, name, checked)
    elif Path(code).is_dir():
        _fail(_("{path}: is a folder; explain takes a CODE or a DiagnoseVpnConnections JSON file").format(path=code))
    elif Path(code).suffix.lower() == ".json" or Path(code).is_file():
        result = _diagnosis(code, checked)
    else:
        try:
            entry, rule = ex.resolve(code)
        except ex.UnknownCode as exc:
            _fail(str(exc))
        result = {"kind": "code", "doc": ex.code_doc(entry, rule)}
        if checked is not None:
            result["configs"] = ex.tie((entry or rule).code, entry, checked)
    if checked is not None:
        result["input_errors"] = checked.errors + result.get("input_errors", [])
        result["notes"] = checked.notes
    if fmt is ExplainFormat.json:
        from analyzer.reporters.terminal import json_safe

        sys.stdout.write(json_safe(ex.render_json(result)))
    else:
        sys.stdout.write(safe_lines(ex.render_text(result)))
    if result.get("input_errors"):
        raise typer.Exit(2)
    if ex.explained_nothing(result):
        raise typer.Exit(1)


def _diagnosis(path: str, checked) -> dict:
    from analyzer import explain as ex
    from parsers.common import InputError, read_text

    try:
        items = ex.diagnosis_entries(read_text(path), path)
    except InputError as exc:
        _fail(str(exc))
    except OSError as exc:
        _fail(_("{path}: cannot read: {reason}").format(path=path, reason=exc.strerror or exc.__class__.__name__))
    except ex.NotADiagnosis as exc:
        _fail(str(exc))
    errors: list[str] = []
    entries = ex.explain_diagnosis(items, checked, path, errors)
    return {"kind": "diagnosis", "file": path, "entries": entries, "input_errors": errors}
