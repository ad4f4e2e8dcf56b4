"""Cisco IOS parser: the whole public corpus parses, and extracted values are right for several files."""
from pathlib import Path

import pytest

from conftest import CORPUS
from parsers.cisco_ios import parser as cisco_ios
from parsers.common import read_text

IOS = sorted((CORPUS / "cisco_ios").glob("*.cfg")) if (CORPUS / "cisco_ios").is_dir() else []
needs_corpus = pytest.mark.skipif(not IOS, reason="../shared/corpus not present")


def parse(name: str):
    path = CORPUS / "cisco_ios" / name
    return cisco_ios.parse(read_text(path), str(path))


@needs_corpus
@pytest.mark.parametrize("path", IOS, ids=[p.name for p in IOS])
def test_every_corpus_file_parses(path: Path):
    cfg = cisco_ios.parse(read_text(path), str(path))
    for ep in cfg.endpoints:
        assert ep.ike.version in ("ikev1", "ikev2") and ep.ipsec is not None
    for d in cfg.diagnostics:
        assert d.line is None or d.line >= 1


@needs_corpus
def test_alibaba_doc_sample_flush_left_lines_stay_in_their_blocks():
    cfg = parse("alibabacloud-docs-cisco-ikev1-cryptomap-doc-extract.cfg")
    [ep] = cfg.endpoints
    p = ep.ike.proposals[0]
    assert (p.encryption, p.integrity, p.dh_groups, p.auth_method, p.lifetime_s) == (["aes128"], ["sha1"], [2],
                                                                                     "pre-share", 86400)
    assert ep.peer_address == "47.XX.XX.161" and ep.ipsec.pfs_group == 2 and ep.ike.psk.form == "plain"
    assert [str(s) for s in ep.selectors] == ["10.10.10.0/24 <-> 192.168.10.0/24", "10.10.10.0/24 <-> 192.168.11.0/24"]
    assert ep.ipsec.lifetime_s == 3600 and ep.ipsec.src["lifetime_s"].defaulted


@needs_corpus
def test_alibaba_ikev2_sample_private_local_identity():
    [ep] = parse("alibabacloud-docs-cisco-ikev2-cryptomap-doc-extract.cfg").endpoints
    assert ep.ike.version == "ikev2" and str(ep.ike.local_id) == "ip:10.10.10.1"
    assert ep.ike.proposals[0].encryption == ["aes128"] and ep.ike.proposals[0].prf == ["sha1"]


@needs_corpus
def test_aws_download_config_defaults_and_tunnels():
    cfg = parse("aws-generated-cisco-ios-vpn-download-two-tunnels.cfg")
    assert [e.peer_address for e in cfg.endpoints] == ["3.130.237.53", "18.217.248.9"]
    ep = cfg.endpoints[0]
    p = ep.ike.proposals[0]
    assert p.integrity == ["sha1"] and p.src["integrity"].line == 43  # `hash sha` after a comment line
    assert p.lifetime_s == 28800 and ep.ipsec.pfs_group == 2 and ep.kind == "route"
    assert ep.ike.dpd.enabled and ep.ike.psk.form == "plain"
    host = parse("batfish-aws-style-vti-host.cfg").endpoints[0].ike.proposals[0]
    assert host.integrity == ["sha1"] and host.src["integrity"].defaulted  # no hash line: IOS default sha


@needs_corpus
def test_empty_isakmp_policy_takes_all_defaults():
    cfg = parse("batfish-ios-crypto-isakmp-policies-keyrings.cfg")
    p = cisco_ios._Parser(read_text(CORPUS / "cisco_ios" / "batfish-ios-crypto-isakmp-policies-keyrings.cfg"), "x")
    p.run()
    policy20 = dict((prio, prop) for prio, prop in p.policies)[20]
    assert (policy20.encryption, policy20.integrity, policy20.dh_groups, policy20.auth_method) == (["des"], ["sha1"],
                                                                                                  [1], "rsa-sig")
    assert cfg.endpoints == []  # a tunnel without `tunnel protection` is not IPsec


@needs_corpus
def test_cloudflare_fqdn_identity_and_default_transform_sets():
    cfg = parse("cloudflare-docs-iosxe-17.3-ikev2-fqdn-id-dual-vti-doc-extract.cfg")
    assert len(cfg.endpoints) == 2
    ep = cfg.endpoints[0]
    assert ep.ike.local_id.type == "fqdn" and ep.ike.local_id.value.endswith(".ipsec.cloudflare.com")
    assert ep.ike.proposals[0].dh_groups == [14, 5] and ep.ipsec.pfs_group == 14
    assert ep.ipsec.lifetime_kb is None  # `lifetime kilobytes disable`
    assert ep.ipsec.src["proposals"].defaulted


@needs_corpus
def test_undefined_references_are_reported_not_invented():
    cfg = parse("gcp-community-asr1000-ecmp-fragment-undefined-profile-doc-extract.cfg")
    assert cfg.endpoints == []
    assert any("not defined" in d.message and d.severity == "error" for d in cfg.diagnostics)
    gdoi = parse("batfish-isr-gdoi-crypto-map-edge.cfg")
    assert gdoi.endpoints == [] and any("gdoi" in d.message for d in gdoi.diagnostics)


@needs_corpus
def test_testrig_keyring_selected_by_isakmp_profile():
    cfg = parse("batfish-testrig-ios-crypto-ipsec-r1.cfg")
    second = next(e for e in cfg.endpoints if e.peer_address == "2.3.4.11")
    assert second.local_address == "2.3.4.7" and second.ike.psk.secret.get_secret_value() == "psk3"
    first = next(e for e in cfg.endpoints if e.name == "crypto map mymap 20")
    assert [p.name for p in first.ipsec.proposals] == ["transform-set ts1", "transform-set ts2"]


def test_secrets_are_redacted_in_every_stored_line():
    text = ("crypto isakmp key S3cr3t-One address 198.51.100.1\n"
            "crypto keyring KR\n pre-shared-key address 198.51.100.2 key S3cr3t-Two\n"
            "crypto ikev2 keyring K2\n peer P\n  address 198.51.100.3\n  pre-shared-key local S3cr3t-Three\n")
    cfg = cisco_ios.parse(text, "x.cfg")
    dump = cfg.model_dump_json()
    assert "S3cr3t" not in dump
