"""Text output of `audit`: one grep-able line per finding (file:line: severity code message), then the
summary per code, per device and per connection, and what could not be paired or read. Every line goes
through terminal.safe (no control character from an input reaches the terminal raw)."""
from __future__ import annotations

from analyzer.findings import Counts, Finding, Report
from analyzer.reporters.terminal import safe_lines


def finding_line(f: Finding, device: str, context: str) -> str:
    """`file:line: severity code: message [context]` - grep-able, like a compiler's diagnostics."""
    where = device
    if f.device and f.device.file and f.device.line:
        where = f"{f.device.file}:{f.device.line}"
    elif f.alibaba and f.alibaba.file and f.alibaba.line:  # located in the Alibaba JSON only
        where = f"{f.alibaba.file}:{f.alibaba.line}"
    elif f.device is None and f.alibaba and f.alibaba.file:  # about the Alibaba input alone: not the device file
        where = f.alibaba.file
    flag = " [suppressed]" if f.suppressed else ""
    return f"{where}: {f.severity} {f.code}{flag}: {f.message}{context}"


def fix_block(f: Finding) -> list[str]:
    """The fix under its finding line, indented (commands as they stand, then the Alibaba side and a note)."""
    from analyzer.reporters.text import fix_lines

    return [] if f.suppressed else ["    " + line for line in fix_lines(f.fix)]


def _counts(c: Counts) -> str:
    extra = f", {c.suppressed} suppressed" if c.suppressed else ""
    return f"{c.error} error(s), {c.warning} warning(s), {c.info} info{extra}"


def render(report: Report, top: int = 20, skipped=None, settings: str | None = None, notes=()) -> str:
    """``skipped``: the files left out, each with ``file`` and ``reason`` (default: the summary's own list);
    ``settings``: the settings file used, shown so that its effect is never a surprise; ``notes``: input notes
    (``file``, ``message``) that do not fail the audit (a page of a longer connection list)."""
    out: list[str] = []
    for p in report.pairs:
        out += pair_lines(p)
    out += summary_lines(report, top, skipped, settings, notes)
    while out and not out[0]:
        del out[0]
    return safe_lines(out)


def pair_lines(p) -> list[str]:
    """A pair's findings, each with its fix (the streaming report writes them as the device arrives)."""
    out: list[str] = []
    context = f"  [{p.connection}/{p.tunnel or '-'}]" if p.alibaba_file else ""
    for f in p.findings:
        out.append(finding_line(f, p.device, context))
        out.extend(fix_block(f))
    return out


def summary_lines(report: Report, top: int = 20, skipped=None, settings: str | None = None, notes=()) -> list[str]:
    """What follows the pairs' findings: the cross-connection findings, then the summary (a blank line first)."""
    s = report.audit
    skipped = getattr(s, "skipped", []) if skipped is None else skipped
    out: list[str] = []
    for f in s.cross:
        if f.device and f.device.file:  # located at a device line (an unpaired device tunnel)
            out.append(finding_line(f, f.device.file, ""))
        else:
            ali = f.alibaba if f.alibaba and f.alibaba.file and f.alibaba.field else None
            if ali and ali.line:
                out.append(f"{ali.file}:{ali.line}: {f.severity} {f.code}: {f.message} [{ali.field}]")
            else:
                where = f" [{ali.file}: {ali.field}]" if ali else ""
                out.append(f"(audit): {f.severity} {f.code}: {f.message}{where}")
        out.extend(fix_block(f))
    out.append("")
    out.append("Audit summary")
    if settings is not None:
        out.append(f"  settings: {settings}")
    out.append(f"  files: {s.files} ({s.devices} device configs parsed, {s.alibaba_files} Alibaba input(s)"
               + (f", {len(skipped)} skipped" if skipped else "") + ")")
    if s.mode == "lint" and s.alibaba_files:  # given, but none held a connection (see "files not checked")
        out.append(f"  no connection loaded from the {s.alibaba_files} Alibaba JSON file(s) given: devices were only "
                   "linted against what Alibaba supports")
    elif s.mode == "lint":
        out.append("  no Alibaba JSON given: devices were linted against what Alibaba supports")
    else:
        out.append(f"  connections: {s.connections} ({s.tunnels} tunnels); pairs checked: {s.pairs}")
    out.append(f"  findings: {_counts(s.totals)}")
    if s.by_code:
        out.append("  by code:")
        for code, c in sorted(s.by_code.items(), key=lambda kv: (-kv[1].error, -kv[1].warning, kv[0])):
            out.append(f"    {code:<32} {_counts(c)}")
    worst = sorted(((d, c) for d, c in s.by_device.items() if c.error or c.warning),
                   key=lambda kv: (-kv[1].error, -kv[1].warning, kv[0]))
    if worst:
        out.append(f"  devices with errors or warnings: {len(worst)}" + (f" (top {top})" if len(worst) > top else ""))
        out.extend(f"    {d}: {_counts(c)}" for d, c in worst[:top])
    conns = sorted(((k, c) for k, c in s.by_connection.items() if c.error or c.warning),
                   key=lambda kv: (-kv[1].error, -kv[1].warning, kv[0]))
    if conns:
        out.append(f"  connections with errors or warnings: {len(conns)}" + (f" (top {top})" if len(conns) > top else ""))
        out.extend(f"    {k}: {_counts(c)}" for k, c in conns[:top])
    if s.unpaired_tunnels:
        out.append(f"  Alibaba tunnels no device peers with: {len(s.unpaired_tunnels)}")
        out.extend(f"    {t.connection or t.connection_name}/{t.tunnel or '-'} gateway {_ip(t.gateway, _NO_GW)} "
                   f"customer gateway {_ip(t.customer_gateway, _NO_CGW)} ({t.alibaba_file})"
                   for t in s.unpaired_tunnels[:top])
    if s.ambiguous:
        out.append(f"  device peers matching several Alibaba tunnels (add them to a pairing file): {len(s.ambiguous)}")
        out.extend(f"    {e.device} {e.endpoint} -> {', '.join(e.candidates)}" for e in s.ambiguous[:top])
    if s.unpaired_endpoints:
        out.append(f"  device peers with no Alibaba connection: {len(s.unpaired_endpoints)}")
        out.extend(f"    {e.device} {e.endpoint} peer {e.peer}" for e in s.unpaired_endpoints[:top])
    if skipped:
        out.extend(_skipped(skipped, top))
    if notes:
        out.append(f"  notes: {len(notes)}")
        out.extend(f"    {n.file}: {n.message}" for n in notes)
    if report.errors:
        out.append(f"  files not checked: {len(report.errors)}")
        out.extend(f"    {e.file}{':' + str(e.line) if e.line else ''}: {e.message}" for e in report.errors)
    return out


_NO_GW = "no InternetIp, and LocalId is not an address"
_NO_CGW = "no customer gateway IpAddress, and RemoteId is not an address"


def _ip(value: str | None, why: str) -> str:
    return value if value else f"unknown ({why})"


def _skipped(skipped, top: int) -> list[str]:
    """Skipped files grouped by reason: documentation and the like are named (up to ``top``), bulk reasons
    (excluded, ignored by git) are counted with a few examples."""
    groups: dict[str, list[str]] = {}
    for k in skipped:
        groups.setdefault(k.reason, []).append(k.file)
    out = [f"  skipped (not device configs or connections, or filtered out): {len(skipped)}"]
    for reason, files in sorted(groups.items()):
        shown = files[:top] if reason.startswith("not ") else files[:3]
        more = f" ... and {len(files) - len(shown)} more" if len(files) > len(shown) else ""
        out.append(f"    {reason}: {', '.join(shown)}{more}")
    return out
