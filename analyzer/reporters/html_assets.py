"""The style sheet and the one script of the HTML report (analyzer/reporters/html.py). Plain ES5, no library, no
network: the page is a single file. The script is pinned by its hash in the page's Content-Security-Policy, so
inline handlers (onclick=...) would not run: everything is wired here with addEventListener. The script's words
are data (`T`, in the output language), so the hash is computed per language."""
from __future__ import annotations

import base64
import hashlib
import json
from functools import lru_cache

from analyzer.i18n import N_, _, language

CSS = """
body{font:14px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;margin:0;color:#1d2430;background:#fafbfc}
main{margin:0 24px 24px}
header{padding:16px 24px 8px;background:#fff;border-bottom:1px solid #dde2e8}
h1{font-size:20px;margin:0 0 4px} h2{font-size:16px;margin:24px 0 8px;border-bottom:1px solid #dde2e8;padding-bottom:4px}
.muted{color:#5b6675} .e{color:#b42318} .w{color:#b54708} .i{color:#175cd3}
.inputs code{margin-right:8px}
.cards{display:flex;gap:10px;margin:10px 0 4px;flex-wrap:wrap}
.card{border:1px solid #e4e7ec;border-radius:6px;padding:4px 14px;background:#fff;min-width:90px}
.card b{display:block;font-size:22px}
.badge{display:inline-block;min-width:58px;text-align:center;border-radius:4px;padding:0 6px;font-size:12px;font-weight:700;color:#fff}
.badge.error{background:#d92d20} .badge.warning{background:#dc6803} .badge.info{background:#2e90fa} .badge.sup{background:#98a2b3}
#flt{position:sticky;top:0;z-index:2;background:#f2f4f7;border-bottom:1px solid #dde2e8;padding:6px 24px;
 display:flex;gap:14px;flex-wrap:wrap;align-items:center}
#flt input[type=search]{width:22em} #flt select{max-width:22em}
.dev{background:#fff;border:1px solid #e4e7ec;border-radius:6px;margin:6px 0;content-visibility:auto;contain-intrinsic-size:auto 34px}
.dev>summary{cursor:pointer;padding:5px 10px;display:flex;gap:12px;align-items:center;white-space:nowrap}
.path{flex:1 1 auto;min-width:0;overflow:hidden;text-overflow:ellipsis;direction:ltr}
.path .dir{color:#5b6675}
.vendor{color:#344054;font-size:12px;width:8.5em} .n{display:inline-block;min-width:2.2em;text-align:right;font-variant-numeric:tabular-nums}
.n.z{color:#c0c6cf}
.pair{border-top:1px solid #e4e7ec;padding:4px 10px 6px} .ph{font-weight:600;color:#344054}
.f{border-top:1px solid #f2f4f7;padding:6px 0}
.f .msg{margin:2px 0 2px 66px} .f .ev{margin:0 0 0 66px;color:#344054;font-size:13px}
pre{background:#f2f4f7;padding:6px 8px;border-radius:4px;white-space:pre-wrap;margin:4px 0;font-size:12.5px}
.fix,.ex{margin:4px 0 4px 66px;position:relative}
.fix .copy{position:absolute;top:4px;right:4px;font-size:12px}
.ex pre{background:#fff;border:1px solid #e4e7ec;white-space:pre;overflow-x:auto}
.ex mark{background:#fef0c7;display:inline-block;min-width:100%}
code{font-size:12.5px} svg text{font:12px system-ui,sans-serif} svg g[data-code]{cursor:pointer}
[hidden]{display:none!important}
"""

# Filters (severity / code / vendor / search) over the device groups, kept in the URL hash so a filtered view can be
# linked (and tests can open one); copy buttons for the fix commands; expand / collapse all. Marks <body
# data-ready> (and the milliseconds since navigation start) when done. `T`: the words it writes (TEXTS), `fmt` fills
# their {fields}.
JS = """
(function(){
  var d=document, $=function(id){return d.getElementById(id);}, OPEN_MAX=30, T=/*TEXTS*/;
  function fmt(t,o){return t.replace(/\\{(\\w+)\\}/g,function(m,k){return k in o?o[k]:m;});}
  var groups=[].slice.call(d.querySelectorAll('.dev')).map(function(g){
    return {el:g, vendor:g.getAttribute('data-vendor'), name:(g.getAttribute('data-name')||'').toLowerCase(),
            open0:g.open, fs:[].slice.call(g.querySelectorAll('.f')), texts:null};});
  // attributes are written only when they change: a write restyles even when the value is the same
  var sev=[].slice.call(d.querySelectorAll('#flt input[name=sev]')), code=$('fcode'), vendor=$('fvendor'), q=$('fq');
  var total=0; groups.forEach(function(g){total+=g.fs.length;});
  function state(){return {sev:sev.filter(function(c){return c.checked;}).map(function(c){return c.value;}),
    code:code.value, vendor:vendor.value, q:q.value.trim().toLowerCase()};}
  function apply(){
    var s=state(), nf=0, nd=0, hits=[];
    groups.forEach(function(g){
      var vok=!s.vendor||g.vendor===s.vendor, hitName=!!s.q&&g.name.indexOf(s.q)>=0, n=0;
      if(s.q&&!g.texts) g.texts=g.fs.map(function(f){return f.textContent.toLowerCase();});
      g.fs.forEach(function(f,i){
        var k=f.getAttribute('data-sup')?'suppressed':f.getAttribute('data-sev');
        var ok=vok&&s.sev.indexOf(k)>=0&&(!s.code||f.getAttribute('data-code')===s.code)&&
               (!s.q||hitName||g.texts[i].indexOf(s.q)>=0);
        if(f.hidden===ok) f.hidden=!ok; if(ok) n++;});
      var show=vok&&(n>0||(!s.code&&(!s.q||hitName)&&s.sev.length===sev.length));
      if(g.el.hidden===show) g.el.hidden=!show; if(show) nd++; nf+=n; g.n=n; if(n>0) hits.push(g);});
    // a chosen code unfolds the groups holding it; a search does only when it has narrowed them to a few (the
    // first letter typed would unfold every group of a 28,000-finding page)
    var unfold=s.q?hits.length<=OPEN_MAX:!!s.code;
    groups.forEach(function(g){var open=unfold&&g.n>0?true:g.open0; if(g.el.open!==open) g.el.open=open;});
    var out=$('shown'); out.textContent=fmt(T.shown,{shown:nf,total:total,groups:nd,all:groups.length})+
      (s.q&&!unfold&&hits.length?T.folded:'');
    out.setAttribute('data-findings',nf); out.setAttribute('data-groups',nd);
  }
  function toHash(){var s=state(), p=[];
    if(s.sev.length!==sev.length) p.push('sev='+s.sev.join(','));
    if(s.code) p.push('code='+encodeURIComponent(s.code));
    if(s.vendor) p.push('vendor='+encodeURIComponent(s.vendor));
    if(q.value.trim()) p.push('q='+encodeURIComponent(q.value.trim()));
    try{history.replaceState(null,'',p.length?'#'+p.join('&'):location.pathname+location.search);}catch(e){}}
  function pick(sel,v){for(var i=0;i<sel.options.length;i++) if(sel.options[i].value===v){sel.value=v; return;}}
  function fromHash(){var h=location.hash.slice(1); if(h.indexOf('=')<0) return false;
    var p={}; h.split('&').forEach(function(kv){var i=kv.indexOf('='); if(i>0){
      try{p[kv.slice(0,i)]=decodeURIComponent(kv.slice(i+1).replace(/\\+/g,' '));}catch(e){}}});
    if('sev' in p){var l=p.sev.split(','); sev.forEach(function(c){c.checked=l.indexOf(c.value)>=0;});}
    code.value=''; vendor.value=''; pick(code,p.code||''); pick(vendor,p.vendor||''); q.value=p.q||'';
    return true;}
  function changed(){clearTimeout(typing); d.body.removeAttribute('data-pending'); apply(); toHash();}
  // the search runs once typing pauses (150 ms), not on every key; data-pending says one is due
  var typing=0; function typed(){clearTimeout(typing); d.body.setAttribute('data-pending','1');
    typing=setTimeout(changed,150);}
  sev.forEach(function(c){c.addEventListener('change',changed);});
  code.addEventListener('change',changed); vendor.addEventListener('change',changed); q.addEventListener('input',typed);
  window.addEventListener('hashchange',function(){if(fromHash()) apply();});
  function fallback(text){var t=d.createElement('textarea'), ok=false; t.value=text; t.setAttribute('readonly','');
    t.style.position='fixed'; t.style.opacity='0'; d.body.appendChild(t); t.select();
    try{ok=d.execCommand('copy');}catch(e){} d.body.removeChild(t); return ok;}
  function selectText(el){var r=d.createRange(); r.selectNodeContents(el); var s=window.getSelection(); s.removeAllRanges(); s.addRange(r);}
  d.addEventListener('click',function(e){var t=e.target;
    if(t.id==='openall'||t.id==='closeall'){groups.forEach(function(g){if(!g.el.hidden) g.el.open=t.id==='openall';}); return;}
    var row=t.closest?t.closest('g[data-code]'):null;
    if(row){pick(code,row.getAttribute('data-code')); changed(); $('flt').scrollIntoView(); return;}
    if(!t.classList||!t.classList.contains('copy')) return;
    var pre=t.parentNode.querySelector('pre'), text=pre.textContent;
    function done(ok){t.textContent=ok?T.copied:T.press; if(!ok) selectText(pre);
      setTimeout(function(){t.textContent=T.copy;},2000);}
    if(navigator.clipboard&&window.isSecureContext) navigator.clipboard.writeText(text).then(
      function(){done(true);},function(){done(fallback(text));});
    else done(fallback(text));});
  fromHash(); apply();
  d.body.setAttribute('data-ready-ms',Math.round(performance.now()));
  d.body.setAttribute('data-ready','1');
})();
"""
TEXTS = {"shown": N_("Showing {shown} of {total} finding(s) in {groups} of {all} group(s)"),
         "folded": N_(' (folded: "expand all" unfolds them)'), "copied": N_("Copied"), "press": N_("Press Ctrl+C"),
         "copy": N_("Copy")}


@lru_cache(maxsize=2)
def _script(lang: str) -> tuple[str, str]:
    words = json.dumps({k: _(v) for k, v in TEXTS.items()}, ensure_ascii=False).replace("</", "<\\/")
    js = JS.replace("/*TEXTS*/", words)
    return js, base64.b64encode(hashlib.sha256(js.encode()).digest()).decode()


def script() -> tuple[str, str]:
    """(the script with its words in the output language, its CSP hash)."""
    return _script(language())
