"""GitHub Actions workflow commands: one `::error|warning|notice file=F,line=L,col=C,title=T::message` line per
finding, so each lands as an annotation on the file and line in the run and the pull request.

Escaping follows GitHub's toolkit (actions/toolkit packages/core/src/command.ts, escapeData / escapeProperty):
in the message `%`, CR and LF become %25, %0D, %0A; in a property value also `:` and `,` (%3A, %2C). A newline
from an input therefore cannot start a command of its own. Paths are relative to the repository root
(analyzer.src_root), which is what the runner resolves `file=` against. The first line, a notice, says what was
checked, so a run that checked nothing is not an empty, green log."""
from __future__ import annotations

from analyzer.findings import Finding, Report
from analyzer.i18n import N_, _
from analyzer.reporters.ci_summary import baseline_sentence, coverage
from analyzer.reporters.terminal import safe
from analyzer.src_root import first_file, is_file, shown

_COMMAND = {"error": "error", "warning": "warning", "info": "notice"}
_SHOWN = N_("only the first 10")  # actions/toolkit docs/problem-matchers.md: 10 per level and step, 50 per job


def escape_data(text: str) -> str:
    """The toolkit's escaping, then the other controls (ESC, bidi overrides) as visible escapes (the runner's
    log viewer would apply them) and no legacy `##[` command (the runner finds one anywhere in a line)."""
    return safe(text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A"))


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(level: str, message: str, *, file: str | None = None, line: int | None = None,
            col: int | None = None, title: str | None = None) -> str:
    """One workflow command; ``file`` only when it is a file (a live API answer is not: no `file=`)."""
    if file and not is_file(file):
        message, file = f"{file}: {message}", None
    props = [f"{k}={escape_property(str(v))}" for k, v in
             (("file", shown(file) if file else None), ("line", line if file else None),
              ("col", col if file else None), ("title", title)) if v]
    return f"::{level}{' ' + ','.join(props) if props else ''}::{escape_data(message)}"


def _where(f: Finding, fallback: str | None) -> tuple[str | None, int | None, int | None]:
    d, a = f.device, f.alibaba
    if d and d.file and d.line:
        return d.file, d.line, None
    if a and a.file and a.line and is_file(a.file):
        return a.file, a.line, a.column
    return first_file(d.file if d else None, a.file if a else None, fallback), None, None


def _finding(f: Finding, fallback: str | None, context: str) -> str:
    file, line, col = _where(f, fallback)
    text = f.message + (f" [{context}]" if context else "")
    if f.fix and f.fix.device:
        text += "\n" + _("Fix on the device:") + "\n" + "\n".join(f.fix.device)
    if f.fix and f.fix.alibaba:
        text += "\n" + _("Or on Alibaba: {fields}").format(
            fields=", ".join(f"{k} = {v}" for k, v in f.fix.alibaba.items()))
    title = f"{f.code}: {_(f.title)}" + (_(" (Alibaba {code})").format(code=f.alibaba_code)
                                          if f.alibaba_code and f.alibaba_code != f.code else "")
    return command(_COMMAND[f.severity], text, file=file, line=line, col=col, title=title)


def render(report: Report) -> str:
    """The summary first (a notice, so it is always among the annotations shown), then inputs not checked, then
    findings worst first: GitHub shows only the first 10 annotations of each level per step (actions/toolkit
    docs/problem-matchers.md, "Limitations"); the rest stay in the log, and the summary says so."""
    by_level: dict[str, list[str]] = {"error": [], "warning": [], "info": []}
    suppressed = 0
    for p in report.pairs:
        context = " ".join(x for x in (p.connection, p.tunnel) if x)
        for f in p.findings:
            if f.suppressed:
                suppressed += 1
            else:
                by_level[f.severity].append(
                    _finding(f, first_file(f.alibaba.file if f.alibaba else None, p.alibaba_file, p.device), context))
    for f in (report.audit.cross if report.audit else []):
        if f.suppressed:
            suppressed += 1
        else:
            by_level[f.severity].append(_finding(f, f.alibaba.file if f.alibaba else None, ", ".join(f.related)))
    inputs = [command("error", e.message, file=e.file, line=e.line, title=_("input not checked"))
              for e in report.errors]
    notes = [command("warning", n.message, file=n.file, line=n.line, title=_("input note"))
             for n in (report.audit.notes if report.audit else [])]
    covered = coverage(report)
    summary = _("{errors} error(s), {warnings} warning(s), {infos} info, {suppressed} suppressed; {coverage}, "
                "{inputs} input(s) not checked").format(
        errors=len(by_level["error"]), warnings=len(by_level["warning"]), infos=len(by_level["info"]),
        suppressed=suppressed, coverage=covered.sentence(), inputs=len(report.errors))
    if baselined := baseline_sentence(report):
        summary += _("; {sentence}").format(sentence=baselined)
    if covered.nothing:
        summary += _("; nothing was checked (no tunnel compared or linted)")
    per_level = (len(inputs) + len(by_level["error"]), len(notes) + len(by_level["warning"]), len(by_level["info"]) + 1)
    if max(per_level) > 10 or sum(per_level) > 50:
        summary += _("; GitHub shows {shown} annotations of each level per step, this log lists them all").format(
            shown=_(_SHOWN))
    lines = [command("notice", summary, title="ipsec-preflight"), *inputs, *by_level["error"], *notes,
             *by_level["warning"], *by_level["info"]]
    return "".join(line + "\n" for line in lines)
