"""Human-readable report, grouped by tunnel. Every line goes through terminal.safe (no control character
from an input reaches the terminal raw; see analyzer/reporters/terminal.py). Prose is marked for translation
(analyzer/i18n.py); the severity labels ERROR/WARN/INFO stay as they are in every language (grep, colour)."""
from __future__ import annotations

import unicodedata

from analyzer.findings import Finding, Fix, PairResult, Report
from analyzer.i18n import N_, _
from analyzer.reporters.terminal import safe_lines

_LABEL = {"error": "ERROR", "warning": "WARN ", "info": "INFO "}
_PAD = 9  # labelled lines under a finding: the label padded to this many columns, then the value


def width(text: str) -> int:
    """Terminal columns of ``text``: CJK (wide, full-width) characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def padded(label: str, columns: int = _PAD) -> str:
    """``label`` followed by spaces up to ``columns`` (at least one space)."""
    return label + " " * max(1, columns - width(label))


def alibaba_side(fix: Fix) -> str:
    """The Alibaba-side alternative as one line: `IkeConfig.IkeAuthAlg = sha1, EnableDpd = true`."""
    return ", ".join(f"{field} = {value}" for field, value in fix.alibaba.items())


def alibaba_label(fix: Fix) -> str:
    """How the Alibaba values relate to the commands: instead of them, as well as them, or the whole fix."""
    if not fix.device:
        return _("Fix on Alibaba")
    return _("And on Alibaba") if fix.alibaba_required else _("Or on Alibaba")


def alibaba_line(fix: Fix) -> str:
    """`Or on Alibaba: IkeConfig.IkeAuthAlg = sha1` (the label as alibaba_label gives it)."""
    return _("{label}: {fields}").format(label=alibaba_label(fix), fields=alibaba_side(fix))


def note_line(note: str) -> str:
    return _("Note: {note}").format(note=note)


def fix_lines(fix: Fix | None) -> list[str]:
    """A fix as plain lines (the device commands as they stand, then labelled lines for the Alibaba-side
    alternative and the note), for one-line-per-finding formats (`audit`, `hook`) to print indented."""
    if fix is None:
        return []
    out = list(fix.device)
    if fix.alibaba:
        out.append(alibaba_line(fix))
    if fix.note:
        out.append(note_line(fix.note))
    return out


def _finding(f: Finding) -> list[str]:
    pad = " " * 12
    head = f"  {_LABEL[f.severity]}  {f.code}: {_(f.title)}"
    if f.alibaba_code and f.alibaba_code != f.code:
        head += _(" (Alibaba: {code})").format(code=f.alibaba_code)
    if f.suppressed:
        head += "  " + _("[suppressed]")
    out = [head, f"{pad}{f.message}"]
    if f.alibaba and (f.alibaba.field or f.alibaba.value):
        value = f" = {f.alibaba.value}" if f.alibaba.value is not None else ""
        where = f"{f.alibaba.file}:{f.alibaba.line}  " if f.alibaba.file and f.alibaba.line else ""  # as Device:
        label = padded(_("Alibaba:"))
        out.append(f"{pad}{label}{where}{f.alibaba.field or '?'}{value}")
    if f.device:
        d = f.device
        where = f"{d.file}:{d.line}" if d.line else (d.file or "")
        text = f"  {d.text}" if d.text else ""
        default = "  " + _("({default})").format(default=d.default) if d.default else ""
        label = padded(_("Device:"))
        out.append(f"{pad}{label}{where}{text}{default}")
    if f.fix:  # device commands one line each (a newline inside a line is escaped), the rest labelled
        label = padded(_("Fix:"))
        for i, line in enumerate(f.fix.device):
            out.append(f"{pad}{label if i == 0 else ' ' * _PAD}{line}")
        if f.fix.alibaba:
            out.append(f"{pad}{alibaba_line(f.fix)}")
        if f.fix.note:
            out.append(pad + padded(_("Note:")) + f.fix.note)
    return out


# Terraform plan actions (parsers/alibaba.py); an action not listed here is shown as it is
_PLAN = {"replace": N_("replace (the connection is deleted and re-created: its tunnels go down and renegotiate)"),
         "create": N_("create"), "update": N_("update")}
_ROLES = {"master": N_("master"), "slave": N_("slave")}  # Alibaba's tunnel roles; tunnel1/tunnel2 stay as they are


def plan_words(action: str) -> str:
    return _(_PLAN[action]) if action in _PLAN else action


def _none_left(p: PairResult) -> str | None:
    """A pair with no finding left because the baseline took them: never "no findings"."""
    return _("  no new findings: {count} baselined").format(count=p.baselined) if p.baselined else None


def _heading(p: PairResult) -> list[str]:
    if p.alibaba_file is None:  # device-only lint
        out = [_("Device {device} [{vendor}] endpoints: {endpoints}").format(
            device=p.device, vendor=p.vendor, endpoints=p.endpoint or _("no site-to-site tunnel"))]
        if not p.findings:
            out.append(_none_left(p) or _("  no findings: nothing Alibaba does not support"))
        return out
    role = _(_ROLES[p.role]) if p.role in _ROLES else p.role
    tunnel = _(" tunnel {tunnel} ({role})").format(tunnel=p.tunnel, role=role) if p.tunnel else ""
    name = f" ({p.connection_name})" if p.connection_name else ""
    plan = _(" [Terraform plan: {action}]").format(action=plan_words(p.plan_action)) if p.plan_action else ""
    out = [_("Connection {connection}{name}{tunnel}{plan}").format(connection=p.connection or "?", name=name,
                                                                  tunnel=tunnel, plan=plan),
           _("  vs {device} [{vendor}] endpoint: {endpoint}").format(
               device=p.device, vendor=p.vendor, endpoint=p.endpoint or _("none matched"))]
    if not p.findings:
        out.append(_none_left(p) or _("  no findings: the configurations agree on everything checked"))
    return out


def summary_line(counts: dict, pairs: int, devices_alone: bool, suppressed: int, input_errors: int) -> str:
    """`Summary: 3 error(s), 4 warning(s), 1 info in 1 tunnel pair(s)` and what was suppressed or not read."""
    unit = _("{count} device(s)") if devices_alone else _("{count} tunnel pair(s)")
    text = _("Summary: {errors} error(s), {warnings} warning(s), {infos} info in {unit}").format(
        errors=counts["error"], warnings=counts["warning"], infos=counts["info"], unit=unit.format(count=pairs))
    if suppressed:
        text += _("; {count} suppressed").format(count=suppressed)
    if input_errors:
        text += _("; {count} input error(s)").format(count=input_errors)
    return text


def input_error_line(where: str, message: str) -> str:
    return _("input error: {where}: {message}").format(where=where, message=message)


def headings() -> tuple[str, ...]:
    """How this report's heading lines start (for colour): the text before each template's first field."""
    return tuple(_(t).split("{")[0] for t in (
        "Summary: {errors} error(s), {warnings} warning(s), {infos} info in {unit}",
        "Connection {connection}{name}{tunnel}{plan}", "Device {device} [{vendor}] endpoints: {endpoints}"))


def input_error_heading() -> str:
    return _("input error: {where}: {message}").split("{")[0]


def render(report: Report) -> str:
    lines: list[str] = []
    for err in report.errors:
        where = f"{err.file}:{err.line}" if err.line else err.file
        lines.append(input_error_line(where, err.message))
    counts = {"error": 0, "warning": 0, "info": 0}
    suppressed = 0
    for p in report.pairs:
        lines.append("")
        lines.extend(_heading(p))
        for f in p.findings:
            if f.suppressed:
                suppressed += 1
            else:
                counts[f.severity] += 1
            lines.extend(_finding(f))
    lines.append("")
    alone = bool(report.pairs) and report.pairs[0].alibaba_file is None
    lines.append(summary_line(counts, len(report.pairs), alone, suppressed, len(report.errors)))
    while lines and not lines[0]:
        del lines[0]
    return safe_lines(lines)
