"""One self-contained HTML page (no network): a chart of findings by code and severity, a sortable table of
pairs, each finding with its evidence and fix. Every string from the inputs goes through escape(); the
only script is ours, pinned by its hash in the Content-Security-Policy, so nothing injected can run."""
from __future__ import annotations

import base64
import hashlib
from html import escape as _html_escape

from analyzer.findings import Counts, Finding, PairResult, Report
from analyzer.reporters.terminal import html_text_safe
from analyzer.reporters.text import alibaba_label


def escape(text: str) -> str:
    """Text from the inputs for the page: control and bidi characters shown as visible escapes (a bidi
    override would reorder the page; see terminal.py), then HTML-escaped."""
    return _html_escape(html_text_safe(text))

_CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:24px;color:#1d2430;background:#fafbfc}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:28px 0 8px;border-bottom:1px solid #dde2e8;padding-bottom:4px}
.muted{color:#5b6675} .totals span{display:inline-block;margin-right:14px;font-weight:600}
.e{color:#b42318} .w{color:#b54708} .i{color:#175cd3}
.badge{display:inline-block;min-width:58px;text-align:center;border-radius:4px;padding:0 6px;font-size:12px;font-weight:700;color:#fff}
.badge.error{background:#d92d20} .badge.warning{background:#dc6803} .badge.info{background:#2e90fa} .badge.sup{background:#98a2b3}
table{border-collapse:collapse;width:100%;background:#fff} th,td{border:1px solid #e4e7ec;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f2f4f7;cursor:pointer;user-select:none;white-space:nowrap} th:after{content:" \\2195";color:#98a2b3}
td.n{text-align:right;font-variant-numeric:tabular-nums}
details{background:#fff;border:1px solid #e4e7ec;border-radius:6px;margin:8px 0;padding:6px 10px}
summary{cursor:pointer;font-weight:600} .f{border-top:1px solid #f2f4f7;padding:6px 0}
.f .msg{margin:2px 0 2px 66px} .f .ev{margin:0 0 0 66px;color:#344054;font-size:13px}
pre{background:#f2f4f7;padding:6px 8px;border-radius:4px;white-space:pre-wrap;margin:4px 0 4px 66px;font-size:12.5px}
code{font-size:12.5px} svg text{font:12px system-ui,sans-serif}
"""

# Sorts the pairs table by a clicked column; on load it sorts by errors, then warnings (worst first).
_JS = """
(function(){
  var t=document.getElementById('pairs'); if(!t) return;
  var body=t.tBodies[0], dir={};
  function key(r,i){var c=r.cells[i]; var v=c.getAttribute('data-v')||c.textContent; var n=parseFloat(v); return isNaN(n)?v.toLowerCase():n;}
  function sort(cols,desc){var rows=Array.prototype.slice.call(body.rows);
    rows.sort(function(a,b){for(var k=0;k<cols.length;k++){var x=key(a,cols[k]),y=key(b,cols[k]);
      if(x<y) return desc?1:-1; if(x>y) return desc?-1:1;} return 0;});
    rows.forEach(function(r){body.appendChild(r);});}
  Array.prototype.forEach.call(t.tHead.rows[0].cells,function(th,i){
    th.addEventListener('click',function(){dir[i]=!dir[i]; sort([i],dir[i]);});});
  sort([5,6,7],true); t.setAttribute('data-sorted','severity');
})();
"""
_JS_HASH = base64.b64encode(hashlib.sha256(_JS.encode()).digest()).decode()
_SEV = ("error", "warning", "info")
_COLORS = {"error": "#d92d20", "warning": "#dc6803", "info": "#2e90fa"}


def _counts(findings: list[Finding]) -> Counts:
    c = Counts()
    for f in findings:
        c.add(f)
    return c


def _chart(by_code: dict[str, Counts]) -> str:
    rows = sorted(by_code.items(), key=lambda kv: (-kv[1].error, -kv[1].warning, -kv[1].info, kv[0]))
    if not rows:
        return "<p class=muted>No findings.</p>"
    peak = max(c.error + c.warning + c.info for _, c in rows) or 1
    bar_w, label_w, h = 420, 250, 20
    out = [f'<svg role="img" aria-label="Findings by code and severity" width="{label_w + bar_w + 60}" '
           f'height="{h * len(rows) + 30}" xmlns="http://www.w3.org/2000/svg">']
    for i, (code, c) in enumerate(rows):
        y = i * h + 4
        out.append(f'<text x="{label_w - 6}" y="{y + 13}" text-anchor="end">{escape(code)}</text>')
        x = label_w
        for sev in _SEV:
            n = getattr(c, sev)
            if n:
                w = max(2, round(bar_w * n / peak))
                out.append(f'<rect x="{x}" y="{y}" width="{w}" height="{h - 6}" fill="{_COLORS[sev]}">'
                           f'<title>{escape(code)}: {n} {sev}</title></rect>')
                x += w
        out.append(f'<text x="{x + 6}" y="{y + 13}">{c.error + c.warning + c.info}</text>')
    ly = h * len(rows) + 18
    for j, sev in enumerate(_SEV):
        out.append(f'<rect x="{label_w + j * 90}" y="{ly - 10}" width="10" height="10" fill="{_COLORS[sev]}"/>'
                   f'<text x="{label_w + j * 90 + 14}" y="{ly}">{sev}</text>')
    out.append("</svg>")
    return "".join(out)


def _finding(f: Finding) -> str:
    badge = f'<span class="badge {"sup" if f.suppressed else f.severity}">{escape(f.severity)}</span>'
    head = f'{badge} <b>{escape(f.code)}</b> {escape(f.title)}'
    if f.alibaba_code and f.alibaba_code != f.code:
        head += f' <span class=muted>(Alibaba: {escape(f.alibaba_code)})</span>'
    if f.suppressed:
        head += ' <span class=muted>[suppressed]</span>'
    parts = [f'<div class=f><div>{head}</div><div class=msg>{escape(f.message)}</div>']
    if f.alibaba and (f.alibaba.field or f.alibaba.value):
        value = f" = <code>{escape(f.alibaba.value)}</code>" if f.alibaba.value is not None else ""
        parts.append(f'<div class=ev>Alibaba: <code>{escape(f.alibaba.field or "?")}</code>{value}</div>')
    if f.device:
        d = f.device
        where = f"{d.file}:{d.line}" if d.line else (d.file or "")
        text = f" <code>{escape(d.text)}</code>" if d.text else ""
        default = f" <span class=muted>({escape(d.default)})</span>" if d.default else ""
        parts.append(f'<div class=ev>Device: {escape(where)}{text}{default}</div>')
    if f.fix and f.fix.device:  # the command block: pasteable as it stands
        parts.append(f"<pre>{escape(chr(10).join(f.fix.device))}</pre>")
    if f.fix and f.fix.alibaba:
        shown = ", ".join(f"<code>{escape(k)}</code> = <code>{escape(v)}</code>" for k, v in f.fix.alibaba.items())
        parts.append(f'<div class=ev>{alibaba_label(f.fix)}: {shown}</div>')
    if f.fix and f.fix.note:
        parts.append(f'<div class=ev>Note: {escape(f.fix.note)}</div>')
    parts.append("</div>")
    return "".join(parts)


def _pair_title(p: PairResult) -> str:
    if p.alibaba_file is None:
        return f"{p.device} [{p.vendor}]"
    return f"{p.connection or '?'} / {p.tunnel or '-'} vs {p.device} [{p.vendor}]"


def render(report: Report) -> str:
    all_f = list(report.all_findings())
    totals = _counts(all_f)
    by_code: dict[str, Counts] = {}
    for f in all_f:
        by_code.setdefault(f.code, Counts()).add(f)
    lint = bool(report.pairs) and report.pairs[0].alibaba_file is None
    body = [f"<h1>ipsec-preflight report</h1><div class=muted>ipsec-preflight {escape(report.version)} &middot; "
            f"{len(report.pairs)} {'device(s)' if lint else 'pair(s)'}"
            + (f" &middot; {report.audit.files} file(s)" if report.audit else "") + "</div>",
            f'<p class=totals><span class=e>{totals.error} error(s)</span><span class=w>{totals.warning} warning(s)'
            f'</span><span class=i>{totals.info} info</span><span class=muted>{totals.suppressed} suppressed</span></p>',
            "<h2>Findings by code and severity</h2>", _chart(by_code)]
    body.append("<h2>Pairs</h2><table id=pairs><thead><tr><th>Device</th><th>Vendor</th><th>Connection</th>"
                "<th>Tunnel</th><th>Endpoint</th><th>Errors</th><th>Warnings</th><th>Info</th></tr></thead><tbody>")
    for i, p in enumerate(report.pairs):
        c = _counts(p.findings)
        body.append(f'<tr><td><a href="#p{i}">{escape(p.device)}</a></td><td>{escape(p.vendor)}</td>'
                    f'<td>{escape(p.connection or "-")}</td><td>{escape(p.tunnel or "-")}</td>'
                    f'<td>{escape(p.endpoint or "-")}</td><td class=n>{c.error}</td><td class=n>{c.warning}</td>'
                    f'<td class=n>{c.info}</td></tr>')
    body.append("</tbody></table>")
    if report.audit and report.audit.cross:
        body.append("<h2>Across connections</h2><details open><summary>"
                    f"{len(report.audit.cross)} finding(s)</summary>")
        body.extend(_finding(f) for f in report.audit.cross)
        body.append("</details>")
    body.append("<h2>Details</h2>")
    for i, p in enumerate(report.pairs):
        c = _counts(p.findings)
        body.append(f'<details id="p{i}"{" open" if c.error else ""}><summary>{escape(_pair_title(p))} &mdash; '
                    f'<span class=e>{c.error}</span> / <span class=w>{c.warning}</span> / <span class=i>{c.info}</span>'
                    f'</summary><div class=muted>endpoint: {escape(p.endpoint or "none matched")}</div>')
        body.extend(_finding(f) for f in p.findings)
        if not p.findings:
            body.append("<div class=muted>No findings.</div>")
        body.append("</details>")
    if report.audit:
        a = report.audit
        lists = [("Alibaba tunnels no device peers with", [f"{t.connection or t.connection_name}/{t.tunnel or '-'} "
                                                           f"gateway {t.gateway} ({t.alibaba_file})" for t in a.unpaired_tunnels]),
                 ("Device peers matching several tunnels", [f"{e.device} {e.endpoint} -> {', '.join(e.candidates)}"
                                                            for e in a.ambiguous]),
                 ("Device peers with no Alibaba connection", [f"{e.device} {e.endpoint} peer {e.peer}"
                                                              for e in a.unpaired_endpoints]),
                 ("Files skipped (not device configs or connections, or filtered out)",
                  [f"{k.file}: {k.reason}" for k in a.skipped]),
                 ("Notes on the inputs", [f"{n.file}: {n.message}" for n in a.notes])]
        for title, items in lists:
            if items:
                body.append(f"<h2>{escape(title)} ({len(items)})</h2><ul>" +
                            "".join(f"<li>{escape(x)}</li>" for x in items) + "</ul>")
    if report.errors:
        body.append(f"<h2>Files not checked ({len(report.errors)})</h2><ul>" + "".join(
            f"<li><code>{escape(e.file)}{':' + str(e.line) if e.line else ''}</code> {escape(e.message)}</li>"
            for e in report.errors) + "</ul>")
    csp = f"default-src 'none'; style-src 'unsafe-inline'; img-src data:; script-src 'sha256-{_JS_HASH}'"
    return ("<!DOCTYPE html>\n<html lang=en><head><meta charset=utf-8>"
            f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
            "<meta name=viewport content='width=device-width,initial-scale=1'>"
            f"<title>ipsec-preflight report</title><style>{_CSS}</style></head><body>\n"
            + "\n".join(body) + f"\n<script>{_JS}</script>\n</body></html>\n")
