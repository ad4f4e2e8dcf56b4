"""The HTML report at audit scale (issue 13 item 8): grouped by device worst first, relative paths, a chart that
keeps errors visible next to many infos, config excerpts, copy buttons, the run in the header, and filters that
work in headless Chromium on a 1,000-device audit."""
import json
import os
import re
import shutil
import subprocess
import sys
from datetime import datetime, timezone
from html.parser import HTMLParser
from pathlib import Path

import pytest

from analyzer.findings import DeviceRef, Finding, Fix, PairResult, Report
from analyzer.reporters import html
from conftest import ROOT

sys.path.insert(0, str(ROOT / "bench"))


def _finding(code, severity, line=None, file=None, fix=None, message="m"):
    return Finding(code=code, alibaba_code=None, severity=severity, title=f"{code} title", message=message,
                   device=DeviceRef(file=file, line=line, text="x") if file else None, fix=fix)


def _pair(device, vendor, findings, connection="vco-1"):
    return PairResult(connection=connection, tunnel=None, alibaba_file="c.json", device=device, vendor=vendor,
                      endpoint="crypto map M 10", findings=findings)


class Dom(HTMLParser):
    """What a page shows: the device groups (attributes) and each finding with the group it sits in."""

    def __init__(self, text: str):
        super().__init__()
        self.body, self.groups, self.findings, self.shown, self._group = {}, [], [], {}, None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        cls = (a.get("class") or "").split()
        if tag == "body":
            self.body = a
        elif tag == "details" and "dev" in cls:
            self._group = a
            self.groups.append(a)
        elif tag == "div" and "f" in cls:
            self.findings.append((self._group, a))
        elif a.get("id") == "shown":
            self.shown = a

    def handle_endtag(self, tag):
        if tag == "details":
            self._group = None

    def visible(self):
        return [(g, f) for g, f in self.findings if "hidden" not in f and "hidden" not in g]


# --- layout ------------------------------------------------------------------------------------------------

def test_chart_gives_each_severity_its_own_scale():
    """75 infos of one code next to 21 errors of another: both bars fill their column (a shared scale made the
    error bar a quarter of the info bar)."""
    report = Report(version="t", pairs=[_pair("r1.cfg", "cisco-ios", [_finding("PfsMismatch", "error")] * 21 +
                                              [_finding("TrafficBasedLifetime", "info")] * 75)])
    page = html.render(report)
    widths = {m[0]: int(m[1]) for m in re.findall(r'<rect class="bar (\w+)" x="\d+" y="\d+" width="(\d+)"', page)}
    assert widths["error"] == widths["info"] > 100
    assert page.index('data-code="PfsMismatch"') < page.index('data-code="TrafficBasedLifetime"')  # errors first


def test_devices_are_grouped_worst_first_with_paths_relative_to_the_current_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    clean, warned, failing = (str(tmp_path / "configs" / "site-a" / n) for n in ("a.cfg", "b.cfg", "c.cfg"))
    report = Report(version="t", pairs=[
        _pair(clean, "cisco-ios", []), _pair(warned, "huawei-vrp", [_finding("LifetimeMismatch", "warning")]),
        _pair(failing, "cisco-asa", [_finding("PfsMismatch", "error")], connection="vco-1"),
        _pair(failing, "cisco-asa", [], connection="vco-2")])
    dom = Dom(html.render(report))
    assert [g["data-name"] for g in dom.groups] == ["configs/site-a/c.cfg", "configs/site-a/b.cfg",
                                                    "configs/site-a/a.cfg"]
    assert str(tmp_path) not in "".join(g["data-name"] for g in dom.groups)
    page = html.render(report)
    assert '<span class=dir>configs/site-a/</span><b>c.cfg</b>' in page
    assert page.count('class=pair id="p') == 4  # both pairs of c.cfg sit in its one group


def test_a_path_outside_the_current_folder_is_shown_from_its_git_root(tmp_path, monkeypatch):
    repo = tmp_path / "netconf"
    (repo / ".git").mkdir(parents=True)
    elsewhere = tmp_path / "ci"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)
    assert html.display_path(str(repo / "dc" / "edge.cfg")) == "[netconf]/dc/edge.cfg"
    assert html.display_path("relative/edge.cfg") == "relative/edge.cfg"
    page = html.render(Report(version="t", pairs=[_pair(str(repo / "dc" / "edge.cfg"), "cisco-ios", [])]))
    assert f"<code>[netconf]/</code> = git repository <code>{repo}</code>" in page  # the prefix is explained


def test_a_file_of_the_current_repository_outside_the_current_folder_is_shown_with_dot_dot(tmp_path, monkeypatch):
    """cd fixtures/audit/devices; audit <repo>/fixtures/audit: the JSON is ../alibaba/x.json, not a path from
    the repository root that reads like one under the current folder."""
    (tmp_path / ".git").mkdir()
    here = tmp_path / "fixtures" / "audit" / "devices"
    here.mkdir(parents=True)
    monkeypatch.chdir(here)
    json_file = str(tmp_path / "fixtures" / "audit" / "alibaba" / "x.json")
    report = Report(version="t", pairs=[_pair(str(here / "r1.cfg"), "cisco-ios", [_finding(
        "PfsMismatch", "error", file=str(here / "r1.cfg"), line=3)])])
    report.pairs[0].alibaba_file = json_file
    paths = html.Paths([json_file, str(here / "r1.cfg")])
    assert paths(json_file) == os.path.join("..", "alibaba", "x.json") and paths(str(here / "r1.cfg")) == "r1.cfg"
    assert not paths.prefixes


def test_a_shared_folder_named_like_a_local_one_is_not_mistaken_for_it(tmp_path, monkeypatch):
    """/tmp/r2/p holds exports/r1.cfg; the connection is /tmp/r2/q/exports/conn.json: its shown path must not
    read as ./exports/..., and the device's exports/r1.cfg is the local one."""
    p, q = tmp_path / "p", tmp_path / "q"
    (p / "exports").mkdir(parents=True)
    (q / "exports").mkdir(parents=True)
    monkeypatch.chdir(p)
    conn = str(q / "exports" / "conn.json")
    pair = _pair(str(p / "exports" / "r1.cfg"), "cisco-ios", [_finding("PfsMismatch", "error")])
    pair.alibaba_file = conn
    page = html.render(Report(version="t", pairs=[pair]), inputs=[conn, "exports/r1.cfg"])
    assert "<code>[exports]/</code> = common folder <code>" + str(q / "exports") + "</code>" in page
    assert "<code>[exports]/conn.json</code>" in page and "<code>exports/r1.cfg</code>" in page
    (p / "[exports]").mkdir()  # a local folder with the prefix's very name: the path is shown whole
    page = html.render(Report(version="t", pairs=[pair]), inputs=[conn])
    assert f"<code>{conn}</code>" in page and "[exports]/conn.json" not in page


def test_absolute_paths_outside_any_repository_are_shown_from_their_common_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    exports = "/srv/exports-h4"  # not under the current folder, no .git above it
    report = Report(version="t", pairs=[_pair(f"{exports}/dc/r1.cfg", "cisco-ios", [_finding("PfsMismatch", "error")]),
                                        _pair(f"{exports}/branch/r2.cfg", "huawei-vrp", [])])
    page = html.render(report)
    assert [g["data-name"] for g in Dom(page).groups] == ["[exports-h4]/dc/r1.cfg", "[exports-h4]/branch/r2.cfg"]
    assert "<code>[exports-h4]/</code> = common folder <code>/srv/exports-h4</code>" in page  # named once


def test_header_names_the_inputs_and_the_time_of_the_run():
    report = Report(version="9.9", pairs=[_pair("r1.cfg", "cisco-ios", [])])
    page = html.render(report, inputs=["configs/", "alibaba/<x>.json"],
                       run_at=datetime(2026, 11, 30, 4, 5, 6, tzinfo=timezone.utc), duration_s=3.25)
    assert "run 2026-11-30 04:05:06 UTC (3.2 s)" in page or "run 2026-11-30 04:05:06 UTC (3.3 s)" in page
    assert "Inputs: <code>configs/</code><code>alibaba/&lt;x&gt;.json</code>" in page
    assert "run " not in html.render(report).split("<main>")[0]  # nothing invented when the command passes no time


def test_excerpt_shows_the_lines_around_the_finding_with_keys_masked():
    lines = ["crypto isakmp policy 10", " encryption aes 256", " group 2",
             "crypto isakmp key S3cr3t-Key#1 address 1.2.3.4",
             "crypto ipsec transform-set TS esp-aes 256 esp-sha-hmac", "!", "end", "", "", ""]
    report = Report(version="t", pairs=[_pair("r1.cfg", "cisco-ios",
                                              [_finding("DhGroupMismatch", "error", 3, "r1.cfg")])])
    page = html.render(report, excerpts={"r1.cfg": lines})
    (ex,) = re.findall(r"<div class=ex><pre>(.*?)</pre>", page, re.S)
    assert ex.splitlines()[0] == "1  crypto isakmp policy 10" and "<mark>3   group 2</mark>" in ex
    assert ex.splitlines()[-1] == "6  !"
    assert "S3cr3t-Key#1" not in page and "crypto isakmp key &lt;redacted&gt; address 1.2.3.4" in ex
    assert "<div class=ex>" not in html.render(report)  # no excerpt without the text: nothing re-read


def test_each_fix_command_block_has_a_copy_button():
    fix = Fix(device=["crypto map M 10 ipsec-isakmp", " set pfs group14"], alibaba={"IpsecConfig.IpsecPfs": "group5"})
    report = Report(version="t", pairs=[_pair("r1.cfg", "cisco-ios",
                                              [_finding("PfsMismatch", "error", 3, "r1.cfg", fix)])])
    page = html.render(report)
    assert ("<div class=fix><button type=button class=copy>Copy</button>"
            "<pre>crypto map M 10 ipsec-isakmp\n set pfs group14</pre></div>") in page


def test_hostile_device_names_and_vendors_stay_text_in_attributes_and_options():
    evil = 'x"><script>alert(1)</script>.cfg'
    report = Report(version="t", pairs=[_pair(evil, 'ios"><b>', [_finding("PfsMismatch", "error", 1, evil)])])
    page = html.render(report)
    assert "<script>alert" not in page and '"><b>' not in page and page.count("<script>") == 1
    assert Dom(page).groups[0]["data-name"] == evil  # the attribute holds the name, unbroken


# --- in the browser, at 1,000 devices ----------------------------------------------------------------------

def _chromium():
    return next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


def _dump(page: Path, fragment: str = "") -> Dom:
    exe = _chromium()
    cmd = [exe, "--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
           "--disable-background-networking", "--virtual-time-budget=5000", "--dump-dom", page.as_uri() + fragment]
    dom = Dom(subprocess.run(cmd, capture_output=True, text=True, timeout=180).stdout)
    assert dom.body.get("data-ready") == "1", f"the page's script did not run ({fragment or 'no filter'})"
    return dom


@pytest.fixture(scope="module")
def audit_1000(tmp_path_factory):
    if _chromium() is None:
        pytest.skip("no Chromium on this machine (Debian: apt-get install chromium)")
    from generate import generate

    folder = tmp_path_factory.mktemp("audit1000")
    generate(folder / "in", 1000, campus=0)
    res = subprocess.run([str(Path(sys.executable).with_name("ipsec-preflight")), "audit", str(folder / "in"),
                          "--format", "json", "-o", str(folder / "r.json")], capture_output=True, text=True, cwd=folder)
    assert res.returncode == 1, res.stderr
    report = Report.model_validate_json((folder / "r.json").read_text())
    page = folder / "report.html"
    page.write_text(html.render(report))
    return report, page


def test_1000_devices_open_filtered_from_the_address(audit_1000):
    """A linked view (#sev=error&vendor=huawei-vrp) is applied on load: the DOM Chromium serialises says so."""
    report, page = audit_1000
    dom = _dump(page, "#sev=error&vendor=huawei-vrp")
    want = sum(1 for p in report.pairs for f in p.findings if f.severity == "error" and p.vendor == "huawei-vrp")
    seen = dom.visible()
    assert len(dom.groups) == 1000 and 0 < len(seen) == want == int(dom.shown["data-findings"])
    assert {(g["data-vendor"], f["data-sev"]) for g, f in seen} == {("huawei-vrp", "error")}
    assert all("hidden" in g for g in dom.groups if g["data-vendor"] != "huawei-vrp")


_VISIBLE = """[].map.call(document.querySelectorAll('.dev:not([hidden]) .f:not([hidden])'), function(f){
  var g=f.closest('.dev'); return [g.getAttribute('data-name'), g.open, f.getAttribute('data-code')];})"""


def _go(b, fragment: str) -> None:
    """Change the address's fragment and wait for the page's hashchange handler (registered first, so it ran)."""
    b.evaluate("new Promise(function(r){window.addEventListener('hashchange',function(){r();},{once:true});"
               f"location.hash={json.dumps(fragment)};}})")


def _typed(b) -> None:
    """Wait for the search the page runs once typing pauses (it marks <body data-pending> until then)."""
    assert b.evaluate("document.body.hasAttribute('data-pending')")  # not run on the keystroke itself
    b.evaluate("new Promise(function(r){(function w(){if(!document.body.hasAttribute('data-pending')) r();"
               " else setTimeout(w,20);})();})")


def test_the_first_letter_typed_does_not_unfold_every_group(audit_1000):
    report, page = audit_1000
    b = _session(page)
    try:
        b.evaluate("document.getElementById('fq').focus()")
        b.page("Input.insertText", text="b")  # every device is a branch-...: 1000 groups match
        _typed(b)
        assert b.evaluate("document.querySelectorAll('.dev:not([hidden])').length") == 1000
        assert b.evaluate("document.querySelectorAll('.dev[open]').length") == 0
        assert "expand all" in b.evaluate("document.getElementById('shown').textContent")
        b.page("Input.insertText", text="ranch-00002")  # narrowed to 10: those with findings unfold
        _typed(b)
        want = {p.device for p in report.pairs if Path(p.device).name.startswith("branch-00002") and p.findings}
        assert 0 < b.evaluate("document.querySelectorAll('.dev[open]:not([hidden])').length") == len(want)
    finally:
        b.close()


def _session(page: Path):
    from html_scale import Browser

    b = Browser(_chromium())
    b.page("Page.enable")
    b.page("Emulation.setFocusEmulationEnabled", enabled=True)
    b.page("Page.navigate", url=page.as_uri())
    b.wait_event("Page.loadEventFired")
    assert b.evaluate("document.body.getAttribute('data-ready')") == "1", "the page's script did not run"
    return b


def test_1000_devices_open_worst_first_and_follow_a_changed_address(audit_1000):
    report, page = audit_1000
    findings = [(p, f) for p in report.pairs for f in p.findings]
    assert len({p.device for p in report.pairs}) == 1000 and len(findings) > 500
    b = _session(page)
    try:
        assert b.evaluate("document.querySelectorAll('.dev:not([hidden])').length") == 1000
        visible = b.evaluate(_VISIBLE)
        assert len(visible) == len(findings)
        first = b.evaluate("document.querySelector('.dev').getAttribute('data-name')")
        assert first.startswith("[in]/")  # the inputs' common folder, marked as a prefix
        assert any(f.severity == "error" for p, f in findings if p.device.endswith(first[len("[in]"):]))  # worst

        _go(b, "#code=PfsMismatch")
        visible = b.evaluate(_VISIBLE)
        assert 0 < len(visible) == sum(1 for _, f in findings if f.code == "PfsMismatch")
        assert {code for _, _, code in visible} == {"PfsMismatch"}
        assert all(opened for _, opened, _ in visible)  # the groups holding a match are unfolded

        device = Path(report.pairs[42].device)  # outside the current folder and any git repository
        _go(b, f"#q={device.name}")
        assert b.evaluate("[].map.call(document.querySelectorAll('.dev:not([hidden])'),"
                          "function(g){return g.getAttribute('data-name');})") == [
            "[in]/" + str(device.relative_to(device.parents[3]))]  # from the inputs' folder: [in]/devices/<vendor>/..
    finally:
        b.close()


def test_typing_clicking_and_copying_in_chromium(audit_1000):
    """The controls themselves (not the address): typed search, a severity box clicked, the copy button, over
    the DevTools protocol (bench/html_scale.py's pipe client)."""
    report, page = audit_1000
    b = _session(page)
    try:
        b.evaluate("document.getElementById('fq').focus()")
        b.page("Input.insertText", text="branch-00002")  # devices branch-000020 .. branch-000029
        _typed(b)
        want = [p for p in report.pairs if Path(p.device).name.startswith("branch-00002")]
        assert b.evaluate("document.querySelectorAll('.dev:not([hidden])').length") == len(want) == 10
        assert b.evaluate("location.hash") == "#q=branch-00002"  # the view can be linked
        b.evaluate("document.querySelector('#flt input[value=error]').click()")
        shown = b.evaluate("[].map.call(document.querySelectorAll('.dev:not([hidden]) .f:not([hidden])'),"
                           "function(f){return f.getAttribute('data-sev');})")
        assert sorted(shown) == sorted(f.severity for p in want for f in p.findings if f.severity != "error")
        assert b.evaluate("location.hash") == "#sev=warning,info,suppressed&q=branch-00002"

        copy = """(function(){var got=[];
          navigator.clipboard.writeText=function(t){got.push(t); return Promise.resolve();};
          var btn=document.querySelector('.dev:not([hidden]) .fix .copy'); btn.click();
          return Promise.resolve().then(function(){return [got, btn.textContent, btn.nextSibling.textContent];});})()"""
        got, label, text = b.evaluate(copy)
        assert got == [text] and label == "Copied" and text.strip()
        fallback = """(function(){navigator.clipboard.writeText=function(){return Promise.reject(new Error('denied'));};
          document.execCommand=function(){return false;};  /* neither works: the text is selected for Ctrl+C */
          var btn=document.querySelector('.dev:not([hidden]) .fix .copy'); btn.click();
          return new Promise(function(r){setTimeout(r,50);}).then(function(){
            return [btn.textContent, String(window.getSelection()), btn.nextSibling.textContent];});})()"""
        label, selected, text = b.evaluate(fallback)
        assert label == "Press Ctrl+C" and selected == text
    finally:
        b.close()


def test_pair_count_leaves_out_lint_entries_and_a_device_without_tunnel_says_nothing_was_compared():
    lint = PairResult(connection=None, tunnel=None, alibaba_file=None, device="r1.cfg", vendor="cisco-ios",
                      endpoint="crypto map M 10", findings=[_finding("WeakCipher", "warning")])
    empty = PairResult(connection=None, tunnel=None, alibaba_file=None, device="r2.cfg", vendor="cisco-ios",
                       endpoint=None, findings=[])
    page = html.render(Report(version="t", pairs=[_pair("r1.cfg", "cisco-ios", []), lint, empty]))
    assert "2 device(s), 1 pair(s)" in page  # as text and JSON count: pairs with a connection
    r1 = page[page.index('data-name="r1.cfg"'):page.index('data-name="r2.cfg"')]
    assert "1 pair(s)" in r1
    assert "No IPsec tunnel found: nothing compared." in page[page.index('data-name="r2.cfg"'):]


def test_a_terraform_plan_action_is_shown_with_its_pair():
    p = _pair("r1.cfg", "cisco-ios", [])
    p.plan_action = "replace"
    page = html.render(Report(version="t", pairs=[p]))
    assert "[Terraform plan: replace: the connection is deleted and re-created" in page
    from analyzer.reporters import text

    assert "vco-1 [Terraform plan: replace (the connection is deleted and re-created" in text.render(
        Report(version="t", pairs=[p]))
