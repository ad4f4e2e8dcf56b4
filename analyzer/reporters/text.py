"""Human-readable report, grouped by tunnel. Every line goes through terminal.safe (no control character
from an input reaches the terminal raw; see analyzer/reporters/terminal.py)."""
from __future__ import annotations

from analyzer.findings import Finding, Fix, PairResult, Report
from analyzer.reporters.terminal import safe_lines

_LABEL = {"error": "ERROR", "warning": "WARN ", "info": "INFO "}


def alibaba_side(fix: Fix) -> str:
    """The Alibaba-side alternative as one line: `IkeConfig.IkeAuthAlg = sha1, EnableDpd = true`."""
    return ", ".join(f"{field} = {value}" for field, value in fix.alibaba.items())


def alibaba_label(fix: Fix) -> str:
    """How the Alibaba values relate to the commands: instead of them, as well as them, or the whole fix."""
    if not fix.device:
        return "Fix on Alibaba"
    return "And on Alibaba" if fix.alibaba_required else "Or on Alibaba"


def fix_lines(fix: Fix | None) -> list[str]:
    """A fix as plain lines (the device commands as they stand, then labelled lines for the Alibaba-side
    alternative and the note), for one-line-per-finding formats (`audit`, `hook`) to print indented."""
    if fix is None:
        return []
    out = list(fix.device)
    if fix.alibaba:
        out.append(f"{alibaba_label(fix)}: {alibaba_side(fix)}")
    if fix.note:
        out.append(f"Note: {fix.note}")
    return out


def _finding(f: Finding) -> list[str]:
    pad = " " * 12
    head = f"  {_LABEL[f.severity]}  {f.code}: {f.title}"
    if f.alibaba_code and f.alibaba_code != f.code:
        head += f" (Alibaba: {f.alibaba_code})"
    if f.suppressed:
        head += "  [suppressed]"
    out = [head, f"{pad}{f.message}"]
    if f.alibaba and (f.alibaba.field or f.alibaba.value):
        value = f" = {f.alibaba.value}" if f.alibaba.value is not None else ""
        where = f"{f.alibaba.file}:{f.alibaba.line}  " if f.alibaba.file and f.alibaba.line else ""  # as Device:
        out.append(f"{pad}Alibaba: {where}{f.alibaba.field or '?'}{value}")
    if f.device:
        d = f.device
        where = f"{d.file}:{d.line}" if d.line else (d.file or "")
        text = f"  {d.text}" if d.text else ""
        default = f"  ({d.default})" if d.default else ""
        out.append(f"{pad}Device:  {where}{text}{default}")
    if f.fix:  # device commands one line each (a newline inside a line is escaped), the rest labelled
        for i, line in enumerate(f.fix.device):
            out.append(f"{pad}{'Fix:     ' if i == 0 else ' ' * 9}{line}")
        if f.fix.alibaba:
            out.append(f"{pad}{alibaba_label(f.fix)}: {alibaba_side(f.fix)}")
        if f.fix.note:
            out.append(f"{pad}Note:    {f.fix.note}")
    return out


_PLAN = {"replace": "replace (the connection is deleted and re-created: its tunnels go down and renegotiate)"}


def _none_left(p: PairResult) -> str | None:
    """A pair with no finding left because the baseline took them: never "no findings"."""
    return f"  no new findings: {p.baselined} baselined" if p.baselined else None


def render(report: Report) -> str:
    lines: list[str] = []
    for err in report.errors:
        where = f"{err.file}:{err.line}" if err.line else err.file
        lines.append(f"input error: {where}: {err.message}")
    counts = {"error": 0, "warning": 0, "info": 0}
    suppressed = 0
    for p in report.pairs:
        tunnel = f" tunnel {p.tunnel} ({p.role})" if p.tunnel else ""
        name = f" ({p.connection_name})" if p.connection_name else ""
        lines.append("")
        if p.alibaba_file is None:  # device-only lint
            lines.append(f"Device {p.device} [{p.vendor}] endpoints: {p.endpoint or 'no site-to-site tunnel'}")
            if not p.findings:
                lines.append(_none_left(p) or "  no findings: nothing Alibaba does not support")
        else:
            plan = f" [Terraform plan: {_PLAN.get(p.plan_action, p.plan_action)}]" if p.plan_action else ""
            lines.append(f"Connection {p.connection or '?'}{name}{tunnel}{plan}")
            lines.append(f"  vs {p.device} [{p.vendor}] endpoint: {p.endpoint or 'none matched'}")
            if not p.findings:
                lines.append(_none_left(p) or "  no findings: the configurations agree on everything checked")
        for f in p.findings:
            if f.suppressed:
                suppressed += 1
            else:
                counts[f.severity] += 1
            lines.extend(_finding(f))
    lines.append("")
    unit = "device(s)" if report.pairs and report.pairs[0].alibaba_file is None else "tunnel pair(s)"
    lines.append(f"Summary: {counts['error']} error(s), {counts['warning']} warning(s), {counts['info']} info "
                 f"in {len(report.pairs)} {unit}" + (f"; {suppressed} suppressed" if suppressed else "")
                 + (f"; {len(report.errors)} input error(s)" if report.errors else ""))
    while lines and not lines[0]:
        del lines[0]
    return safe_lines(lines)
