"""The block scanner, checked against ciscoconfparse as a reference on well-indented corpus files."""
import pytest

from conftest import CORPUS
from parsers.cisco_ios import parser as cisco_ios
from parsers.blocks import scan

FILES = sorted((CORPUS / "cisco_ios").glob("*.cfg")) if (CORPUS / "cisco_ios").is_dir() else []


def test_flush_left_submode_lines_and_exit():
    text = "crypto isakmp policy 1\nencryption aes\nhash sha\nexit\nhash md5\ninterface Gi0/0\ncrypto map M\nip route 0.0.0.0 0.0.0.0 1.1.1.1\n"
    blocks = scan(text, cisco_ios._keep, cisco_ios._vocab_for)
    assert [b.head.text for b in blocks] == ["crypto isakmp policy 1", "interface Gi0/0"]
    assert [c.text for c in blocks[0].children] == ["encryption aes", "hash sha"]
    assert [c.text for c in blocks[1].children] == ["crypto map M"]  # `ip route` is global, not a child


def test_irrelevant_blocks_are_skipped():
    text = "router ospf 1\n network 10.0.0.0 0.255.255.255 area 0\nline vty 0 4\n login\ncrypto ipsec transform-set T esp-aes esp-sha-hmac\n mode tunnel\n"
    blocks = scan(text, cisco_ios._keep, cisco_ios._vocab_for)
    assert [(b.head.no, b.head.text) for b in blocks] == [(5, "crypto ipsec transform-set T esp-aes esp-sha-hmac")]
    assert blocks[0].children[0].no == 6


@pytest.mark.skipif(not FILES, reason="../shared/corpus not present")
@pytest.mark.parametrize("name", ["batfish-testrig-ios-crypto-ipsec-r1.cfg", "batfish-aws-style-vti-host.cfg",
                                  "labvalidation-csr1000v-16.4-exitgw-live-capture.cfg"])
def test_children_agree_with_ciscoconfparse(name):
    ccp = pytest.importorskip("ciscoconfparse")
    from loguru import logger
    logger.disable("ciscoconfparse")
    path = CORPUS / "cisco_ios" / name
    text = path.read_text()
    ours = {b.head.text: [c.text for c in b.children]
            for b in scan(text, cisco_ios._keep, cisco_ios._vocab_for) if b.head.text.startswith("crypto ")}
    parsed = ccp.CiscoConfParse(text.splitlines())
    for obj in parsed.find_objects(r"^crypto "):
        if obj.text.rstrip() in ours:
            theirs = [c.text.strip() for c in obj.all_children if c.text.strip() and not c.text.strip().startswith("!")]
            assert ours[obj.text.rstrip()] == theirs, obj.text
