"""Command line: `ipsec-preflight check|show|rules`.

Exit codes: 0 = no finding at or above --fail-on; 1 = findings at or above it; 2 = bad usage or
unreadable/invalid input; 3 = internal error (a bug: please report it with the input that caused it).
"""
from __future__ import annotations

import enum
import os
import sys
import time

from analyzer import fast_start

# before typer and pydantic are imported: no plugin scan (unless the user set PYDANTIC_DISABLE_PLUGINS), fewer
# collector passes over the start-up's objects
fast_start.no_plugin_scan()
fast_start.fewer_collections()
from pathlib import Path  # noqa: E402
from typing import Optional

import typer

from typer.core import TyperGroup

from analyzer import __version__, bug_at
from analyzer.cli_options import (Color, Lang, baseline_option, color_option, exit_zero_option, lang_option,
                                  quiet_option, statistics_option, write_baseline_option)

EXIT_OK, EXIT_FINDINGS, EXIT_INPUT, EXIT_INTERNAL = 0, 1, 2, 3


def _globals_first(args: list[str], takes_value: dict[str, bool]) -> list[str]:
    """`check A B --max-file-size 5` read as `--max-file-size 5 check A B`: the group's own options found after
    the command name are moved in front of it (up to `--`). ``takes_value``: option name -> needs a value."""
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "--":  # the group's options, then the command
        i += 2 if takes_value.get(args[i]) else 1
    head, moved, kept = args[:i + 1], [], []
    rest = args[i + 1:]
    j = 0
    while j < len(rest) and rest[j] != "--":
        name = rest[j].split("=", 1)[0]
        if name in takes_value and rest[j].startswith("--"):
            with_value = takes_value[name] and "=" not in rest[j]
            if with_value and j + 1 == len(rest):
                break  # no value follows: left for the command to report
            moved += rest[j:j + 2] if with_value else rest[j:j + 1]
            j += 2 if with_value else 1
            continue
        kept.append(rest[j])
        j += 1
    return moved + head + kept + rest[j:] if moved else args


class _Cli(TyperGroup):
    """Global options are accepted before or after the command name. Parameters are coerced without a
    pydantic TypeAdapter each where typer's adapter would only wrap a plain call (analyzer/typer_params.py)."""

    def parse_args(self, ctx, args: list[str]) -> list[str]:
        from analyzer import typer_params

        typer_params.install(self, ctx)
        opts = {name: not p.is_flag for p in self.params if getattr(p, "param_type_name", "") == "option"
                for name in p.opts}
        return super().parse_args(ctx, _globals_first(args, opts))

    def resolve_command(self, ctx, args: list[str]):
        from analyzer import typer_params

        name, command, rest = super().resolve_command(ctx, args)
        # the command's context inherits the help option names from this one unless it sets its own
        typer_params.install(command, None if getattr(command, "context_settings", None) else ctx)
        return name, command, rest


# rich_markup_mode=None: help texts are printed as written ("[[pair]]" is not read as markup), no Rich import
app = typer.Typer(cls=_Cli, add_completion=True, pretty_exceptions_enable=False, no_args_is_help=True,
                  rich_markup_mode=None, context_settings={"help_option_names": ["-h", "--help"]},
                  help="Predict Alibaba Cloud IPsec-VPN negotiation errors from the connection JSON and the device "
                       "config, before you deploy.")


class Fmt(str, enum.Enum):
    text = "text"
    json = "json"
    sarif = "sarif"
    html = "html"
    github = "github"
    gitlab = "gitlab"
    junit = "junit"


class Level(str, enum.Enum):
    error = "error"
    warning = "warning"
    info = "info"


from analyzer.cli_options import Vendor  # noqa: E402  (shared with explain_cli)


def _print_version(value: bool) -> None:
    if value:
        print(f"ipsec-preflight {__version__}")
        raise typer.Exit(EXIT_OK)


_MAX_FILE_MB_LIMIT = 1024 * 1024  # 1 TB: far above any export, and what a read size can hold


@app.callback()
def _options(max_file_size: float = typer.Option(
        64, "--max-file-size", metavar="MB", min=0.001,
        help="Largest input file read, in MB; bigger files are reported as bad input (exit 2) and skipped. "
             "Accepted before or after the command."),
        version: bool = typer.Option(False, "--version", is_eager=True, callback=_print_version,
                                     help="Print the version and exit."),
        lang: Optional[Lang] = lang_option()) -> None:
    # a NaN passes click's range check (every comparison is false): refuse what is not a finite size
    if not max_file_size <= _MAX_FILE_MB_LIMIT:
        raise typer.BadParameter(f"expected a size in MB from 0.001 to {_MAX_FILE_MB_LIMIT:,}, got {max_file_size:g}",
                                 param_hint="'--max-file-size'")
    # through the environment so that audit's worker processes see it however they are started
    from parsers.common import MAX_FILE_ENV
    os.environ[MAX_FILE_ENV] = repr(max_file_size)
    from analyzer import i18n
    i18n.set_language(lang.value if lang else None)
    global _STARTED
    _STARTED = time.time()


_STARTED = time.time()  # when the command started (the HTML page shows it and the run's duration)


def _rule_codes(values: list[str]) -> list[str]:
    """--disable checked against the rule registry (loaded only when codes are given): a typo is an error."""
    if not values:
        return values
    from analyzer.rule_codes import UnknownRuleCode, resolve_codes

    try:
        return sorted(resolve_codes(values, "--disable"))
    except UnknownRuleCode as exc:
        _err(f"ipsec-preflight: {exc}")
        raise typer.Exit(EXIT_INPUT) from None


def _disable_option():
    return typer.Option([], "--disable", metavar="CODE", callback=_rule_codes,
                        help="Rule code to skip (repeatable, or comma-separated; any case). `ipsec-preflight rules` "
                             "lists the codes.")


def _err(message: str) -> None:
    """A message on stderr, its control characters shown as escapes (it may quote a file name or a value)."""
    from analyzer.reporters.terminal import safe
    from analyzer.streams import say

    say(safe(message))


_QUIET = False  # --quiet: notes are not printed (input errors still are)


# ENOSPC, EFBIG, EIO, EDQUOT: only a write gives these (inputs are read as InputError): the disk or device behind
# the output refused the report
_OUTPUT_FULL = (28, 27, 5, 122)


def _note(message: str, report=None) -> None:
    """A note on stderr (`ipsec-preflight: note: ...`), unless --quiet; kept in ``report.notes`` too (every
    format carries it). ``message``: `FILE: what`."""
    if not _QUIET:
        from analyzer.i18n import _

        _err(_("ipsec-preflight: note: {message}").format(message=message))
    if report is not None:
        from analyzer.findings import InputProblem

        file, sep, what = message.partition(": ")
        report.notes.append(InputProblem(file=file if sep else "", message=what if sep else message))


def _ci_options(fmt: "Fmt", output: Optional[Path], exit_zero: bool, quiet: bool, statistics: bool, color: Color,
                baseline: Optional[Path], write_baseline: Optional[Path], inputs=(), folders=()):
    """The output options checked (usage errors exit 2) and gathered; sets --quiet for the notes."""
    from analyzer.ci_output import Options

    global _QUIET
    _QUIET = quiet
    if statistics and fmt not in (Fmt.text, Fmt.json):
        raise typer.BadParameter(f"prints text or JSON, not --format {fmt.value}", param_hint="'--statistics'")
    if write_baseline is not None and baseline is not None:
        raise typer.BadParameter("give one: --write-baseline records every finding of this run (it replaces the "
                                 "baseline; the settings' `baseline` is not applied then)", param_hint="'--baseline'")
    if baseline is not None and output is not None and (
            os.path.abspath(output) == os.path.abspath(baseline) or _input_ids([output]) & _input_ids([baseline])):
        _err(f"ipsec-preflight: --output {output} is the baseline this run applies; refusing to overwrite it "
             "(choose another file)")
        raise typer.Exit(EXIT_INPUT)
    if write_baseline is not None:
        if output is not None and os.path.abspath(output) == os.path.abspath(write_baseline):
            raise typer.BadParameter("the report and the baseline need two files", param_hint="'--write-baseline'")
        _refuse_output_over_inputs(write_baseline, inputs, option="--write-baseline")
        _refuse_non_baseline(write_baseline)
    return Options(exit_zero=exit_zero, quiet=quiet, statistics=statistics, color=color.value,
                   baseline=str(baseline) if baseline is not None else None,
                   write_baseline=str(write_baseline) if write_baseline is not None else None)


def _refuse_non_baseline(path: Path) -> None:
    """--write-baseline replaces a baseline (it may sit in an audited folder), never another non-empty file."""
    from analyzer import baseline
    from parsers.common import InputError

    try:
        if not os.path.isfile(path) or os.path.getsize(path) == 0:
            return
        baseline.load(str(path))
    except (InputError, OSError):
        _err(f"ipsec-preflight: --write-baseline {path}: the file exists and is not a baseline file; refusing to "
             "overwrite it (choose another file)")
        raise typer.Exit(EXIT_INPUT)


def _input_ids(paths) -> set[tuple[int, int]]:
    ids = set()
    for p in paths:
        if p is None:
            continue
        try:
            st = os.stat(p)
        except (OSError, ValueError):
            continue
        ids.add((st.st_dev, st.st_ino))
    return ids


def _refuse_output_over_inputs(output: Optional[Path], inputs, folders=(), option: str = "--output") -> None:
    """--output naming one of the inputs (the same path, a symbolic link to it or a hard link) would replace
    it with the report: refused before any work (exit 2). Folders (audit) count with every file under them."""
    if output is None:
        return
    try:
        st = os.stat(output)
    except (OSError, ValueError):
        return  # does not exist yet (or cannot be looked at): it cannot be an input
    import stat

    if not stat.S_ISREG(st.st_mode):
        return  # /dev/null, a terminal, a pipe: writing to it replaces nothing
    files = list(inputs)
    if folders:
        from analyzer.audit import discover

        files += discover([str(f) for f in folders])[0]
    if (st.st_dev, st.st_ino) in _input_ids(files):
        _err(f"ipsec-preflight: {option} {output} is one of the input files; refusing to overwrite it "
             "(choose another file)")
        raise typer.Exit(EXIT_INPUT)


def _write_atomically(output: Path, body: str) -> None:
    """The report replaces the file only once written whole: it goes to a temporary file in the same folder,
    then os.replace. A failure (full disk, signal) leaves the previous file as it was and no partial file.
    A symbolic link is written through (its target is replaced); a non-regular file (/dev/null, a pipe) is
    written directly, there is nothing to replace."""
    import secrets
    import stat

    target = os.path.realpath(output)
    try:
        st = os.stat(target)
    except FileNotFoundError:
        st = None
    if st is not None and not stat.S_ISREG(st.st_mode):
        with open(target, "w", encoding="utf-8") as fh:
            fh.write(body)
        return
    folder, name = os.path.split(target)
    data = body.encode("utf-8")
    tmp = None
    try:
        while tmp is None:
            candidate = os.path.join(folder, f".{name}.{secrets.token_hex(4)}.tmp")
            try:  # mode 0o666 less the umask, as a new file would get; an existing file's mode is kept
                fd = os.open(candidate, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_CLOEXEC", 0), 0o666)
            except FileExistsError:
                continue
            tmp = candidate
        with os.fdopen(fd, "wb") as fh:
            if st is not None:
                os.fchmod(fh.fileno(), stat.S_IMODE(st.st_mode))
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
        tmp = None
    finally:
        if tmp is not None:
            try:
                os.unlink(tmp)
            except OSError:
                pass


def _read_or_note(path: Path, bad: list) -> Optional[str]:
    from parsers.common import InputError, read_text

    try:
        return read_text(path)
    except InputError as exc:
        bad.append(exc)
        return None


def _refuse_swapped(conn_text: Optional[str], dev_text: Optional[str]) -> None:
    """`check DEVICE.cfg CONNECTION.json`: said as such (exit 2) instead of two unrelated parse errors."""
    from parsers.registry import looks_like_json

    if conn_text is not None and dev_text is not None and looks_like_json(dev_text) \
            and not looks_like_json(conn_text):
        _err("ipsec-preflight: the arguments look swapped: check CONNECTION.json DEVICE.cfg (the first file is "
             "not JSON, the second is)")
        raise typer.Exit(EXIT_INPUT)


def _parse_device(text: str, path: Path, vendor: "Vendor"):
    """parse_device; a forced --vendor that reads no tunnel in a file that the detected vendor does read is an
    error (exit 2), not an empty device that would pass with "no findings"."""
    from parsers.common import InputError
    from parsers.registry import detect_vendor, parse_device

    dev = parse_device(text, str(path), vendor.value)
    if vendor is Vendor.auto:
        return dev
    detected = detect_vendor(text)
    if detected is None or detected == vendor.value:
        return dev
    if dev.endpoints:  # a forced vendor may be right (a Comware 5 export without its version line reads as Huawei)
        from analyzer.model import Diagnostic

        dev.diagnostics.append(Diagnostic(
            severity="warning", file=str(path), line=None,
            message=f"read as {vendor.value} (--vendor), but the file reads as {detected}: if {detected} is right, "
                    "values may be misread (different keywords and defaults); leave --vendor out to auto-detect"))
        return dev
    try:
        tunnels = len(parse_device(text, str(path), detected).endpoints)
    except InputError:
        return dev
    if tunnels:
        raise InputError(str(path), f"--vendor {vendor.value} finds no IPsec tunnel in this file, but it reads as "
                                    f"{detected} ({tunnels} tunnel(s)): pass --vendor {detected} or leave --vendor "
                                    "out (auto-detection)")
    return dev


def _is_terraform(path: Path) -> bool:
    """A Terraform source (a .tf file or a folder of them): parsers.alibaba.load reads it by its path."""
    return path.suffix.lower() == ".tf" or path.is_dir()


def _fetch(connection_id: Optional[str], regions: list[str]):
    """alibaba_api.fetch (imported only here: the SDK stays off the cold start); API failures exit 2."""
    from analyzer import alibaba_api

    try:
        return alibaba_api.fetch(connection_id, regions)
    except (alibaba_api.ApiUnavailable, alibaba_api.ApiError) as exc:
        _err(f"ipsec-preflight: {exc}")
        raise typer.Exit(EXIT_INPUT)


def _usage(message: str, option: str) -> None:
    raise typer.BadParameter(message, param_hint=option)  # usage error: exit 2, the usage line shown


@app.command()
def check(
    connection: Path = typer.Argument(..., metavar="CONNECTION.json",
                                      help="Alibaba IPsec connection: JSON (any supported shape, or a Terraform plan "
                                           "JSON), a .tf file or a folder of them; left out with --connection."),
    device: Optional[Path] = typer.Argument(None, metavar="DEVICE.cfg", help="Device configuration export."),
    vendor: Vendor = typer.Option(Vendor.auto, "--vendor", help="Device family; auto-detected by default."),
    fmt: Fmt = typer.Option(Fmt.text, "--format", help="Output format."),
    fail_on: Level = typer.Option(Level.error, "--fail-on", help="Lowest severity that makes the exit code 1."),
    customer_gateway: Optional[Path] = typer.Option(None, "--customer-gateway", metavar="FILE",
                                                    help="DescribeCustomerGateway JSON."),
    vpn_gateway: Optional[Path] = typer.Option(None, "--vpn-gateway", metavar="FILE",
                                               help="DescribeVpnGateway JSON."),
    connection_id: Optional[str] = typer.Option(None, "--connection", metavar="ID",
                                                help="Read the connection (vco-...) from the Alibaba API instead of "
                                                     "a file: check --connection ID --region R DEVICE.cfg (needs "
                                                     "pip install 'ipsec-preflight[api]' and Alibaba credentials)."),
    region: list[str] = typer.Option([], "--region", metavar="REGION", help="Region of --connection (cn-hangzhou)."),
    disable: list[str] = _disable_option(),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE",
                                          help="Write the report to this file."),
    exit_zero: bool = exit_zero_option(),
    quiet: bool = quiet_option(),
    statistics: bool = statistics_option(),
    color: Color = color_option(),
    baseline: Optional[Path] = baseline_option(),
    write_baseline: Optional[Path] = write_baseline_option(),
) -> None:
    """Compare every tunnel of the connection file with the device and report predicted errors."""
    from analyzer.checker import check as run_check
    from analyzer.findings import InputProblem, Report
    from parsers import alibaba
    from parsers.common import InputError
    from parsers.registry import looks_like_json
    from parsers.values import display_path

    if connection_id is not None:
        if device is not None:
            _usage("with --connection, give only DEVICE.cfg: check --connection ID --region R DEVICE.cfg",
                   "'--connection'")
        if len(region) != 1:
            _usage("--connection needs one --region (the connection's region, e.g. cn-hangzhou)", "'--region'")
        if customer_gateway or vpn_gateway:
            _usage("with --connection the API gives the gateways", "'--customer-gateway' / '--vpn-gateway'")
        connection, device = None, connection
    elif device is None:
        _usage("missing DEVICE.cfg: check CONNECTION.json DEVICE.cfg, or check --connection ID --region R "
               "DEVICE.cfg", "'DEVICE.cfg'")
    elif region:
        _usage("--region goes with --connection (the file names its own connection)", "'--region'")
    terraform = connection is not None and _is_terraform(connection)
    files = [device, customer_gateway, vpn_gateway] + ([connection] if connection and not connection.is_dir() else [])
    folders = [connection] if connection is not None and connection.is_dir() else []
    _refuse_output_over_inputs(output, files, folders)
    opts = _ci_options(fmt, output, exit_zero, quiet, statistics, color, baseline, write_baseline, files, folders)
    report = Report(version=__version__)
    tunnels, dev = [], None
    lookups = alibaba.Lookups()
    unread: list[InputError] = []
    given = alibaba.read_gateway_files(lookups, customer_gateway, vpn_gateway, unread)
    report.errors += [InputProblem(file=e.file, line=e.line, message=e.message) for e in unread]
    bad: list[InputError] = []  # one bad connection of a page is an error; the page's others are still checked
    conn_text = None if connection is None or terraform else _read_or_note(connection, bad)  # once each: pipes
    dev_text = _read_or_note(device, bad)
    _refuse_swapped(conn_text, dev_text)
    if conn_text is not None and dev_text is not None and looks_like_json(conn_text) and looks_like_json(dev_text):
        _err(f"ipsec-preflight: {device}: both files are JSON: check CONNECTION.json DEVICE.cfg takes a device "
             "configuration export as its second file")
        raise typer.Exit(EXIT_INPUT)
    if connection_id is not None:
        tunnels, fetched_bad, notes = _fetch(connection_id, region)
        bad += fetched_bad
        for note in notes:
            _note(f"{note}", report)
        # a region's list cut short (paging): marked as the file path marks one page of several
        partial = frozenset(n.file for n in notes if getattr(n, "partial", False))
        if not tunnels and not fetched_bad:
            bad.append(InputError(f"api:{region[0]}", f"connection {connection_id}: the API returned no tunnel"))
    try:
        if terraform:
            tunnels = alibaba.load(str(connection), lookups, errors=bad)
        elif conn_text is not None:
            tunnels = alibaba.load(str(connection), lookups, errors=bad, text=conn_text)
    except InputError as exc:
        bad.append(exc)
    for n in lookups.notes:  # what a Terraform read left out on purpose (a remote module, count = 0)
        _note(f"{n.file}: {n.message}" + (f" (line {n.line})" if n.line else ""), report)
    try:
        if dev_text is not None:
            dev = _parse_device(dev_text, device, vendor)
    except InputError as exc:
        bad.append(exc)
    report.errors += [InputProblem(file=e.file, line=e.line, message=e.message) for e in bad]
    report.errors += [InputProblem(file=file, message=why) for file, why in alibaba.unrelated_gateways(given, tunnels)]
    if len(report.errors) > len(bad):  # a wrong --vpn/--customer-gateway file: a check without it would mislead
        tunnels = []
    partial = partial if connection_id is not None else frozenset()
    if tunnels and conn_text is not None and (note := alibaba.page_note(alibaba.load_json(str(connection), conn_text))):
        _note(f"{tunnels[0].file}: {note}", report)
        partial = frozenset({tunnels[0].file})
    if tunnels and dev is not None:
        report.pairs = run_check(tunnels, dev, frozenset(disable), partial)
        _note_stand_ins(tunnels, report)
        if not dev.endpoints:  # its NoTunnelOnDevice finding alone: neither --exit-zero nor a baseline hides this
            report.errors.append(InputProblem(file=display_path(device), message=(
                f"no IPsec tunnel found in {display_path(device)}: no device tunnel to compare the connection's "
                "tunnels with (nothing was checked)")))
    texts = {display_path(p): t for p, t in ((connection, conn_text), (device, dev_text)) if t is not None}
    _finish(report, fmt, fail_on, output, read=texts.get, opts=opts,
            inputs=[connection if connection is not None else f"api:{region[0]} {connection_id}", device],
            excerpts=_excerpts(fmt, [dev] if dev is not None else []))


def _excerpts(fmt: "Fmt", devices) -> Optional[dict]:
    """The parsed devices' display lines, for the HTML page's excerpts (only then: walking a model costs)."""
    if fmt is not Fmt.html:
        return None
    from analyzer.excerpts import from_device

    return {dev.file: from_device(dev) for dev in devices}


def _note_stand_ins(tunnels, report=None) -> None:
    """LocalId / RemoteId used for a gateway IP the input lacks: said on stderr, once per connection and note."""
    from analyzer.rules.addressing import stand_ins

    said = set()
    for t in tunnels:
        for note in stand_ins(t):
            key = (t.file, t.connection_id, note)
            if key not in said:
                said.add(key)
                from analyzer.i18n import _

                _note(_("{file}: connection {connection}: {note}").format(
                    file=t.file, connection=t.connection_id or t.connection_name or "?", note=note), report)


@app.command()
def lint(
    devices: list[Path] = typer.Argument(..., metavar="DEVICE.cfg", help="Device configuration exports."),
    vendor: Vendor = typer.Option(Vendor.auto, "--vendor", help="Device family; auto-detected by default."),
    fmt: Fmt = typer.Option(Fmt.text, "--format", help="Output format."),
    fail_on: Level = typer.Option(Level.error, "--fail-on", help="Lowest severity that makes the exit code 1."),
    disable: list[str] = _disable_option(),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE",
                                          help="Write the report to this file."),
    exit_zero: bool = exit_zero_option(),
    quiet: bool = quiet_option(),
    statistics: bool = statistics_option(),
    color: Color = color_option(),
    baseline: Optional[Path] = baseline_option(),
    write_baseline: Optional[Path] = write_baseline_option(),
) -> None:
    """Check device configs alone against what Alibaba supports (no connection JSON needed)."""
    from analyzer.findings import InputProblem, Report
    from analyzer.lint import lint as run_lint
    from parsers.common import InputError, read_text

    _refuse_output_over_inputs(output, devices)
    opts = _ci_options(fmt, output, exit_zero, quiet, statistics, color, baseline, write_baseline, devices)
    report = Report(version=__version__)
    parsed, linted = [], []
    for path in devices:
        try:
            dev = _parse_device(read_text(path), path, vendor)
        except InputError as exc:
            report.errors.append(InputProblem(file=exc.file, line=exc.line, message=exc.message))
            continue
        report.pairs.append(run_lint(dev, frozenset(disable)))
        if fmt is Fmt.html:
            parsed.append(dev)
        linted.append(dev)
    if linted and not any(d.endpoints for d in linted):  # a clean report would say a device passed unchecked
        names = ", ".join(d.file for d in linted)
        report.errors.append(InputProblem(file=names, message=f"no IPsec tunnel found in {names}: nothing linted"))
    _finish(report, fmt, fail_on, output, opts=opts, inputs=devices, excerpts=_excerpts(fmt, parsed))


def _finish(report, fmt: "Fmt", fail_on: "Level", output: Optional[Path] = None, text_renderer=None,
            read=None, opts=None, fails=None, inputs=(), excerpts=None) -> None:
    """Print (or write to --output) the report in the chosen format and exit with the documented code.
    ``read``: file -> the text the command read (Alibaba JSON line numbers; pipes cannot be read twice);
    ``fails``: report -> whether it fails (audit: each file's own fail-on level), else by --fail-on;
    ``inputs``, ``excerpts`` (device file -> line -> display text): for the HTML page."""
    from analyzer import ci_output
    from analyzer.findings import RANK

    opts = opts or ci_output.Options()
    ci_output.prepare(report, read)
    report = ci_output.apply_baseline(report, opts, __version__, _err,
                                      lambda path, text: _write_atomically(Path(path), text))
    html = None
    if fmt is Fmt.html:
        from analyzer.excerpts import from_findings, merged

        html = ci_output.html_options(inputs, _STARTED, merged(excerpts or {}, from_findings(report)))
    body = ci_output.body(report, fmt.value, opts, text_renderer, to_file=output is not None, html=html)
    if output is not None:
        try:
            _write_atomically(output, body)
        except OSError as exc:
            _err(f"ipsec-preflight: {output}: cannot write the report: {exc.strerror or exc}"
                 + ("; the previous file is unchanged" if os.path.isfile(output) else ""))
            raise typer.Exit(EXIT_INPUT)
    else:
        sys.stdout.write(body)
    for err in report.errors:
        where = f"{err.file}:{err.line}" if err.line else err.file
        _err(f"ipsec-preflight: {where}: {err.message}")
    if report.errors:
        raise typer.Exit(EXIT_INPUT)
    failing = fails(report) if fails is not None else report.worst() >= RANK[fail_on.value]
    raise typer.Exit(EXIT_FINDINGS if failing and not opts.exit_zero else EXIT_OK)



@app.command()
def hook(
    files: Optional[list[Path]] = typer.Argument(None, metavar="FILE",
                                                 help="Files of the commit (pre-commit passes them)."),
    config: Optional[Path] = typer.Option(None, "--config", metavar="FILE",
                                          help="Project settings (default: the .ipsec-preflight.toml found from here up to the "
                                               "repository root)."),
    fmt: Fmt = typer.Option(Fmt.text, "--format", help="Output format."),
    exit_zero: bool = exit_zero_option(),
    quiet: bool = quiet_option(),
    statistics: bool = statistics_option(),
    color: Color = color_option(),
    baseline: Optional[Path] = typer.Option(None, "--baseline", metavar="FILE",
                                            help="Do not report the findings recorded in FILE (default: the settings' "
                                                 "`baseline`); list the entries that no longer occur."),
) -> None:
    """Pre-commit entry point: check the committed device configs as .ipsec-preflight.toml says (against
    its Alibaba JSON files, or device-only lint when it names none)."""
    from analyzer.hook import run_hook

    opts = _ci_options(fmt, None, exit_zero, quiet, statistics, color, baseline, None)
    code = run_hook([str(f) for f in files or []], str(config) if config else None, fmt.value, opts)
    raise typer.Exit(code)


@app.command()
def show(
    file: Path = typer.Argument(..., metavar="FILE", help="An Alibaba JSON file, a Terraform .tf file or folder, or a "
                                                          "device configuration."),
    vendor: Vendor = typer.Option(Vendor.auto, "--vendor", help="Device family for a device file."),
) -> None:
    """Print the normalized model of an input as JSON (pre-shared keys redacted)."""
    import json

    from parsers import alibaba
    from parsers.common import InputError, read_text
    from parsers.registry import looks_like_json

    try:
        if _is_terraform(file):
            doc = [m.model_dump(mode="json") for m in alibaba.load(str(file))]
            sys.stdout.write(json.dumps(doc, indent=2) + "\n")
            return
        text = read_text(file)  # read once: a pipe (show <(...)) cannot be read twice
        if looks_like_json(text):
            doc = [m.model_dump(mode="json") for m in alibaba.load(str(file), text=text)]
        else:
            doc = _parse_device(text, file, vendor).model_dump(mode="json")
    except InputError as exc:
        _err(f"ipsec-preflight: {exc}")
        raise typer.Exit(EXIT_INPUT)
    sys.stdout.write(json.dumps(doc, indent=2) + "\n")  # ensure_ascii: every control character is escaped


@app.command()
def rules(markdown: bool = typer.Option(False, "--markdown", help="Print docs/rules.md.")) -> None:
    """List the rules: code, severity, the Alibaba code predicted, and what each checks."""
    from analyzer.reporters.terminal import safe_lines
    from analyzer.rules import all_rules
    from analyzer.rules_doc import markdown as md

    if markdown:
        sys.stdout.write(safe_lines(md().removesuffix("\n").split("\n")))
        return
    sys.stdout.write(safe_lines(f"{r.code:<32} {r.severity:<8} {r.alibaba_code or '-':<32} {r.doc}"
                                for r in all_rules()))


class Terminated(BaseException):
    """SIGTERM received: unwinds like KeyboardInterrupt (an audit's worker pool is terminated on the way out,
    a report being written is not left half-written). BaseException: no `except Exception` swallows it."""


def _on_sigterm(signum, frame) -> None:
    import signal

    if os.getpid() != _MAIN_PID:  # an audit worker forked before it reset the handler: end quietly
        os._exit(128 + signum)
    signal.signal(signal.SIGTERM, signal.SIG_IGN)  # once: a second SIGTERM must not interrupt the clean-up
    raise Terminated


_MAIN_PID = os.getpid()


@app.command()
def vendors(markdown: bool = typer.Option(False, "--markdown", help="Print docs/vendors.md.")) -> None:
    """List each vendor's defaults: value, releases, default, and the document it comes from."""
    import importlib

    from analyzer.reporters.terminal import safe_lines
    from analyzer.vendors_doc import markdown as md
    from parsers.registry import VENDORS

    if markdown:
        sys.stdout.write(safe_lines(md().removesuffix("\n").split("\n")))
        return
    tables = [importlib.import_module(f"{module}.defaults").DEFAULTS for module in VENDORS.values()]
    sys.stdout.write(safe_lines(f"{t.vendor:<12} {r.label or r.key:<56} {r.releases:<16} {r.what} [{r.source}]"
                                for t in tables for r in t.rows))


@app.command("fix-plan")
def fix_plan(
    reports: list[Path] = typer.Argument(..., metavar="REPORT.json", help="JSON report(s) of check, lint, audit or hook --format json "
                                                   "(- reads standard input)."),
    output_dir: Optional[Path] = typer.Option(None, "--output-dir", help="Write one DEVICE-PATH.fix file per "
                                              "device file (path separators as __) instead of printing."),
) -> None:
    """Merge the device commands of a JSON report into one patch per device file (see README "Fix plan").

    Exit codes: 0 = plan written; 1 = two fixes set one thing to different values (a CONFLICT comment names
    them); 2 = a report could not be read (the others are still planned)."""
    import json

    from pydantic import ValidationError

    from analyzer.findings import Report
    from analyzer.fix_plan import plans, render
    from analyzer.reporters.terminal import safe_lines
    from parsers.common import InputError, read_text

    loaded, bad = [], False
    for path in reports:
        try:
            text = sys.stdin.read() if str(path) == "-" else read_text(path)
            data = json.loads(text)
            if not isinstance(data, dict) or data.get("tool") != "ipsec-preflight":  # SARIF, package.json...
                raise ValueError("not a report")
            report = Report.model_validate(data)
            loaded.append(report)
            for e in report.errors:  # the run that wrote it exited 2: its plan is partial, say why
                _err(f"{path}: the report lists an input error, so its plan is partial: {e.file}"
                     f"{':' + str(e.line) if e.line else ''}: {e.message}")
                bad = True
        except InputError as exc:
            _err(f"ipsec-preflight: {exc}")
            bad = True
        except OSError as exc:
            _err(f"{path}: cannot read: {exc.strerror or exc.__class__.__name__}")
            bad = True
        except (ValidationError, ValueError):  # never its text: it quotes the input
            _err(f"{path}: not a JSON report of ipsec-preflight (check, lint, audit or hook --format json)")
            bad = True
    result = plans(loaded)
    if loaded and not result:  # never an empty output that looks like "nothing to fix"
        _err("ipsec-preflight: the report(s) hold no device file: no fix plan")
    if output_dir is None:
        sys.stdout.write(safe_lines(line for i, plan in enumerate(result) for line in ([""] if i else []) + render(plan)))
    else:
        output_dir.mkdir(parents=True, exist_ok=True)
        for plan in result:
            name = plan.device.lstrip("./").replace("/", "__").replace("\\", "__") + ".fix"
            _write_atomically(output_dir / name, safe_lines(render(plan)))
    if bad:
        raise typer.Exit(EXIT_INPUT)
    if any(plan.conflicts for plan in result):
        raise typer.Exit(EXIT_FINDINGS)


if __name__ == "__main__":  # `python -m analyzer.cli`: the commands below import this module back by its name
    sys.modules.setdefault("analyzer.cli", sys.modules[__name__])

from analyzer.audit_cli import audit as _audit  # noqa: E402  (imports this module back)

app.command("audit")(_audit)

from analyzer.explain_cli import explain as _explain  # noqa: E402  (its module imports only typer)

app.command("explain")(_explain)

from analyzer.generate_cli import generate as _generate  # noqa: E402  (its module imports only typer)

app.command("generate")(_generate)


def main() -> None:
    import signal

    global _MAIN_PID
    _MAIN_PID = os.getpid()
    signal.signal(signal.SIGTERM, _on_sigterm)
    registered = app.registered_commands[:]
    try:
        app.registered_commands[:] = _invoked(registered, sys.argv[1:])
        app()
    except SystemExit:
        raise
    except KeyboardInterrupt:
        sys.exit(130)
    except Terminated:
        _err("ipsec-preflight: stopped by SIGTERM; the run did not complete")
        sys.exit(128 + signal.SIGTERM)
    except OSError as exc:
        if exc.errno not in _OUTPUT_FULL:
            _err(f"ipsec-preflight: internal error ({bug_at(exc)}); please report this with the input files")
            sys.exit(EXIT_INTERNAL)
        from analyzer.streams import to_null

        to_null(sys.stdout)
        _err(f"ipsec-preflight: cannot write the report: {exc.strerror or exc}; the report is incomplete")
        sys.exit(EXIT_INPUT)
    except Exception as exc:  # no traceback for users; the message says what to report
        # Never str(exc): a pydantic ValidationError's text quotes the input value (possibly a key).
        _err(f"ipsec-preflight: internal error ({bug_at(exc)}); please report this with "
             "the input files")
        sys.exit(EXIT_INTERNAL)
    finally:
        app.registered_commands[:] = registered


_GLOBAL_WITH_VALUE = ("--max-file-size", "--lang")  # the group's options that take a value (see _options)


def _invoked(commands: list, args: list[str]) -> list:
    """The registered command ``args`` name, alone, when it names one: typer then builds only that command
    (each command's signature inspected and its parameters made: ~30 M instructions for all of them, 0.8x
    `python -c pass`). Every command when none is named (--help lists them), on a typo (the suggestion lists
    them) and for shell completion."""
    if any(k.endswith("_COMPLETE") or k.startswith("_TYPER_COMPLETE") for k in os.environ):
        return commands
    i = 0
    while i < len(args) and args[i].startswith("-") and args[i] != "--":
        i += 2 if args[i] in _GLOBAL_WITH_VALUE else 1
    if i >= len(args):
        return commands
    from typer.main import get_command_name

    named = [c for c in commands if (c.name or get_command_name(c.callback.__name__)) == args[i]]
    return named if len(named) == 1 else commands


def entry() -> None:
    """The `ipsec-preflight` console script: main() without the interpreter's teardown once the command is
    done (analyzer/fast_start.py). main() itself returns control as before (callers may catch SystemExit)."""
    try:
        main()
    except SystemExit as done:
        if done.code is None or isinstance(done.code, int):
            fast_start.leave(done.code or 0)
        raise


if __name__ == "__main__":
    entry()
