"""Issue 16 item 4, the parse loop outside the scanner: vendor detection (one nested marker regex, Huawei's opening
banner) and the object names collected in the droppable-name pass. Each shortcut is checked against the reading it
replaced, on every fixture, corpus and generated config."""
from __future__ import annotations

import re
import sys

import pytest

from conftest import CORPUS, FIXTURES, ROOT, device_config_files
from parsers import registry
from parsers.common import read_text
from parsers.registry import detect_vendor, parse_device

HUAWEI = (FIXTURES / "pairs" / "ikev1-map.huawei.cfg").read_text()
IOS = (FIXTURES / "pairs" / "ikev1-map.cfg").read_text()
H3C = (FIXTURES / "h3c" / "cmw7-ikev1-route.cfg").read_text()
BANNER = "!Software Version V200R010C10SPC700\n"


def _flat() -> tuple[re.Pattern, dict[int, str]]:
    """The marker regex as the plain alternation it stands for: one named alternative per marker, in order."""
    flat = re.compile("\n(?:" + "|".join(f"(?P<m{i}>{m})" for i, (_, m) in enumerate(registry._ORDER)) + ")",
                      re.MULTILINE)
    return flat, {n: registry._ORDER[int(name[1:])][0] for name, n in flat.groupindex.items()}


def _marks(rx: re.Pattern, family: dict[int, str], text: str) -> list[tuple[str, tuple[int, int]]]:
    return [(family[m.lastindex], m.span()) for m in rx.finditer("\n" + text)]


def test_nested_marker_regex_matches_as_the_flat_alternation(generated):
    flat, family = _flat()
    texts = [read_text(p) for p in device_config_files() + generated]
    # every marker's own line, and each marker line with the next marker's text glued on (alternation order)
    lines = [re.sub(r"\\d\{3\}|\\d\+?|\\S\+|\[[^\]]*\][*+]?|\(([^|)]*)\|[^)]*\)|[$^\\]", lambda m: m.group(1) or "1",
                    m) for _, m in registry._ORDER]
    texts.append("\n".join(lines))
    texts.append("\n".join(a + b for a, b in zip(lines, lines[1:])))
    hits = 0
    for text in texts:
        expected = _marks(flat, family, text)
        hits += len(expected)
        assert _marks(*registry._markers(), text) == expected
    assert hits > 1000  # the texts do exercise the markers


def test_nesting_keeps_quantified_and_grouped_leads_in_place():
    alts = [(0, " ?version 7"), (1, " sysname "), (2, "(esp|ah) x"), (3, " site"), (4, "\\[V\\d"), (5, "\\[X")]
    nested = re.compile("\n(?:" + registry._nested(alts, 2) + ")")
    flat = re.compile("\n(?:" + "|".join(f"{p}(?P<m{i}>)" for i, p in alts) + ")")
    for text in ("version 7", " version 7", " sysname A", "esp x", "ah x", " site", "[V2", "[X", " s", "[Y"):
        a, b = nested.match("\n" + text), flat.match("\n" + text)
        assert (a and (a.lastgroup, a.span())) == (b and (b.lastgroup, b.span())), text


def test_huawei_opening_banner_decides_without_scoring(monkeypatch):
    monkeypatch.setattr(registry, "_scores", lambda matches: pytest.fail("scored despite the banner"))
    assert detect_vendor(BANNER + HUAWEI) == "huawei-vrp"
    assert detect_vendor("\r\n<AR1>display current-configuration\r\n" + BANNER.replace("\n", "\r\n") + HUAWEI) \
        == "huawei-vrp"
    assert detect_vendor("[~CE1]display current-configuration\n" + BANNER + "!Last configuration was updated\n#\n") \
        == "huawei-vrp"


def test_huawei_banner_is_not_decisive_anywhere_but_the_opening(monkeypatch):
    # a Cisco export whose banner motd holds the line: scored, and Cisco it is
    motd = IOS.replace("!\n", "!\nbanner motd ^C\n" + BANNER + "^C\n!\n", 1)
    assert BANNER in motd and detect_vendor(motd) == "cisco-ios"
    # the line after a first config line is no opening: the score decides (and would be asked)
    scored = []
    real = registry._scores
    monkeypatch.setattr(registry, "_scores", lambda matches: scored.append(1) or real(matches))
    assert detect_vendor("sysname AR1\n" + BANNER + HUAWEI) == "huawei-vrp" and scored
    # an H3C export (decisive ` version 7.1..., Release`) that also opens with Huawei's line: banners of two
    # families decide nothing, the score does
    both = BANNER + H3C
    assert registry._banner_vendor("\n" + both[:16_384], both) is None
    assert registry._banner_vendor("\n" + H3C[:16_384], H3C) == "h3c-comware"
    not_vrp = BANNER.replace("V200R", "V2R") + IOS  # not Huawei's release form: a comment, then IOS's opening
    assert registry._opening_vendor(not_vrp) == "cisco-ios"


CISCO_OPENINGS = [
    ("cisco-ios", CORPUS / "cisco_ios" / "labvalidation-csr1000v-16.4-exitgw-live-capture.cfg"),  # real capture
    ("cisco-ios", CORPUS / "cisco_ios" / "batfish-hybrid-cloud-lhr-border-02-aws-vti.cfg"),
    ("cisco-asa", CORPUS / "cisco_asa" / "ciscoconfparse-asa-9.0-anyconnect-no-l2l-negative.cfg"),
    ("cisco-ios", FIXTURES / "ios" / "isr4451-17.12-ikev1-map.cfg"),
    ("cisco-ios", FIXTURES / "pairs" / "ikev1-map.cfg"),
    ("cisco-asa", FIXTURES / "asa" / "ikev1-objnat.asa.cfg"),
    ("cisco-asa", FIXTURES / "pairs" / "ikev1-map.asa.cfg"),
]


@pytest.mark.parametrize("vendor, path", CISCO_OPENINGS, ids=lambda x: getattr(x, "name", x))
def test_cisco_opening_lines_decide_without_scoring(vendor, path, monkeypatch):
    if not path.exists():
        pytest.skip(f"{path} not present (../shared/corpus)")
    monkeypatch.setattr(registry, "_scores", lambda matches: pytest.fail("scored despite the opening line"))
    assert detect_vendor(read_text(path)) == vendor


@pytest.mark.parametrize("text", [
    "hostname r1\n!\nversion 15.2\n",  # after a command: no opening
    "!\nversion 15.2(4)M\n",  # not the two-number form
    "version 5.20, Release 2516P01\n#\n sysname H3C\n",  # Comware 5, flush-left
    "#\n version 7.1.064, Release 0821P16\n#\n",
    "!\ninterface Gi0/1\n description ASA Version 9.12(4)\n",
    "banner motd ^C\nASA Version 9.12(4)\n^C\n",
    "[V200R010C10SPC700]\n#\n sysname AR1\n",
])
def test_look_alike_lines_are_no_opening(text):
    assert registry._opening_vendor(text) is None


def test_an_h3c_export_is_not_taken_for_cisco_by_its_version_line(monkeypatch):
    cmw5 = (FIXTURES / "h3c" / "cmw5-ikev1-policy.cfg").read_text()
    assert detect_vendor(cmw5.replace(" version 5.20, Release 2516P01", "version 5.20, Release 2516P01")) \
        == "h3c-comware"


def test_marker_regex_is_compiled_only_when_scoring(tmp_path):
    import subprocess

    code = ("import parsers.registry as r; from parsers.common import read_text; import sys\n"
            "assert r.detect_vendor(read_text(sys.argv[1])) == 'cisco-ios'\n"
            "print(r._markers.cache_info().currsize)\n"
            "r.detect_vendor('crypto isakmp policy 10\\n')\n"
            "print(r._markers.cache_info().currsize)\n")
    out = subprocess.run([sys.executable, "-c", code, str(FIXTURES / "pairs" / "ikev1-map.cfg")], cwd=ROOT,
                         capture_output=True, text=True, check=True).stdout.split()
    assert out == ["0", "1"]


def _reference_names(text: str, file: str, vendor: str) -> set[str]:
    """names_in_use as it was read: object_names over every scanned block, plus every droppable name."""
    import importlib

    from parsers import object_names, vrp_common

    module = importlib.import_module(f"{registry.VENDORS[vendor]}.parser")
    blocks = module._Parser(text, file).blocks
    vrp = vendor in ("huawei-vrp", "h3c-comware")
    droppable = vrp_common.droppable_name if vrp else module._droppable_name
    names = object_names.names_in_use(blocks, object_names.VRP if vrp else object_names.CISCO)
    return names | {n for b in blocks if (n := droppable(b)) is not None}


def test_names_in_use_read_in_one_pass_are_the_two_pass_names(generated):
    checked = 0
    for path in device_config_files() + generated:
        text = read_text(path)
        vendor = detect_vendor(text)
        if vendor is None:
            continue
        dev = parse_device(text, str(path), vendor)
        assert dev.names_in_use == _reference_names(text, str(path), vendor), path
        checked += bool(dev.names_in_use)
    assert checked > 50


@pytest.mark.parametrize("vendor, text", [
    ("huawei-vrp", "acl number abc 3000\n rule 5 permit ip\n#\nacl name VPN 3001\n#\nacl advanced name X\n#\n"
                   "acl number 3002 name Y\n#\nike proposal 1\n#\n"),
    ("h3c-comware", " version 7.1.064, Release 0821P16\n#\nacl advanced name W 3005\n#\nacl number name\n#\n"),
    ("cisco-asa", "ASA Version 9.12(4)\n!\nobject network O1\n host 10.0.0.1\n nat (inside,outside) dynamic interface\n"
                  "object network O2\n host 10.0.0.2\naccess-list A extended permit ip any any\naccess-list\n"
                  "object-group network G\n network-object object O2\ntunnel-group 1.2.3.4 type ipsec-l2l\n"),
    ("cisco-ios", "version 15.2\n!\nip access-list extended E\n permit ip any any\naccess-list 101 permit ip any any\n"
                  "interface Gi0/1\n description x\ncrypto map M 10 ipsec-isakmp\n match address 101\n"),
])
def test_names_in_use_of_odd_headers(vendor, text):
    assert parse_device(text, "x.cfg", vendor).names_in_use == _reference_names(text, "x.cfg", vendor)


def test_line_starting_is_any_startswith(generated):
    """The droppable-name checks ask line_starting instead of startswith per child line: same answer on every
    block's children, for each prefix set the parsers use."""
    import importlib

    from parsers.common import line_starting

    prefix_sets = [("crypto", "tunnel", "ip nat"), ("ipsec", "nat", "tunnel", "source", "destination"), ("nat",)]
    asked = 0
    for path in device_config_files() + generated:
        text = read_text(path)
        vendor = detect_vendor(text)
        if vendor is None:
            continue
        for block in importlib.import_module(f"{registry.VENDORS[vendor]}.parser")._Parser(text, str(path)).blocks:
            lines = block.texts()
            for prefixes in prefix_sets:
                needles = tuple("\n" + p for p in prefixes)
                assert line_starting(lines, needles) == any(t.startswith(prefixes) for t in lines), block
                asked += 1
    assert asked > 5_000
    assert line_starting(["x", "natX"], ("\nnat",)) and not line_starting([], ("\nnat",))
    assert not line_starting(["x nat", " nat"], ("\nnat",))
