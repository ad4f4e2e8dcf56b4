"""Command line: `ipsec-preflight check|show|rules`.

Exit codes: 0 = no finding at or above --fail-on; 1 = findings at or above it; 2 = bad usage or
unreadable/invalid input; 3 = internal error (a bug: please report it with the input that caused it).
"""
from __future__ import annotations

import enum
import os
import sys

# pydantic scans installed entry points for plugins on first use (~20 ms of every start); we use none.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
from pathlib import Path
from typing import Optional

import typer

from analyzer import __version__

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3

app = typer.Typer(add_completion=False, pretty_exceptions_enable=False, no_args_is_help=True,
                  help="Predict Alibaba Cloud IPsec-VPN negotiation errors from the connection JSON and the device "
                       "config, before you deploy.")


class Fmt(str, enum.Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    html = "html"


class Level(str, enum.Enum):
    error = "error"
    warning = "warning"
    info = "info"


class Vendor(str, enum.Enum):
    auto = "auto"
    cisco_ios = "cisco-ios"
    cisco_asa = "cisco-asa"
    huawei_vrp = "huawei-vrp"
    h3c_comware = "h3c-comware"


@app.callback()
def _options(max_file_size: float = typer.Option(
        64, "--max-file-size", metavar="MB", min=0.001,
        help="Largest input file read, in MB; bigger files are reported as bad input (exit 2) and skipped.")) -> None:
    # through the environment so that audit's worker processes see it however they are started
    from parsers.common import MAX_FILE_ENV
    os.environ[MAX_FILE_ENV] = repr(max_file_size)


def _scrub(text: str, secrets: set[str]) -> str:
    """Last line of defence: no known key value survives into any output. One pass over the text with
    all keys in a prefix-tree regex: an audit has a key per device, and one str.replace per key made
    this O(keys x output) (5 s for 5,000 devices)."""
    keys = [s for s in secrets if len(s) >= 4]
    return _trie_regex(keys).sub("<redacted>", text) if keys else text


def _trie_regex(words: list[str]):
    import re

    trie: dict = {}
    for w in words:
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = {}

    def pattern(node: dict) -> str:
        alts = [re.escape(ch) + pattern(child) for ch, child in sorted(node.items()) if ch]
        if not alts:
            return ""
        ends_here = "" in node
        body = alts[0] if len(alts) == 1 and not ends_here else "(?:" + "|".join(alts) + ")"
        return body + "?" if ends_here else body  # greedy: the longest key wins, as before

    return re.compile(pattern(trie))


def _secrets_of(*models) -> set[str]:
    out: set[str] = set()
    for m in models:
        endpoints = [m.endpoint] if hasattr(m, "endpoint") else getattr(m, "endpoints", [])
        for ep in endpoints:
            if ep is not None and ep.ike.psk.secret is not None:
                out.add(ep.ike.psk.secret.get_secret_value())
    return out


def _emit(text: str, secrets: set[str]) -> None:
    sys.stdout.write(_scrub(text, secrets))


@app.command()
def check(
    connection: Path = typer.Argument(..., help="Alibaba IPsec connection JSON (any supported shape)."),
    device: Path = typer.Argument(..., help="Device configuration export."),
    vendor: Vendor = typer.Option(Vendor.auto, "--vendor", help="Device family; auto-detected by default."),
    fmt: Fmt = typer.Option(Fmt.text, "--format", help="Output format."),
    fail_on: Level = typer.Option(Level.error, "--fail-on", help="Lowest severity that makes the exit code 1."),
    customer_gateway: Optional[Path] = typer.Option(None, "--customer-gateway", help="DescribeCustomerGateway JSON."),
    vpn_gateway: Optional[Path] = typer.Option(None, "--vpn-gateway", help="DescribeVpnGateway JSON."),
    disable: list[str] = typer.Option([], "--disable", help="Rule code to skip (repeatable)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
) -> None:
    """Compare every tunnel of the connection file with the device and report predicted errors."""
    from analyzer.checker import check as run_check
    from analyzer.findings import InputProblem, Report
    from parsers import alibaba
    from parsers.common import InputError, read_text
    from parsers.registry import parse_device

    report = Report(version=__version__)
    tunnels, dev = [], None
    lookups = alibaba.Lookups()
    for extra, add in ((customer_gateway, lookups.add_customer_gateway), (vpn_gateway, lookups.add_vpn_gateway)):
        if extra is not None:
            try:
                add(str(extra))
            except InputError as exc:
                report.errors.append(InputProblem(file=exc.file, line=exc.line, message=exc.message))
    try:
        tunnels = alibaba.load(str(connection), lookups)
    except InputError as exc:
        report.errors.append(InputProblem(file=exc.file, line=exc.line, message=exc.message))
    try:
        dev = parse_device(read_text(device), str(device), vendor.value)
    except InputError as exc:
        report.errors.append(InputProblem(file=exc.file, line=exc.line, message=exc.message))
    if tunnels and dev is not None:
        report.pairs = run_check(tunnels, dev, frozenset(disable))
    _finish(report, fmt, fail_on, _secrets_of(*tunnels, *([dev] if dev else [])), output)


@app.command()
def lint(
    devices: list[Path] = typer.Argument(..., help="Device configuration exports."),
    vendor: Vendor = typer.Option(Vendor.auto, "--vendor", help="Device family; auto-detected by default."),
    fmt: Fmt = typer.Option(Fmt.text, "--format", help="Output format."),
    fail_on: Level = typer.Option(Level.error, "--fail-on", help="Lowest severity that makes the exit code 1."),
    disable: list[str] = typer.Option([], "--disable", help="Rule code to skip (repeatable)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
) -> None:
    """Check device configs alone against what Alibaba supports (no connection JSON needed)."""
    from analyzer.findings import InputProblem, Report
    from analyzer.lint import lint as run_lint
    from parsers.common import InputError, read_text
    from parsers.registry import parse_device

    report = Report(version=__version__)
    parsed = []
    for path in devices:
        try:
            dev = parse_device(read_text(path), str(path), vendor.value)
        except InputError as exc:
            report.errors.append(InputProblem(file=exc.file, line=exc.line, message=exc.message))
            continue
        parsed.append(dev)
        report.pairs.append(run_lint(dev, frozenset(disable)))
    _finish(report, fmt, fail_on, _secrets_of(*parsed), output)


def _finish(report, fmt: "Fmt", fail_on: "Level", secrets: set[str], output: Optional[Path] = None,
            text_renderer=None) -> None:
    """Print (or write to --output) the report in the chosen format and exit with the documented code."""
    from analyzer.findings import RANK

    if fmt is Fmt.json:
        body = report.model_dump_json(indent=2) + "\n"
    elif fmt is Fmt.sarif:
        from analyzer.reporters.sarif import render as sarif
        body = sarif(report)
    elif fmt is Fmt.html:
        from analyzer.reporters.html import render as html
        body = html(report)
    else:
        if text_renderer is None:
            from analyzer.reporters.text import render as text_renderer
        body = text_renderer(report)
    body = _scrub(body, secrets)
    if output is not None:
        try:
            output.write_text(body, encoding="utf-8")
        except OSError as exc:
            print(f"ipsec-preflight: {output}: cannot write: {exc.strerror or exc}", file=sys.stderr)
            raise typer.Exit(EXIT_INPUT)
    else:
        sys.stdout.write(body)
    for err in report.errors:
        where = f"{err.file}:{err.line}" if err.line else err.file
        print(_scrub(f"ipsec-preflight: {where}: {err.message}", secrets), file=sys.stderr)
    if report.errors:
        raise typer.Exit(EXIT_INPUT)
    raise typer.Exit(EXIT_FINDINGS if report.worst() >= RANK[fail_on.value] else EXIT_OK)


class _Progress:
    """A one-line progress bar on stderr, only when stderr is a terminal (never in pipes or CI logs)."""

    def __init__(self) -> None:
        self.on = sys.stderr.isatty()

    def __call__(self, done: int, total: int) -> None:
        if not self.on or total == 0:
            return
        width = 30
        filled = width * done // total
        sys.stderr.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {done}/{total} device configs")
        if done == total:
            sys.stderr.write("\n")
        sys.stderr.flush()


@app.command()
def audit(
    paths: list[Path] = typer.Argument(..., help="Files or folders (walked recursively): Alibaba JSON and device "
                                                 "configs, told apart by content."),
    fmt: Fmt = typer.Option(Fmt.text, "--format", help="Output format."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", help="Write the report to this file."),
    pairing: Optional[Path] = typer.Option(None, "--pairing", help="TOML file of [[pair]] device = GLOB, "
                                                                    "connection = ID (overrides automatic pairing)."),
    fail_on: Level = typer.Option(Level.error, "--fail-on", help="Lowest severity that makes the exit code 1."),
    disable: list[str] = typer.Option([], "--disable", help="Rule code to skip (repeatable)."),
    jobs: int = typer.Option(0, "--jobs", "-j", help="Worker processes (0 = one per CPU core)."),
) -> None:
    """Audit many connections and device configs at once: pair them, check every pair, check across
    connections, and summarize per code, device and connection."""
    from analyzer.audit import load_mapping, run_audit, secrets_of, to_report
    from analyzer.findings import InputProblem
    from analyzer.reporters.audit_text import render
    from parsers.common import InputError

    mapping = None
    if pairing is not None:
        try:
            mapping = load_mapping(str(pairing))
        except InputError as exc:
            print(f"ipsec-preflight: {exc}", file=sys.stderr)
            raise typer.Exit(EXIT_INPUT)
    result = run_audit([str(p) for p in paths], mapping, frozenset(disable), jobs or None, _Progress())
    report = to_report(result, __version__)
    if not result.outcomes and not result.tunnels and not report.errors:
        report.errors.append(InputProblem(file=", ".join(map(str, paths)), message="no input files found"))
    _finish(report, fmt, fail_on, secrets_of(result), output, text_renderer=render)


@app.command()
def hook(
    files: Optional[list[Path]] = typer.Argument(None, help="Files of the commit (pre-commit passes them)."),
    config: Optional[Path] = typer.Option(None, "--config", help="Project settings (default: ./.ipsec-preflight.toml)."),
    fmt: Fmt = typer.Option(Fmt.text, "--format", help="Output format."),
) -> None:
    """Pre-commit entry point: check the committed device configs as .ipsec-preflight.toml says (against
    its Alibaba JSON files, or device-only lint when it names none)."""
    from analyzer.hook import run_hook

    code = run_hook([str(f) for f in files or []], str(config) if config else None, fmt.value)
    raise typer.Exit(code)


@app.command()
def show(
    file: Path = typer.Argument(..., help="An Alibaba JSON file or a device configuration."),
    vendor: Vendor = typer.Option(Vendor.auto, "--vendor", help="Device family for a device file."),
) -> None:
    """Print the normalized model of an input as JSON (pre-shared keys redacted)."""
    import json

    from parsers import alibaba
    from parsers.common import InputError, read_text
    from parsers.registry import looks_like_json, parse_device

    try:
        text = read_text(file)
        if looks_like_json(text):
            models = alibaba.load(str(file))
            doc = [m.model_dump(mode="json") for m in models]
        else:
            models = [parse_device(text, str(file), vendor.value)]
            doc = models[0].model_dump(mode="json")
    except InputError as exc:
        print(f"ipsec-preflight: {exc}", file=sys.stderr)
        raise typer.Exit(EXIT_INPUT)
    _emit(json.dumps(doc, indent=2) + "\n", _secrets_of(*models))


@app.command()
def rules(markdown: bool = typer.Option(False, "--markdown", help="Print docs/rules.md.")) -> None:
    """List the rules: code, severity, the Alibaba code predicted, and what each checks."""
    from analyzer.rules import all_rules
    from analyzer.rules_doc import markdown as md

    if markdown:
        sys.stdout.write(md())
        return
    for r in all_rules():
        ali = r.alibaba_code or "-"
        print(f"{r.code:<32} {r.severity:<8} {ali:<32} {r.doc}")


def main() -> None:
    try:
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Exception as exc:  # no traceback for users; the message says what to report
        print(f"ipsec-preflight: internal error ({type(exc).__name__}: {exc}); please report this with the input "
              "files", file=sys.stderr)
        sys.exit(EXIT_INTERNAL)


if __name__ == "__main__":
    main()
