"""CI formats (issue 13): SARIF as GitHub code scanning reads it, stable fingerprints, GitHub workflow commands,
GitLab Code Quality JSON and JUnit XML, each checked against its consumer's schema or documented syntax
(tests/schemas/PROVENANCE.md). The commands' `--format github|gitlab|junit` is wired in analyzer/cli.py; these
tests render through analyzer.reporters.render, on reports the commands produce."""
import json
import re
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

from analyzer import fingerprint
from analyzer.cli import app
from analyzer.findings import AlibabaRef, DeviceRef, Finding, InputProblem, PairResult, Report
from analyzer.reporters import render
from analyzer.rule_meta import LINE_IS_OBJECT, SECURITY_SEVERITY, _TOPIC
from analyzer.rules import all_rules
from conftest import FIXTURES, ROOT, edit, load_pair, sarif_schema

AUDIT = FIXTURES / "audit"
SCHEMAS = Path(__file__).parent / "schemas"
runner = CliRunner()


def invoke(*args):
    return runner.invoke(app, [str(a) for a in args])


def _report(*args) -> Report:
    res = invoke(*args, "--format", "json")
    assert res.exit_code in (0, 1, 2), res.output
    return Report.model_validate_json(res.stdout)


def _sarif(*args) -> dict:
    return json.loads(invoke(*args, "--format", "sarif").stdout)


def _results(doc: dict) -> list[dict]:
    return doc["runs"][0]["results"]


# --- SARIF: GitHub code scanning's documented requirements -----------------------------------------------------

def test_audit_sarif_meets_code_scanning_rules(monkeypatch):
    """docs.github.com "SARIF support for code scanning": a startLine on every result, URIs relative to the
    repository root with the base id declared in originalUriBaseIds, primaryLocationLineHash (the only
    fingerprint code scanning reads), rules with help, helpUri and tags."""
    monkeypatch.chdir(ROOT / "fixtures")  # from a subfolder: paths are still relative to the work tree's root
    doc = _sarif("audit", AUDIT)
    schema = sarif_schema()
    if schema is not None:
        import jsonschema
        jsonschema.Draft4Validator(schema).validate(doc)
    run = doc["runs"][0]
    base = run["originalUriBaseIds"]["%SRCROOT%"]["uri"]
    assert base == ROOT.as_uri() + "/"
    results = _results(doc)
    assert len(results) == 9
    for r in results:
        phys = r["locations"][0]["physicalLocation"]
        assert phys["region"]["startLine"] >= 1, r["ruleId"]
        assert phys["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert phys["artifactLocation"]["uri"].startswith("fixtures/audit/")
        assert re.fullmatch(r"[0-9a-f]{16}:1", r["partialFingerprints"]["primaryLocationLineHash"])
    hashes = [r["partialFingerprints"][f"ipsecPreflight/{fingerprint.VERSION}"] for r in results]
    assert len(set(hashes)) == len(hashes)
    # the Alibaba-side findings point at their JSON line, not at line 1
    peer_id = next(r for r in results if r["ruleId"] == "PeerIdMismatch")
    assert peer_id["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].endswith(".json")
    assert peer_id["locations"][0]["physicalLocation"]["region"]["startLine"] > 1
    for rule in run["tool"]["driver"]["rules"]:
        assert rule["help"]["text"] and rule["help"]["markdown"] and rule["properties"]["tags"]
        assert rule["helpUri"].endswith("/docs/rules.md#" + rule["id"].lower())


def test_rule_help_links_reach_a_heading_of_docs_rules_md():
    """The helpUri anchors are GitHub's slugs of the `## Code` headings docs/rules.md really has."""
    from analyzer.reporters.sarif import anchor
    headings = re.findall(r"^## (.+)$", (ROOT / "docs" / "rules.md").read_text(), re.M)
    codes = {r.code for r in all_rules()}
    documented = [h for h in headings if h in codes]  # docs/rules.md may lag a new rule (its sync test says so)
    assert len(documented) > 30 and all(anchor(h) == h.lower() for h in documented)
    links = set(re.findall(r"\]\(#([^)]+)\)", (ROOT / "docs" / "rules.md").read_text()))
    assert {anchor(h) for h in documented} <= links
    assert anchor("Peer mismatch: v2.0") == "peer-mismatch-v20"


def test_security_severity_only_on_security_tagged_rules():
    rules = {r["id"]: r for r in _sarif("audit", AUDIT)["runs"][0]["tool"]["driver"]["rules"]}
    scored = {code for code, r in rules.items() if "security-severity" in r["properties"]}
    assert scored == set(SECURITY_SEVERITY)
    for code in scored:
        assert "security" in rules[code]["properties"]["tags"]
        assert 0.0 < float(rules[code]["properties"]["security-severity"]) <= 10.0
    assert not any("security" in r["properties"]["tags"] for c, r in rules.items() if c not in scored)


def test_rule_metadata_names_only_registered_rules():
    codes = {r.code for r in all_rules()}
    assert set(SECURITY_SEVERITY) <= codes and LINE_IS_OBJECT <= codes and set(_TOPIC) <= codes


def test_file_outside_the_work_tree_stays_an_absolute_uri(tmp_path):
    conn, cfg = load_pair("ikev1-map")
    (tmp_path / "c.json").write_text(json.dumps(conn))
    (tmp_path / "d.cfg").write_text(edit(cfg, (" set pfs group14", " set pfs group5")))
    (pfs,) = [r for r in _results(_sarif("check", tmp_path / "c.json", tmp_path / "d.cfg"))
              if r["ruleId"] == "PfsMismatch"]
    where = pfs["locations"][0]["physicalLocation"]["artifactLocation"]
    assert where == {"uri": (tmp_path / "d.cfg").as_uri()}  # no base id: it is not under %SRCROOT%


@pytest.mark.parametrize("config,pfs_line", [("ikev1-map.cfg", " set pfs group14\n"),
                                             ("ikev1-map.huawei.cfg", " pfs dh-group14\n")])
def test_sarif_fix_inserts_the_missing_line_and_the_result_then_passes(config, pfs_line, tmp_path):
    """A fix that is lines to add to an existing block becomes a SARIF fix; applied to the file, the finding goes."""
    conn, _ = load_pair("ikev1-map")
    (tmp_path / "c.json").write_text(json.dumps(conn))
    device = tmp_path / "d.cfg"
    device.write_text(edit((FIXTURES / "pairs" / config).read_text(), (pfs_line, "")))
    (pfs,) = [r for r in _results(_sarif("check", tmp_path / "c.json", device)) if r["ruleId"] == "PfsMismatch"]
    (change,) = pfs["fixes"][0]["artifactChanges"]
    assert change["artifactLocation"]["uri"] == device.as_uri()
    (rep,) = change["replacements"]
    region = rep["deletedRegion"]
    assert region["startLine"] == region["endLine"] and region["startColumn"] == region["endColumn"] == 1
    lines = device.read_text().splitlines(keepends=True)
    at = region["startLine"] - 1
    device.write_text("".join(lines[:at]) + rep["insertedContent"]["text"] + "".join(lines[at:]))
    after = _report("check", tmp_path / "c.json", device)
    assert "PfsMismatch" not in {f.code for p in after.pairs for f in p.findings}


def test_a_rewrite_of_an_existing_line_is_no_sarif_fix(tmp_path):
    conn, cfg = load_pair("ikev1-map")
    (tmp_path / "c.json").write_text(json.dumps(conn))
    (tmp_path / "d.cfg").write_text(edit(cfg, (" set pfs group14", " set pfs group5")))
    (pfs,) = [r for r in _results(_sarif("check", tmp_path / "c.json", tmp_path / "d.cfg"))
              if r["ruleId"] == "PfsMismatch"]
    assert "fixes" not in pfs and pfs["properties"]["fix"]["device"]  # commands to paste, not a file edit


def test_lines_for_another_block_than_the_one_pointed_at_are_no_sarif_fix(tmp_path):
    """Comware: the finding points at the IPsec policy, the PFS line belongs in the transform set."""
    conn, _ = load_pair("ikev1-map")
    (tmp_path / "c.json").write_text(json.dumps(conn))
    device = tmp_path / "d.cfg"
    device.write_text(edit((FIXTURES / "pairs" / "ikev1-map.h3c.cfg").read_text(), (" pfs dh-group14\n", "")))
    (pfs,) = [r for r in _results(_sarif("check", tmp_path / "c.json", device)) if r["ruleId"] == "PfsMismatch"]
    assert pfs["properties"]["fix"]["device"][0] == "ipsec transform-set TS-ALIYUN" and "fixes" not in pfs


def test_a_result_without_a_line_says_why_it_points_at_line_1():
    f = Finding(code="PfsMismatch", alibaba_code="PfsMismatch", severity="error", title="PFS mismatch", message="m",
                alibaba=AlibabaRef(file="fixtures/pairs/ikev1-map.json", field="IpsecConfig.IpsecPfs"))
    report = Report(version="t", pairs=[PairResult(connection="c", tunnel=None, alibaba_file=f.alibaba.file,
                                                   device="fixtures/pairs/ikev1-map.cfg", vendor="cisco-ios",
                                                   endpoint="crypto map X 10", findings=[f])])
    (r,) = _results(json.loads(render(report, "sarif")))
    assert r["locations"][0]["physicalLocation"]["region"] == {"startLine": 1}
    assert "IpsecConfig.IpsecPfs" in r["properties"]["startLineIsFileStart"]


# --- fingerprints ----------------------------------------------------------------------------------------------

def _copy_audit(tmp_path) -> Path:
    shutil.copytree(AUDIT, tmp_path / "audit")
    return tmp_path / "audit"


def _prints(report: Report) -> dict:
    fingerprint.stamp(report)
    return {(p.connection, p.tunnel, f.code): f.fingerprint for p in report.pairs for f in p.findings} | {
        ("cross", f.code, tuple(f.related)): f.fingerprint for f in report.audit.cross}


def test_fingerprints_survive_a_changed_alibaba_value_and_moved_lines(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)  # no git work tree here: the current folder is the base
    folder = _copy_audit(tmp_path)
    before = _report("audit", "audit")
    conns = folder / "alibaba" / "describe-vpn-connections.json"
    text = conns.read_text()
    # vco-audit0hz0dc0002 (the test VPC): Alibaba's IKE auth value changes, the mismatch stays
    i = text.index('"VpnConnectionId": "vco-audit0hz0dc0002"')
    head, tail = text[:i], text[i:]
    tail = tail.replace('"IkeAuthAlg": "sha1"', '"IkeAuthAlg": "md5"', 1)  # still not the device's sha256
    conns.write_text(head + tail)
    dev = folder / "devices" / "hz" / "hz-dc-edge01.cfg"
    dev.write_text("! exported 2026-11-30 by rancid\n!\n!\n" + dev.read_text())
    after = _report("audit", "audit")
    old, new = _prints(before), _prints(after)
    assert new == old
    auth = [(p, f) for r in (before, after) for p in r.pairs for f in p.findings
            if f.code == "AuthenticationAlgorithmMismatch"]
    (p0, f0), (p1, f1) = auth
    assert f0.message != f1.message and f1.device.line == f0.device.line + 3  # really changed and moved
    sarif_before = {r["ruleId"]: r["partialFingerprints"] for r in _results(json.loads(render(before, "sarif")))}
    sarif_after = {r["ruleId"]: r["partialFingerprints"] for r in _results(json.loads(render(after, "sarif")))}
    assert sarif_before == sarif_after


def test_fingerprints_differ_by_tunnel_code_and_file():
    report = _report("audit", AUDIT)
    prints = _prints(report)
    assert len(set(prints.values())) == len(prints)
    p = next(p for p in report.pairs if p.findings and p.tunnel is None)
    f = p.findings[0]
    base = fingerprint.of(f, p)
    assert fingerprint.of(f, p.model_copy(update={"tunnel": "tun-2"})) != base
    assert fingerprint.of(f.model_copy(update={"code": "PfsMismatch"}), p) != base
    assert fingerprint.of(f.model_copy(update={"device": f.device.model_copy(update={"file": "other.cfg"})}), p) != base
    assert fingerprint.of(f.model_copy(update={"message": "x", "device": f.device and f.device.model_copy(
        update={"line": 999, "text": "other"})}), p) == base


def test_equal_findings_are_numbered_in_report_order():
    def unparsed(line, text):
        return Finding(code="UnparsedConfig", alibaba_code=None, severity="info", title="t", message=f"line {line}",
                       device=DeviceRef(file="d.cfg", line=line, text=text))

    def twin(line):
        return Finding(code="DeviceConfigIncomplete", alibaba_code=None, severity="error", title="t", message="m",
                       device=DeviceRef(file="d.cfg", line=line))

    pair = PairResult(connection=None, tunnel=None, alibaba_file=None, device="d.cfg", vendor="cisco-ios",
                      endpoint="crypto map M 10", findings=[twin(3), twin(9), unparsed(5, " set foo 1"),
                                                            unparsed(7, " set bar 2")])
    report = Report(version="t", pairs=[pair])
    fingerprint.stamp(report)
    prints = [f.fingerprint for f in pair.findings]
    assert len(set(prints)) == 4
    # an unparsed line is its own object: moving it or adding one before it keeps its fingerprint
    pair.findings = [unparsed(2, "  set bar   2"), *pair.findings]
    fingerprint.stamp(report)
    assert pair.findings[0].fingerprint == prints[3]


# --- GitHub workflow commands ------------------------------------------------------------------------------------

# GitHub's command syntax: ::name key=value,key=value::message, values and message on one line, escaped
_COMMAND = re.compile(r"::(error|warning|notice)(?: ((?:file|line|col|title)=[^,:\r\n]*(?:,(?:file|line|col|title)"
                      r"=[^,:\r\n]*)*))?::([^\r\n]*)")


def _unescape(text: str) -> str:
    return text.replace("%0D", "\r").replace("%0A", "\n").replace("%3A", ":").replace("%2C", ",").replace("%25", "%")


def test_github_annotations_for_the_audit():
    report = _report("audit", AUDIT)
    lines = render(report, "github").splitlines()
    commands = [_COMMAND.fullmatch(line) for line in lines]
    assert all(commands), [line for line, m in zip(lines, commands) if not m]
    found = sum(1 for f in report.all_findings() if not f.suppressed)
    assert len(commands) == 1 + found + len(report.errors) + len(report.audit.notes)
    # the summary comes first (always among the annotations GitHub shows), then the worst
    assert commands[0].group(1) == "notice" and commands[0].group(3).startswith("4 error(s), 5 warning(s)")
    assert "2 input(s) not checked" in commands[0].group(3) and "first 10" not in commands[0].group(3)
    levels = [m.group(1) for m in commands[1:]]
    assert levels == sorted(levels, key=["error", "warning", "notice"].index)
    assert [m.group(2).split(",title=")[1] for m in commands[1:3]] == ["input not checked"] * 2
    props = [dict(kv.split("=", 1) for kv in m.group(2).split(",")) for m in commands]
    dh = next(p for p in props if p["title"].startswith("DhGroupMismatch"))
    assert dh["file"] == "fixtures/audit/devices/hz/hz-dc-edge01.cfg" and dh["line"] == "14"


def _one_pair(*findings) -> Report:
    return Report(version="t", pairs=[PairResult(connection="vco-1", tunnel=None, alibaba_file=None,
                                                 device="dir,a/b:c.cfg", vendor="cisco-ios", endpoint="e",
                                                 findings=list(findings))])


def test_github_escaping_keeps_a_value_on_its_line():
    f = Finding(code="PfsMismatch", alibaba_code="PfsMismatch", severity="warning", title="PFS mismatch",
                message="100% down\r\n::error::forged, by: input",
                device=DeviceRef(file="dir,a/b:c.cfg", line=3, text="x"))
    line = render(_one_pair(f), "github").splitlines()[1]
    assert line == ("::warning file=dir%2Ca/b%3Ac.cfg,line=3,title=PfsMismatch%3A PFS mismatch::"
                    "100%25 down%0D%0A::error::forged, by: input [vco-1]")
    m = _COMMAND.fullmatch(line)
    assert m and _unescape(m.group(3)).startswith(f.message)


def test_github_shows_terminal_controls_from_inputs_as_escapes():
    f = Finding(code="UnparsedConfig", alibaba_code=None, severity="info", title="t",
                message="a\x1b]0;pwned\x07 b \u202eevil", device=DeviceRef(file="d\x1b[2K.cfg", line=2, text="x"))
    line = render(_one_pair(f), "github").splitlines()[1]
    assert line == ("::notice file=d\\x1b[2K.cfg,line=2,title=UnparsedConfig%3A t::"
                    "a\\x1b]0;pwned\\x07 b \\u202eevil [vco-1]")


def test_github_summary_says_when_annotations_exceed_what_github_shows():
    warnings = [Finding(code="UnparsedConfig", alibaba_code=None, severity="warning", title="t", message=f"w{i}",
                        device=DeviceRef(file="d.cfg", line=i + 1, text=f"x{i}")) for i in range(11)]
    first = render(_one_pair(*warnings), "github").splitlines()[0]
    assert "11 warning(s)" in first and "only the first 10 annotations of each level" in first


def test_github_says_when_nothing_was_checked():
    assert "nothing was checked" in render(Report(version="t"), "github").splitlines()[0]


# --- GitLab Code Quality -----------------------------------------------------------------------------------------

DOCUMENTED_ISSUE = {  # docs.gitlab.com/ee/ci/testing/code_quality.html#implement-a-custom-tool, field table
    "type": "object", "required": ["description", "check_name", "fingerprint", "severity", "location"],
    "properties": {
        "description": {"type": "string", "minLength": 1}, "check_name": {"type": "string", "minLength": 1},
        "fingerprint": {"type": "string", "minLength": 1},
        "severity": {"enum": ["info", "minor", "major", "critical", "blocker"]},
        "location": {"type": "object", "required": ["path", "lines"], "properties": {
            "path": {"type": "string", "minLength": 1, "not": {"pattern": "^(/|[a-z]+://)"}},
            "lines": {"type": "object", "required": ["begin"],
                      "properties": {"begin": {"type": "integer", "minimum": 1}}}}}}}


def test_gitlab_code_quality_for_the_audit():
    import jsonschema
    report = _report("audit", AUDIT)
    text = render(report, "gitlab")
    assert not text.startswith("\ufeff")  # GitLab's parser refuses a byte order mark
    issues = json.loads(text)
    parser_schema = json.loads((SCHEMAS / "gitlab-codeclimate.json").read_text())
    for issue in issues:
        jsonschema.Draft7Validator(parser_schema).validate(issue)  # else GitLab drops the issue silently
        jsonschema.Draft7Validator(DOCUMENTED_ISSUE).validate(issue)
    assert len({i["fingerprint"] for i in issues}) == len(issues)  # GitLab keys issues by fingerprint
    by_check = {i["check_name"]: i for i in issues}
    assert by_check["DhGroupMismatch"]["location"] == {"path": "fixtures/audit/devices/hz/hz-dc-edge01.cfg",
                                                       "lines": {"begin": 14}}
    assert by_check["DhGroupMismatch"]["severity"] == "major"
    not_checked = [i for i in issues if i["check_name"] == "InputNotChecked"]
    assert {i["location"]["path"] for i in not_checked} == {"fixtures/audit/alibaba/truncated-export.json",
                                                            "fixtures/audit/devices/other/change-notes.txt"}
    assert {i["severity"] for i in not_checked} == {"blocker"}
    fps = {f.fingerprint for f in report.all_findings()}
    assert {i["fingerprint"] for i in issues if i["check_name"] not in ("InputNotChecked", "InputNote")} == fps


# --- JUnit ----------------------------------------------------------------------------------------------------

def _junit(text: str):
    from lxml import etree
    schema = etree.XMLSchema(etree.parse(str(SCHEMAS / "junit-10.xsd")))
    doc = etree.fromstring(text.encode())
    schema.assertValid(doc)
    return doc


def test_junit_for_the_audit():
    report = _report("audit", AUDIT)
    doc = _junit(render(report, "junit"))
    cases = doc.findall(".//testcase")
    assert len(cases) == len(report.pairs) + 1 + len(report.errors)  # pairs, the cross rules, unreadable inputs
    failures = doc.findall(".//failure")
    errors_found = [f for f in report.all_findings() if f.severity == "error" and not f.suppressed]
    assert sorted(f.get("type") for f in failures) == sorted(f.code for f in errors_found)
    suite = doc.find("testsuite")
    assert suite.get("tests") == str(len(cases)) and suite.get("errors") == "2"
    assert suite.get("failures") == str(sum(1 for c in cases if c.find("failure") is not None))
    cross = next(c for c in cases if c.get("name") == "cross-connection rules")
    assert "OverlappingSelectors (warning)" in cross.find("system-out").text
    assert {c.find("error").get("type") for c in cases if c.find("error") is not None} == {"InputNotChecked"}


def test_junit_shows_control_characters_from_inputs_as_text():
    f = Finding(code="UnparsedConfig", alibaba_code=None, severity="error", title="t",
                message="bad \x1b[2K\x00 line <x> & \"q\" \u202e", device=DeviceRef(file="d.cfg", line=1, text="x"))
    report = Report(version="t", pairs=[PairResult(connection=None, tunnel=None, alibaba_file=None, device="d.cfg",
                                                   vendor="cisco-ios", endpoint="e\x07", findings=[f])])
    doc = _junit(render(report, "junit"))
    assert doc.find(".//failure").get("message") == "bad \\x1b[2K\\x00 line <x> & \"q\" \\u202e"
    assert doc.find(".//testcase").get("name").endswith("e\\x07")


def test_junit_says_when_nothing_was_checked():
    doc = _junit(render(Report(version="t"), "junit"))
    assert doc.find(".//error").get("type") == "NothingChecked" and doc.find("testsuite").get("errors") == "1"


# --- no key in any CI format ---------------------------------------------------------------------------------

@pytest.mark.parametrize("fmt", ["github", "gitlab", "junit", "sarif"])
def test_no_psk_in_ci_formats(fmt, tmp_path):
    conn, cfg = load_pair("ikev1-map")
    (tmp_path / "c.json").write_text(json.dumps(conn))
    (tmp_path / "d.cfg").write_text(edit(cfg, ("crypto isakmp key hzDC-7q!Lm2#vR9k",
                                               "crypto isakmp key hzDC-test-Key#88")))
    text = render(_report("check", tmp_path / "c.json", tmp_path / "d.cfg"), fmt)
    assert "PskMismatch" in text
    assert "hzDC-7q!Lm2#vR9k" not in text and "hzDC-test-Key#88" not in text


def test_input_problem_lines_point_at_the_file():
    report = Report(version="t", errors=[InputProblem(file="x/conn.json", line=4, message="invalid JSON")])
    second = render(report, "github").splitlines()[1]
    assert second == "::error file=x/conn.json,line=4,title=input not checked::invalid JSON"


@pytest.mark.parametrize("fmt", ["github", "gitlab", "junit"])
def test_ci_formats_from_the_command_are_deterministic(fmt, tmp_path):
    a, b = tmp_path / "a", tmp_path / "b"
    ra = invoke("audit", AUDIT, "--format", fmt, "--output", a)
    rb = invoke("audit", AUDIT, "--format", fmt, "--output", b, "--jobs", "2")
    assert ra.exit_code == rb.exit_code == 2  # two unreadable inputs in the fixture
    assert a.read_bytes() == b.read_bytes() and a.stat().st_size > 1000


# --- Review R3: fingerprints name the finding's own object ---------------------------------------------------------

CI = FIXTURES / "ci"
_POLICY_20 = ("ipsec policy ALIYUN-MAP 20 isakmp\n transform-set TS-SHARED\n security acl 3010\n"
              " remote-address 198.51.100.70\n ike-profile PROF-B\n sa duration time-based 3600\n#\n")


def test_lint_baseline_survives_an_added_tunnel(tmp_path, monkeypatch):
    """A lint result lists every tunnel of the device: adding one must make only its own finding new."""
    monkeypatch.chdir(tmp_path)
    three = (CI / "h3c-three-policies.cfg").read_text()
    Path("dev.cfg").write_text(edit(three, (_POLICY_20, "")))
    assert invoke("lint", "dev.cfg", "--write-baseline", "bl.json").exit_code == 0
    Path("dev.cfg").write_text(three)
    report = _report("lint", "dev.cfg", "--baseline", "bl.json")
    new = [f for f in report.all_findings()]
    assert [f.device.text for f in new] == ["ipsec policy ALIYUN-MAP 20 isakmp"]
    assert report.baseline.baselined == 2 and report.baseline.stale == []


def _lifetime(field="IkeConfig.IkeLifetime", message="IKE SA lifetime: Alibaba 28800 s, device 86400 s") -> Finding:
    return Finding(code="LifetimeMismatch", alibaba_code="LifetimeMismatch", severity="warning", title="t",
                   message=message, alibaba=AlibabaRef(file="c.json", field=field),
                   device=DeviceRef(file="d.cfg", line=31, text="lifetime 86400"))


def _print_of(finding: Finding, **pair) -> str:
    base = dict(connection="vco-1", tunnel="tun-1", alibaba_file="c.json", device="d.cfg", vendor="cisco-ios",
                endpoint="Tunnel31 (ipsec profile A)")
    p = PairResult(**{**base, **pair}, findings=[finding])
    fingerprint.stamp(Report(version="t", pairs=[p]))
    return finding.fingerprint


@pytest.mark.parametrize("before,after", [("Tunnel31 (ipsec profile IPSEC-ALIYUN-T1)", "Tunnel31 (ipsec profile X)"),
                                          ("crypto map OUT 10 [ikev1]", "crypto map OUT 10 [ikev2]"),
                                          ("Tunnel1 (crypto map OUT 10) [ikev1]", "Tunnel1 (crypto map B 5) [ikev2]")])
def test_pair_fingerprint_ignores_the_bound_profile_and_ike_version(before, after):
    assert _print_of(_lifetime(), endpoint=before) == _print_of(_lifetime(), endpoint=after)


def test_pair_fingerprint_tells_policies_on_one_interface_apart():
    """Huawei/H3C name a policy applied on an interface "GE0/0/1 (ipsec policy P 10)": the policy is the object."""
    assert _print_of(_lifetime(), endpoint="GigabitEthernet0/0/1 (ipsec policy P 10)") != \
        _print_of(_lifetime(), endpoint="GigabitEthernet0/0/1 (ipsec policy P 20)")


def test_tunnels_without_ids_differ_by_role_not_by_report_order():
    """A CreateVpnConnection request has no TunnelId: master and slave must not share a key."""
    field = "TunnelOptionsSpecification[{}].TunnelIkeConfig.IkeLifetime"
    master = _print_of(_lifetime(field.format(0)), tunnel=None, role="master")
    slave = _print_of(_lifetime(field.format(1)), tunnel=None, role="slave")
    assert master != slave
    # with ids, the id says which tunnel: its position in the list does not count
    assert _print_of(_lifetime(field.format(0))) == _print_of(_lifetime(field.format(1)))


def test_audit_cross_findings_on_the_two_tunnels_of_a_connection_differ_by_tunnel():
    def unpaired(i):
        return Finding(code="UnpairedAlibabaTunnel", alibaba_code=None, severity="warning", title="t", message="m",
                       related=["vco-1"], alibaba=AlibabaRef(
                           file="c.json", field=f"TunnelOptionsSpecification.TunnelOptions[{i}].InternetIp"))
    from analyzer.findings import AuditSummary
    one = AuditSummary(mode="pair", files=1, devices=0, alibaba_files=1, connections=1, tunnels=2, pairs=0,
                       cross=[unpaired(1)])
    both = one.model_copy(update={"cross": [unpaired(0), unpaired(1)]})
    for audit in (one, both):
        fingerprint.stamp(Report(version="t", audit=audit))
    assert one.cross[0].fingerprint == both.cross[1].fingerprint != both.cross[0].fingerprint


def test_findings_of_one_rule_on_different_ports_keep_their_fingerprints_in_any_order():
    def ports(port):
        return Finding(code="IkePortsFiltered", alibaba_code=None, severity="error", title="t",
                       message=f"inbound access-list WAN-IN on Gi0/1 denies {port} from 192.0.2.200",
                       device=DeviceRef(file="d.cfg", line=87, text="deny   ip any any"))
    pair = dict(connection=None, tunnel=None, alibaba_file=None, device="d.cfg", vendor="cisco-ios",
                endpoint="crypto map M 10")
    a = PairResult(**pair, findings=[ports("UDP 500"), ports("UDP 4500")])
    b = PairResult(**pair, findings=[ports("UDP 4500")])
    for p in (a, b):
        fingerprint.stamp(Report(version="t", pairs=[p]))
    assert a.findings[1].fingerprint == b.findings[0].fingerprint != a.findings[0].fingerprint


# --- Review R3: workflow commands from inputs, on stdout and stderr ------------------------------------------------

def _no_runner_command(text: str) -> None:
    for line in text.splitlines():
        assert "##[" not in line, line
        assert not line.lstrip().startswith("::") or _COMMAND.fullmatch(line.lstrip()), line


@pytest.mark.parametrize("fmt", ["github", "text", "json", "sarif", "gitlab", "junit"])
def test_a_legacy_workflow_command_in_a_connection_id_reaches_no_output(fmt, tmp_path):
    doc = json.loads((FIXTURES / "example" / "connection.json").read_text())
    doc["VpnConnectionId"] = "vco-1 ##[stop-commands]pwn"
    doc["Name"] = "::error file=README.md,line=1::forged"
    conn = tmp_path / "c.json"
    conn.write_text(json.dumps(doc))
    res = invoke("check", conn, FIXTURES / "example" / "branch-router.cfg", "--format", fmt)
    assert res.exit_code in (1, 2) and "pwn" in res.stdout
    assert "vco-1 ##\\[stop-commands]pwn" in res.stderr  # a note names the connection: both channels are tested
    _no_runner_command(res.stdout)
    _no_runner_command(res.stderr)
    if fmt == "github":
        assert not any("forged" in line and line.startswith("::error") for line in res.stdout.splitlines())


def test_a_stale_baseline_entry_forges_no_annotation_on_stderr(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(FIXTURES / "example" / "branch-router.cfg", "dev.cfg")
    Path("bl.json").write_text(json.dumps({"tool": "ipsec-preflight", "version": "t", "entries": [
        {"fingerprint": "0" * 64, "code": "PfsMismatch", "file": "::error file=README.md,line=1::forged",
         "message": "x ##[stop-commands]y"}]}))
    res = invoke("lint", "dev.cfg", "--baseline", "bl.json", "--format", "github")
    assert "forged" in res.stderr
    _no_runner_command(res.stderr)
    _no_runner_command(res.stdout)


# --- Review R3: inputs that are not files (live API) ---------------------------------------------------------------

API = "api:cn-hangzhou/DescribeVpnConnections"


def _api_report() -> Report:
    on_api = Finding(code="PfsMismatch", alibaba_code="PfsMismatch", severity="error", title="t", message="m",
                     alibaba=AlibabaRef(file=API, field="IpsecConfig.IpsecPfs"))
    only_api = Finding(code="UnpairedAlibabaTunnel", alibaba_code=None, severity="warning", title="t", message="u",
                       alibaba=AlibabaRef(file=API, field="VpnConnections.VpnConnection[0]"), related=["vco-2"])
    from analyzer.findings import AuditSummary
    pair = PairResult(connection="vco-1", tunnel=None, alibaba_file=API, device="fixtures/example/branch-router.cfg",
                      vendor="cisco-ios", endpoint="crypto map M 10", findings=[on_api])
    audit = AuditSummary(mode="pair", files=1, devices=1, alibaba_files=1, connections=2, tunnels=2, pairs=1,
                         cross=[only_api])
    return Report(version="t", pairs=[pair], audit=audit,
                  errors=[InputProblem(file="api:cn-hangzhou", message="throttled")])


def test_an_api_answer_is_no_repository_file_in_any_ci_format(monkeypatch):
    monkeypatch.chdir(ROOT)
    sarif = json.loads(render(_api_report(), "sarif"))
    assert "api%3A" not in json.dumps(sarif)
    if (schema := sarif_schema()) is not None:  # a logical-only location is valid SARIF
        import jsonschema
        jsonschema.Draft4Validator(schema).validate(sarif)
    pair_result, cross_result = _results(sarif)
    assert pair_result["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "fixtures/example/branch-router.cfg", "uriBaseId": "%SRCROOT%"}  # the device file it has
    assert cross_result["locations"][0] == {"logicalLocations": [
        {"fullyQualifiedName": API, "kind": "resource"},
        {"fullyQualifiedName": "VpnConnections.VpnConnection[0]", "kind": "member"}]}
    note = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]
    assert "physicalLocation" not in json.dumps(note)
    github = render(_api_report(), "github")
    assert "file=api" not in github and "file=fixtures/example/branch-router.cfg" in github
    assert "::error title=input not checked::api:cn-hangzhou: throttled" in github.splitlines()
    gitlab = json.loads(render(_api_report(), "gitlab"))
    assert [i["location"]["path"] for i in gitlab] == ["fixtures/example/branch-router.cfg", API, "api:cn-hangzhou"]


def test_api_fingerprints_do_not_depend_on_the_folder(monkeypatch):
    prints = []
    for folder in (ROOT, ROOT / "fixtures"):
        monkeypatch.chdir(folder)
        report = _api_report()
        fingerprint.stamp(report)
        prints.append(report.audit.cross[0].fingerprint)
    assert prints[0] == prints[1]


# --- Review R3: baseline, coverage and notes in CI formats ---------------------------------------------------------

def test_ci_formats_say_how_many_findings_the_baseline_left_out(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copy(FIXTURES / "example" / "branch-router.cfg", "dev.cfg")
    assert invoke("lint", "dev.cfg", "--write-baseline", "bl.json").exit_code in (0, 1)
    n = len(json.loads(Path("bl.json").read_text())["entries"])
    assert n > 0
    github = invoke("lint", "dev.cfg", "--baseline", "bl.json", "--format", "github").stdout
    assert f"{n} finding(s) left out by the baseline bl.json" in github.splitlines()[0]
    junit = _junit(invoke("lint", "dev.cfg", "--baseline", "bl.json", "--format", "junit").stdout)
    assert junit.find(".//property[@name='baselined']").get("value") == str(n)
    sarif = json.loads(invoke("lint", "dev.cfg", "--baseline", "bl.json", "--format", "sarif").stdout)
    notes = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"]
    assert any(f"{n} finding(s) left out by the baseline" in x["message"]["text"] for x in notes)


def test_junit_fails_an_audit_that_compared_no_tunnel():
    doc = _junit(invoke("audit", FIXTURES / "example" / "connection.json", "--format", "junit").stdout)
    assert doc.find("testsuite").get("errors") == "1"
    assert doc.find(".//testcase[@name='nothing checked']/error").get("type") == "NothingChecked"


def test_junit_carries_the_audit_notes():
    from analyzer.findings import AuditSummary
    note = InputProblem(file="page.json", message="a page of a longer list: 5 of 40 connections")
    report = Report(version="t", audit=AuditSummary(mode="pair", files=1, devices=0, alibaba_files=1, connections=5,
                                                    tunnels=5, pairs=0, notes=[note]))
    out = _junit(render(report, "junit")).find("testsuite/system-out").text
    assert "page.json: a page of a longer list: 5 of 40 connections" in out


def test_github_summary_counts_tunnels_not_devices(tmp_path):
    cfg = tmp_path / "plain.cfg"
    cfg.write_text("hostname r1\n!\ninterface GigabitEthernet0/0\n ip address 192.0.2.1 255.255.255.0\n!\nend\n")
    first = invoke("lint", cfg, "--format", "github").stdout.splitlines()[0]
    assert "1 tunnel(s)" not in first and "0 tunnel(s) compared" in first
    assert "1 device(s) with no IPsec tunnel" in first and "nothing was checked" in first


# --- Review R3: paths ---------------------------------------------------------------------------------------------

def test_a_path_through_a_symlink_is_still_relative_to_the_root(tmp_path, monkeypatch):
    from analyzer import src_root
    real = tmp_path / "repo"
    (real / ".git").mkdir(parents=True)
    (real / "d.cfg").write_text("end\n")
    (tmp_path / "link").symlink_to(real)
    monkeypatch.chdir(real)
    assert src_root.shown(str(tmp_path / "link" / "d.cfg")) == "d.cfg"


def test_gitlab_fingerprints_are_unique_for_a_file_named_twice(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("x.cfg").write_bytes(b"\x00\x01binary")
    issues = json.loads(invoke("lint", "x.cfg", "./x.cfg", "--format", "gitlab").stdout)
    prints = [i["fingerprint"] for i in issues]
    assert len(prints) >= 2 and len(set(prints)) == len(prints)


def test_a_non_utf8_file_name_is_percent_encoded_from_its_bytes(tmp_path, monkeypatch):
    import os
    from analyzer.reporters.sarif import artifact
    (tmp_path / ".git").mkdir()
    monkeypatch.chdir(tmp_path)
    name = os.fsdecode(b"r\xff.cfg")
    assert artifact(name)["uri"] == "r%FF.cfg"
    assert artifact(str(tmp_path.parent / name))["uri"].endswith("/r%FF.cfg")
    # the readers show that byte as the text \xff: the URI still names the file's real bytes
    shutil.copy(FIXTURES / "example" / "branch-router.cfg", os.fsencode(tmp_path / name))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            for r in _results(_sarif("lint", name))}
    assert uris == {"r%FF.cfg"}


def test_parser_notes_on_one_line_keep_their_fingerprints_in_any_order():
    """fixtures/repo/archive: an entry with no `set peer` whose map is applied nowhere gives two notes on its header."""
    pair = _report("lint", FIXTURES / "repo" / "archive" / "gz-legacy-rtr01.cfg").pairs[0]
    header = pair.findings[0].device.line
    notes = [f for f in pair.findings if f.code == "DeviceConfigIncomplete" and f.device.line == header]
    assert len(notes) == 2
    before = {f.message: f.fingerprint for f in notes}
    pair.findings = list(reversed(pair.findings))
    fingerprint.stamp(Report(version="t", pairs=[pair]))
    assert {f.message: f.fingerprint for f in notes} == before
