"""One self-contained HTML page (no network) sized for an audit of hundreds of devices: the run's inputs and time,
counts per severity, a chart of findings by code with one scale per severity, then one collapsible group per
device (errors first) with its findings, evidence, config excerpt and fix (with a copy button). Filters by
severity, code, vendor and a search box run in the page. Every string from the inputs goes through escape(); the
only script is ours (html_assets.py), pinned by its hash in the Content-Security-Policy, so nothing injected can
run. Paths are shown short (display_paths.py): relative to the current folder, else from a marked prefix."""
from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timezone
from html import escape as _html_escape

from analyzer.findings import Counts, Finding, PairResult, Report
from analyzer.i18n import N_, _, language
from analyzer.redact import shown
from analyzer.reporters.display_paths import Paths, display_path  # noqa: F401 (display_path: for callers)
from analyzer.reporters.html_assets import CSS, script
from analyzer.reporters.terminal import html_text_safe
from analyzer.reporters.text import alibaba_label, plan_words


def escape(text: str) -> str:
    """Text from the inputs for the page: control and bidi characters shown as visible escapes (a bidi
    override would reorder the page; see terminal.py), then HTML-escaped."""
    return _html_escape(html_text_safe(text))


_SEV = ("error", "warning", "info")
# the severity words the page shows (filters, badges, chart columns); data-sev attributes keep the English value
_SEV_WORD = {"error": N_("error"), "warning": N_("warning"), "info": N_("info"), "suppressed": N_("suppressed")}
_COLORS = {"error": "#d92d20", "warning": "#dc6803", "info": "#2e90fa"}
EXCERPT_CONTEXT = 3  # config lines shown before and after a finding's line
_CHART_ROWS = 40
_LIST_OPEN = 20  # lists longer than this start collapsed


Excerpt = Sequence[str] | Mapping[int, str]  # a file's lines, or some of them by line number (1-based)


@dataclass
class _Page:
    path: Paths
    excerpts: Mapping[str, Excerpt]


def _path_html(path: str | None, page: _Page) -> str:
    """A path that never wraps: its folder muted, its name bold; the full path in the tooltip."""
    if not path:
        return "-"
    p = page.path(path)
    folder, name = os.path.split(p)
    folder = f'<span class=dir>{escape(folder + os.sep)}</span>' if folder else ""
    return f'<span class=path title="{escape(path)}">{folder}<b>{escape(name)}</b></span>'


def _counts(findings: list[Finding]) -> Counts:
    c = Counts()
    for f in findings:
        c.add(f)
    return c


def _chart(by_code: dict[str, Counts], baselined: int = 0) -> str:
    """One row per code, one column per severity, each column on its own scale: 21 errors fill the error column
    as 75 infos fill the info one (a stacked bar would let the infos dwarf the errors). A row filters by its code."""
    rows = sorted(by_code.items(), key=lambda kv: (-kv[1].error, -kv[1].warning, -kv[1].info, kv[0]))
    rows = [(code, c) for code, c in rows if c.error + c.warning + c.info]
    if not rows:
        return "<p class=muted>" + (_("No new findings ({count} baselined).").format(count=baselined) if baselined
                                    else _("No unsuppressed findings.")) + "</p>"
    more = len(rows) - _CHART_ROWS
    rows = rows[:_CHART_ROWS]
    peak = {sev: max(getattr(c, sev) for _code, c in rows) or 1 for sev in _SEV}
    col_w, label_w, h = 190, 250, 20
    label = escape(_("Findings by code, one scale per severity"))
    out = [f'<svg id=chart role="img" aria-label="{label}" '
           f'width="{label_w + 3 * (col_w + 40)}" height="{h * len(rows) + 26}" xmlns="http://www.w3.org/2000/svg">']
    for j, sev in enumerate(_SEV):
        x0 = label_w + j * (col_w + 40)
        head = escape(_("{severity} (max {count})").format(severity=_(_SEV_WORD[sev]), count=peak[sev]))
        out.append(f'<text x="{x0}" y="14" fill="{_COLORS[sev]}" font-weight="700">{head}</text>')
    for i, (code, c) in enumerate(rows):
        y = i * h + 22
        tip = _("{code}: {errors} error, {warnings} warning, {infos} info (click to filter)").format(
            code=code, errors=c.error, warnings=c.warning, infos=c.info)
        out.append(f'<g data-code="{escape(code)}"><title>{escape(tip)}</title>'
                   f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(code)}</text>')
        for j, sev in enumerate(_SEV):
            n, x0 = getattr(c, sev), label_w + j * (col_w + 40)
            if n:
                w = max(2, round(col_w * n / peak[sev]))
                out.append(f'<rect class="bar {sev}" x="{x0}" y="{y}" width="{w}" height="{h - 6}" '
                           f'fill="{_COLORS[sev]}"/><text x="{x0 + w + 4}" y="{y + 13}">{n}</text>')
        out.append("</g>")
    out.append("</svg>")
    if more > 0:
        more_codes = _("... and {count} more code(s): use the code filter.").format(count=more)
        out.append("<p class=muted>" + escape(more_codes) + "</p>")
    return "".join(out)


def _excerpt(lines: Excerpt | None, line: int | None) -> str:
    def text(n: int) -> str | None:
        if isinstance(lines, Mapping):
            return lines.get(n)
        return lines[n - 1] if 1 <= n <= len(lines) else None

    if not lines or not line or text(line) is None:
        return ""
    near = [(n, t) for n in range(line - EXCERPT_CONTEXT, line + EXCERPT_CONTEXT + 1) if (t := text(n)) is not None]
    width = len(str(near[-1][0]))
    rows = []
    for n, t in near:
        row = f"{n:>{width}}  {escape(shown(t))}"  # shown(): the model's masking, as for Source.text
        rows.append(f"<mark>{row}</mark>" if n == line else row)
    return f'<div class=ex><pre>{chr(10).join(rows)}</pre></div>'


def _finding(f: Finding, page: _Page, device: str | None = None) -> str:
    """One finding; ``device``: the file of the group it is shown in (its lines are then named by number only)."""
    badge = f'<span class="badge {"sup" if f.suppressed else f.severity}">{escape(_(_SEV_WORD[f.severity]))}</span>'
    head = f'{badge} <b>{escape(f.code)}</b> {escape(_(f.title))}'
    if f.alibaba_code and f.alibaba_code != f.code:
        head += " <span class=muted>" + escape(_("(Alibaba: {code})").format(code=f.alibaba_code)) + "</span>"
    if f.suppressed:
        head += " <span class=muted>" + escape(_("[suppressed]")) + "</span>"
    sup = " data-sup=1" if f.suppressed else ""
    parts = [f'<div class=f data-sev={f.severity} data-code="{escape(f.code)}"{sup}><div>{head}</div>'
             f'<div class=msg>{escape(f.message)}</div>']
    a = f.alibaba
    if a and (a.field or a.value):
        value = f" = <code>{escape(a.value)}</code>" if a.value is not None else ""
        where = f" <span class=muted>{escape(page.path(a.file))}{f':{a.line}' if a.line else ''}</span>" \
            if a.file else ""
        label = escape(_("Alibaba:"))
        parts.append(f'<div class=ev>{label} <code>{escape(a.field or "?")}</code>{value}{where}</div>')
    if f.device:
        d = f.device
        if d.file and d.file == device:
            where = _(" line {line}").format(line=d.line) if d.line else ""
        else:
            where = " " + page.path(d.file) + (f":{d.line}" if d.line else "") if d.file else ""
        text = f" <code>{escape(d.text)}</code>" if d.text else ""
        default = " <span class=muted>" + escape(_("({default})").format(default=d.default)) + "</span>" \
            if d.default else ""
        label = escape(_("Device{where}:").format(where=where))
        parts.append(f"<div class=ev>{label}{text}{default}</div>")
        parts.append(_excerpt(page.excerpts.get(d.file or ""), d.line))
    if f.fix and f.fix.device:  # the command block: pasteable as it stands
        parts.append("<div class=fix><button type=button class=copy>" + escape(_("Copy")) + "</button>"
                     f"<pre>{escape(chr(10).join(f.fix.device))}</pre></div>")
    if f.fix and f.fix.alibaba:
        shown_ = ", ".join(f"<code>{escape(k)}</code> = <code>{escape(v)}</code>" for k, v in f.fix.alibaba.items())
        parts.append("<div class=ev>" + _("{label}: {fields}").format(label=escape(alibaba_label(f.fix)), fields=shown_)
                     + "</div>")
    if f.fix and f.fix.note:
        parts.append("<div class=ev>" + escape(_("Note: {note}").format(note=f.fix.note)) + "</div>")
    parts.append("</div>")
    return "".join(parts)


def _pair_title(p: PairResult) -> str:
    if p.alibaba_file is None:
        return _("device alone (lint)")
    name = f" ({p.connection_name})" if p.connection_name and p.connection_name != p.connection else ""
    action = _(_REPLACE) if p.plan_action == "replace" else plan_words(p.plan_action or "")
    plan = _(" [Terraform plan: {action}]").format(action=action) if p.plan_action else ""
    return f"{p.connection or '?'}{name}" + (_(" / tunnel {tunnel}").format(tunnel=p.tunnel) if p.tunnel else "") \
        + plan


_REPLACE = N_("replace: the connection is deleted and re-created, its tunnels renegotiate")


def _no_findings(p: PairResult) -> str:
    """What a pair without findings says: baselined ones are counted, a device with no tunnel was not compared."""
    if p.baselined:
        return _("No new findings ({count} baselined).").format(count=p.baselined)
    if p.alibaba_file is None and not p.endpoint:
        return _("No IPsec tunnel found: nothing compared.")
    return _("No findings.")


def _nums(c: Counts) -> str:
    return "".join(f'<span class="n {cls}{" z" if not getattr(c, sev) else ""}" title="{escape(_(_SEV_WORD[sev]))}">'
                   f'{getattr(c, sev)}</span>'
                   for sev, cls in (("error", "e"), ("warning", "w"), ("info", "i")))


def _group(gid: str, name_html: str, name: str, vendor: str, body: list[str], c: Counts, extra: str,
           opened: bool) -> str:
    return (f'<details class=dev id="{gid}" data-vendor="{escape(vendor)}" data-name="{escape(name)}"'
            f'{" open" if opened else ""}><summary>{name_html}<span class=vendor>{escape(vendor)}</span>'
            f'{_nums(c)}<span class=muted>{extra}</span></summary>{"".join(body)}</details>')


def _devices(report: Report, page: _Page) -> list[str]:
    """One group per device file, worst first (errors, then warnings, then info), each pair inside it."""
    by_device: dict[str, list[tuple[int, PairResult]]] = {}
    for i, p in enumerate(report.pairs):
        by_device.setdefault(p.device, []).append((i, p))
    counted = [(dev, pairs, _counts([f for _, p in pairs for f in p.findings])) for dev, pairs in by_device.items()]
    counted.sort(key=lambda t: (-t[2].error, -t[2].warning, -t[2].info, page.path(t[0])))
    open_errors = len(counted) <= 30  # a small report opens its failing devices; a big one starts folded
    out = []
    for k, (dev, pairs, c) in enumerate(counted):
        body = []
        for i, p in pairs:
            endpoint = _("endpoint: {endpoint}").format(endpoint=p.endpoint or _("none matched"))
            body.append(f'<div class=pair id="p{i}"><div class=ph>{escape(_pair_title(p))} &middot; <span class=muted>'
                        f'{escape(endpoint)}</span></div>')
            body.extend(_finding(f, page, dev) for f in p.findings)
            if not p.findings:
                body.append(f"<div class=muted>{escape(_no_findings(p))}</div>")
            body.append("</div>")
        compared = sum(1 for _, p in pairs if p.alibaba_file)
        extra = escape(_("{count} pair(s)").format(count=compared) if compared else _("lint"))
        out.append(_group(f"d{k}", _path_html(dev, page), page.path(dev), pairs[0][1].vendor, body, c, extra,
                          open_errors and c.error > 0))
    return out


def _header(report: Report, totals: Counts, page: _Page, inputs: Sequence[str] | None, run_at: datetime | None,
            duration_s: float | None) -> list[str]:
    devices = len({p.device for p in report.pairs})
    compared = sum(1 for p in report.pairs if p.alibaba_file)
    facts = [f"ipsec-preflight {escape(report.version)}"]
    if run_at is not None:
        when = run_at.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
        took = _(" ({seconds} s)").format(seconds=f"{duration_s:.1f}") if duration_s is not None else ""
        facts.append(escape(_("run {when}").format(when=when) + took))
    facts.append(escape(_("{count} device(s)").format(count=devices)
                        + (_(", {count} pair(s)").format(count=compared) if compared else "")))
    if report.audit:
        facts.append(escape(_("{count} file(s) read").format(count=report.audit.files)))
    title = escape(_("ipsec-preflight report"))
    out = [f"<header><h1>{title}</h1>", f"<div class=muted>{' &middot; '.join(facts)}</div>"]
    if inputs:
        shown_inputs = "".join(f"<code>{escape(page.path(str(x)))}</code>" for x in inputs[:20])
        more = escape(_(" ... and {count} more").format(count=len(inputs) - 20)) if len(inputs) > 20 else ""
        out.append("<div class=inputs>" + escape(_("Inputs:")) + f" {shown_inputs}{more}</div>")
    if page.path.prefixes:
        said = _("; ").join(f"<code>{escape(label)}/</code> = {escape(_(what))} <code>{escape(folder)}</code>"
                         for label, (folder, what) in page.path.prefixes.items())
        out.append("<div class=muted>" + _("Paths starting {prefixes}; the others are relative to the current "
                                           "folder (or absolute).").format(prefixes=said) + "</div>")
    cards = [("e", totals.error, _("error(s)")), ("w", totals.warning, _("warning(s)")), ("i", totals.info, _("info")),
             ("muted", totals.suppressed, _("suppressed"))]
    if report.baseline:
        cards.append(("muted", report.baseline.baselined, _("baselined (not shown)")))
    if report.errors:
        cards.append(("e", len(report.errors), _("file(s) not checked")))
    out.append("<div class=cards>" + "".join(f"<div class=card><b class={cls}>{n}</b>{escape(label)}</div>"
                                               for cls, n, label in cards) + "</div></header>")
    if report.baseline:
        b = report.baseline
        out.insert(-1, "<div class=muted>" + _("Baseline {file}: {count} finding(s) recorded there are not shown.")
                   .format(file=f"<code>{escape(page.path(b.file))}</code>", count=b.baselined) + "</div>")
    return out


def _filters(report: Report, by_code: dict[str, Counts]) -> str:
    boxes = "".join(f'<label><input type=checkbox name=sev value={s} checked> {escape(_(_SEV_WORD[s]))}</label>'
                    for s in (*_SEV, "suppressed"))
    codes = "".join(f'<option value="{escape(code)}">{escape(code)} ({c.error + c.warning + c.info + c.suppressed})'
                    f'</option>' for code, c in sorted(by_code.items()))
    vendors = "".join(f'<option value="{escape(v)}">{escape(v)}</option>'
                      for v in sorted({p.vendor for p in report.pairs}))
    t = {k: escape(_(v)) for k, v in _FILTER_WORDS.items()}
    return (f"<div id=flt>{boxes}<select id=fcode aria-label={_bare(t['code'])}><option value=''>{t['codes']}</option>"
            f"{codes}</select><select id=fvendor aria-label={_bare(t['vendor'])}><option value=''>{t['vendors']}"
            f"</option>{vendors}</select><input id=fq type=search placeholder='{t['search_for']}' "
            f"aria-label={_bare(t['search'])}>"
            f"<button type=button id=openall>{t['open']}</button><button type=button id=closeall>{t['close']}</button>"
            "<span id=shown class=muted></span></div>")


def _bare(value: str) -> str:
    """An escaped attribute value, unquoted when it is one word (as the page writes its own)."""
    return value if re.fullmatch(r"[\w-]+", value) else f'"{value}"'


_FILTER_WORDS = {"code": N_("code"), "codes": N_("all codes"), "vendor": N_("vendor"), "vendors": N_("all vendors"),
                 "search_for": N_("search devices, messages, lines"), "search": N_("search"),
                 "open": N_("expand all"), "close": N_("collapse all")}


def _list(title: str, items: list[str]) -> str:
    opened = " open" if len(items) <= _LIST_OPEN else ""
    return (f"<details{opened}><summary><h2 style='display:inline'>{escape(title)} ({len(items)})</h2></summary>"
            "<ul>" + "".join(f"<li>{escape(x)}</li>" for x in items) + "</ul></details>")


def _lists(report: Report, page: _Page) -> list[str]:
    """The audit's lists, the notes and the stale baseline entries, each collapsible."""
    a, dp = report.audit, page.path
    said = report.notes + [n for n in (a.notes if a else []) if n not in report.notes]  # the hook has both
    lists = [(_("Notes on the inputs"), [f"{dp(n.file)}{f':{n.line}' if n.line else ''}: {n.message}"
                                         for n in said])]
    if report.baseline:
        lists.append((_("Baseline entries that no longer occur (delete them, or rewrite with --write-baseline)"),
                      [f"{dp(e.file)}: {e.code}: {e.message}" for e in report.baseline.stale]))
    if a is None:
        return [_list(title, items) for title, items in lists if items]
    gateway, peer = _("{tunnel} gateway {gateway} ({file})"), _("{device} {endpoint} peer {peer}")
    lists += [(_("Alibaba tunnels no device peers with"),
               [gateway.format(tunnel=f"{t.connection or t.connection_name}/{t.tunnel or '-'}", gateway=t.gateway,
                               file=dp(t.alibaba_file)) for t in a.unpaired_tunnels]),
              (_("Device peers matching several tunnels"),
               [f"{dp(e.device)} {e.endpoint} -> {', '.join(e.candidates)}" for e in a.ambiguous]),
              (_("Device peers with no Alibaba connection"),
               [peer.format(device=dp(e.device), endpoint=e.endpoint, peer=e.peer) for e in a.unpaired_endpoints]),
              (_("Files skipped (not device configs or connections, or filtered out)"),
               [f"{dp(k.file)}: {k.reason}" for k in a.skipped])]
    return [_list(title, items) for title, items in lists if items]


def _paths(report: Report, inputs: Sequence[str] | None):
    """Every file the page names (for the common folder of those shown absolute)."""
    yield from (str(x) for x in inputs or ())
    yield from (e.file for e in report.errors)
    for p in report.pairs:
        yield p.device
        yield p.alibaba_file
    for f in report.all_findings():
        yield f.device.file if f.device else None
        yield f.alibaba.file if f.alibaba else None
    if report.audit:
        a = report.audit
        yield from (t.alibaba_file for t in a.unpaired_tunnels)
        yield from (e.device for e in (*a.ambiguous, *a.unpaired_endpoints))
        yield from (x.file for x in (*a.skipped, *a.notes))
    yield from (n.file for n in report.notes)
    if report.baseline:
        yield report.baseline.file
        yield from (e.file for e in report.baseline.stale)


def render(report: Report, *, inputs: Sequence[str] | None = None, run_at: datetime | None = None,
           duration_s: float | None = None, excerpts: Mapping[str, Excerpt] | None = None) -> str:
    """The page. Optional: ``inputs`` (the paths the command was given), ``run_at`` / ``duration_s`` (when the run
    started and how long it took), ``excerpts``: device file (as in the findings) -> its lines in display form
    (keys masked as the parser read them; each line is re-masked here like a Source.text) for the lines around
    each finding."""
    page = _Page(Paths(_paths(report, inputs)), excerpts or {})
    all_f = list(report.all_findings())
    totals = _counts(all_f)
    by_code: dict[str, Counts] = {}
    for f in all_f:
        by_code.setdefault(f.code, Counts()).add(f)
    body = _header(report, totals, page, inputs, run_at, duration_s)
    body.append(_filters(report, by_code))
    body.append("<main>")
    if report.errors:  # inputs that were not checked come before any verdict
        head = escape(_("Files not checked ({count})").format(count=len(report.errors)))
        body.append(f"<h2 class=e>{head}</h2><ul>" + "".join(
            f"<li><code>{escape(page.path(e.file))}{':' + str(e.line) if e.line else ''}</code> "
            f"{escape(e.message)}</li>" for e in report.errors) + "</ul>")
    devices = len({p.device for p in report.pairs})
    baselined = report.baseline.baselined if report.baseline else 0
    legend = _("Worst first; the counts are {errors}, {warnings} and {infos}. Click a device to unfold its findings.")
    body += ["<h2>" + escape(_("Findings by code")) + "</h2>", _chart(by_code, baselined),
             "<h2>" + escape(_("Devices ({count})").format(count=devices)) + "</h2><p class=muted>" + legend.format(
                 errors="<span class=e>" + escape(_("errors")) + "</span>",
                 warnings="<span class=w>" + escape(_("warnings")) + "</span>",
                 infos="<span class=i>" + escape(_("info")) + "</span>") + "</p>"]
    if report.audit and report.audit.cross:
        c = _counts(report.audit.cross)
        across = _("Across connections")
        body.append(_group("cross", f"<span class=path><b>{escape(across)}</b></span>", across.lower(), "",
                           [_finding(f, page) for f in report.audit.cross], c, escape(_("audit")), c.error > 0))
    body += _devices(report, page)
    if not report.pairs:
        body.append("<p class=muted>" + escape(_("No device was checked.")) + "</p>")
    body += _lists(report, page)
    body.append("</main>")
    js, js_hash = script()
    csp = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{js_hash}'"
    lang = "zh-CN" if language() == "zh" else "en"
    title = escape(_("ipsec-preflight report"))
    return (f"<!DOCTYPE html>\n<html lang={lang}><head><meta charset=utf-8>"
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<title>{title}</title><style>{CSS}</style></head><body>\n"
            + "\n".join(body) + f"\n<script>{js}</script>\n</body></html>\n")
