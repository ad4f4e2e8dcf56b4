"""The scanner's fast paths (keep as prefixes tested in C, sub-mode lookup skipped by prefix, drop_unreferenced
reading the children's texts without making Line objects) give the blocks the plain paths give."""
from parsers.blocks import Block, Line, drop_unreferenced, first_prefix, scan
from parsers.cisco_asa import parser as asa

ASA = """\
: Saved
ASA Version 9.8(4)
hostname edge-fw
crypto ca trustpoint _SmartCallHome_ServerCA
 crl configure
crypto ikev1 policy 10
 authentication pre-share
encryption aes-256
hash sha
exit
group 14
object network LAN
 subnet 10.1.0.0 255.255.0.0
object network UNUSED
 subnet 10.9.0.0 255.255.0.0
object-group network LOCALS
 network-object object LAN
access-list ALIYUN extended permit ip object-group LOCALS 172.16.0.0 255.255.0.0
access-list SPARE extended permit ip any any
crypto map OUT 10 match address ALIYUN
tunnel-group 198.51.100.7 ipsec-attributes
ikev1 pre-shared-key *****
router ospf 1
 network 10.1.0.0 255.255.0.0 area 0
"""


def _as_rows(blocks: list[Block]) -> list[tuple]:
    return [(b.head.no, b.head.text, b.words, [(c.no, c.text) for c in b.children]) for b in blocks]


def test_prefix_keep_with_skip_is_the_callable_keep():
    def keep(line: str) -> bool:
        return line.startswith(asa._KEEP) and not line.startswith(asa._SKIP)

    fast = scan(ASA, asa._KEEP, asa._vocab, skip=asa._SKIP)
    assert _as_rows(fast) == _as_rows(scan(ASA, keep, asa._vocab))
    assert "crypto ca trustpoint _SmartCallHome_ServerCA" not in [b.head.text for b in fast]
    assert "router ospf 1" not in [b.head.text for b in fast]


def test_submode_prefix_filter_keeps_flush_left_vocabulary():
    vocab = first_prefix(asa._VOCAB)
    blocks = scan(ASA, asa._KEEP, vocab, skip=asa._SKIP)
    policy = next(b for b in blocks if b.head.text == "crypto ikev1 policy 10")
    assert [c.text for c in policy.children] == ["authentication pre-share", "encryption aes-256", "hash sha"]
    group = next(b for b in blocks if b.head.text.startswith("tunnel-group"))
    assert [c.text for c in group.children] == ["ikev1 pre-shared-key *****"]
    # the same lookup without the prefixes attribute (every head asks it) gives the same blocks
    assert _as_rows(blocks) == _as_rows(scan(ASA, asa._KEEP, lambda line: vocab(line), skip=asa._SKIP))


def test_prefix_keep_in_vrp_sections():
    text = "#\n sysname HQ\n ipsec sha2 compatible enable\n#\nacl number 3000\n rule 5 permit ip\n#\nreturn\n"
    fast = scan(text, ("acl ", "ipsec ", "sysname"), None, comment="#", closers=("return",), sections=True)
    assert [(b.head.no, b.head.text) for b in fast] == [(2, "sysname HQ"), (3, "ipsec sha2 compatible enable"),
                                                         (5, "acl number 3000")]
    assert [c.text for c in fast[2].children] == ["rule 5 permit ip"]


def test_drop_unreferenced_follows_children_texts_of_kept_blocks():
    blocks = scan(ASA, asa._KEEP, asa._vocab, skip=asa._SKIP)
    names: set[str] = set()
    kept = [b.head.text for b in drop_unreferenced(blocks, asa._droppable_name, names)]
    assert "access-list ALIYUN extended permit ip object-group LOCALS 172.16.0.0 255.255.0.0" in kept
    assert "object-group network LOCALS" in kept  # named by the kept ACL's line
    assert "object network LAN" in kept  # named by a child line of the kept group
    assert "object network UNUSED" not in kept and "access-list SPARE extended permit ip any any" not in kept
    assert {"ALIYUN", "SPARE", "LAN", "UNUSED", "LOCALS"} <= names


def test_drop_unreferenced_reads_children_made_after_the_scan():
    # a block whose children were set as Line objects (not scanned rows) is read through them
    head = Block(Line(1, "crypto map OUT 10 match address"))
    head.children = [Line(2, "set peer X ACL-B")]
    acl = Block(Line(3, "access-list ACL-B extended permit ip any any"))
    assert drop_unreferenced([head, acl], asa._droppable_name) == [head, acl]
