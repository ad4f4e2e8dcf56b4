"""Every file of ../shared/corpus parses with the auto-detected parser, or is reported as having no
site-to-site IPsec; extracted values are asserted for several files per vendor; real-world encodings read."""
import pytest

from conftest import CORPUS
from parsers.common import read_text
from parsers.registry import detect_vendor, parse_device

ALL = sorted(CORPUS.glob("*/*.cfg")) if CORPUS.is_dir() else []
needs_corpus = pytest.mark.skipif(not ALL, reason="../shared/corpus not present")
FOLDER = {"cisco_ios": "cisco-ios", "cisco_asa": "cisco-asa", "huawei": "huawei-vrp"}
MIXED = {"batfish-mixed-ios-asa-crypto-grammar-fixture.cfg"}  # deliberately IOS and ASA syntax in one file


@needs_corpus
@pytest.mark.parametrize("path", ALL, ids=[f"{p.parent.name}/{p.name}" for p in ALL])
def test_corpus_file_detected_and_parsed(path):
    text = read_text(path)
    vendor = detect_vendor(text)
    if path.name not in MIXED:
        assert vendor == FOLDER[path.parent.name]
    for v in ({vendor} if path.name not in MIXED else {"cisco-ios", "cisco-asa"}):
        cfg = parse_device(text, str(path), v)
        for ep in cfg.endpoints:
            assert ep.ike.version in ("ikev1", "ikev2", "any")


def _asa(name):
    path = CORPUS / "cisco_asa" / name
    return parse_device(read_text(path), str(path))


@needs_corpus
def test_asa_cml_site1_objects_policies_and_both_versions():
    cfg = _asa("cml-ipsec-exploration-asav-site1-fw.cfg")
    v2, v1 = cfg.endpoints
    assert (v2.ike.version, v1.ike.version) == ("ikev2", "ikev1") and v1.peer_address == "10.255.2.2"
    assert v1.local_address == "10.255.1.2" and v1.ipsec.pfs_group == 14
    assert [str(s) for s in v1.selectors] == ["192.168.100.0/24 <-> 172.16.10.0/24", "192.168.200.0/24 <-> 172.16.10.0/24"]
    assert [p.lifetime_s for p in v1.ike.proposals] == [None, None, None]  # `lifetime none`
    assert v1.ike.psk.secret.get_secret_value() == "SecureVPNKeyv1"
    assert v2.ike.psk.secret.get_secret_value() == "SecureVPNKeyv2"
    assert any(r.exempt for r in cfg.nat_rules)


@needs_corpus
def test_asa_negative_files_have_no_tunnel():
    for name in ("cml-sandbox-multiplatform-asav-edge-firewall01-no-l2l-negative.cfg",
                 "ciscoconfparse-asa-9.0-anyconnect-no-l2l-negative.cfg", "batfish-asa-webvpn-remote-access-negative.cfg",
                 "batfish-misc-grabbag-orphan-tunnel-group-edge.cfg"):
        assert _asa(name).endpoints == []
    incomplete = _asa("batfish-asa-crypto-map-match-address-only.cfg")
    assert incomplete.endpoints == [] and any("incomplete" in d.message for d in incomplete.diagnostics)


@needs_corpus
def test_asa_vti_gcm_and_masked_keys():
    cfg = _asa("gcp-community-asa5506h-ikev2-vti-ha-doc-extract.cfg")
    assert [e.peer_address for e in cfg.endpoints] == ["35.242.106.213", "35.220.86.219"]
    ep = cfg.endpoints[0]
    assert ep.kind == "route" and ep.ike.proposals[0].encryption == ["aes256-gcm"] and ep.ipsec.lifetime_kb is None
    dual = _asa("azure-docs-cloudsimple-asa-ikev1-dual-peer-doc-extract.cfg")
    assert {e.ike.psk.form for e in dual.endpoints} <= {"masked", "missing"}


@needs_corpus
def test_huawei_ar1220_values():
    path = CORPUS / "huawei" / "saidvandeklundert-blog-ar1220f-ikev1-ipsec-policy-doc-extract.cfg"
    [ep] = parse_device(read_text(path), str(path)).endpoints
    p = ep.ike.proposals[0]
    assert (ep.ike.version, ep.local_address, ep.peer_address) == ("ikev1", "80.0.0.2", "172.31.255.10")
    assert (p.encryption, p.dh_groups, p.lifetime_s) == (["aes256"], [2], 12000)
    assert p.integrity == ["sha256"] and p.src["integrity"].defaulted  # AR created-proposal default
    assert ep.ipsec.proposals[0].encryption == ["aes256"] and ep.ipsec.proposals[0].integrity == ["sha1"]
    assert [str(s) for s in ep.selectors] == ["192.168.168.0/24 <-> 192.168.167.0/24"]
    assert ep.ike.nat_traversal is False  # old `ike peer NAME v1` form


def test_encodings_bom_gb18030_crlf(tmp_path):
    from conftest import FIXTURES
    base = (FIXTURES / "pairs" / "ikev1-map.huawei.cfg").read_text().replace(
        " description uplink-ISP", " description 上行链路-电信")
    variants = {"bom.cfg": b"\xef\xbb\xbf" + base.encode("utf-8"), "gbk.cfg": base.encode("gb18030"),
                "crlf.cfg": base.replace("\n", "\r\n").encode("utf-8")}
    for name, data in variants.items():
        p = tmp_path / name
        p.write_bytes(data)
        text = read_text(p)
        assert "上行链路" in text
        cfg = parse_device(text, str(p))
        assert cfg.vendor == "huawei-vrp" and cfg.endpoints[0].peer_address == "198.51.100.60"
        assert cfg.endpoints[0].ike.proposals[0].src["encryption"].line == base.splitlines().index(
            " encryption-algorithm aes-256") + 1
