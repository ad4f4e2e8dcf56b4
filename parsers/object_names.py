"""Names of the objects a block defines, for ``DeviceConfig.names_in_use``: a fix that adds a new transform set,
profile, proposal or ACL must pick a name no block of the text defines (reusing one redefines it)."""
from __future__ import annotations

from parsers.blocks import Block

# header words -> index of the word that names the object (Cisco IOS / ASA)
CISCO = {
    ("crypto", "isakmp", "policy"): 3, ("crypto", "isakmp", "profile"): 3, ("crypto", "ikev1", "policy"): 3,
    ("crypto", "ikev2", "policy"): 3, ("crypto", "ikev2", "proposal"): 3, ("crypto", "ikev2", "profile"): 3,
    ("crypto", "ikev2", "keyring"): 3, ("crypto", "ipsec", "transform-set"): 3, ("crypto", "ipsec", "profile"): 3,
    ("crypto", "ipsec", "ikev1"): 4, ("crypto", "ipsec", "ikev2"): 4, ("crypto", "keyring"): 2, ("crypto", "map"): 2,
    ("object",): 2, ("object-group",): 2, ("tunnel-group",): 1, ("group-policy",): 1, ("access-list",): 1,
    ("ip", "access-list"): 3,
}


# Huawei VRP / H3C Comware (`acl advanced name X` names X: the number form is `acl advanced 3000`)
VRP = {
    ("acl", "number"): 2, ("acl", "name"): 2, ("acl", "advanced", "name"): 3, ("acl", "basic", "name"): 3,
    ("acl", "advanced"): 2, ("acl", "basic"): 2, ("ike", "proposal"): 2, ("ike", "peer"): 2, ("ike", "profile"): 2,
    ("ike", "keychain"): 2, ("ikev2", "proposal"): 2, ("ikev2", "profile"): 2, ("ikev2", "policy"): 2,
    ("ikev2", "keychain"): 2, ("ipsec", "proposal"): 2, ("ipsec", "transform-set"): 2, ("ipsec", "policy"): 2,
    ("ipsec", "policy-template"): 2, ("ipsec", "profile"): 2,
}


def _by_first_word(table: dict) -> dict[str, list[tuple[list[str], int, int]]]:
    """first word -> [(header words, their count, index of the name)], longest header first: one dict lookup per
    block, not three tuple lookups."""
    index: dict[str, list[tuple[list[str], int, int]]] = {}
    for key, at in sorted(table.items(), key=lambda kv: -len(kv[0])):
        index.setdefault(key[0], []).append((list(key), len(key), at))
    return index


_INDEXES = {id(CISCO): _by_first_word(CISCO), id(VRP): _by_first_word(VRP)}


def defined_name(block: Block, table: dict = CISCO) -> str | None:
    return _name(block.words, _INDEXES.get(id(table)) or _by_first_word(table))


def _name(w: list[str], index: dict) -> str | None:
    for key, n, at in index.get(w[0], ()) if w else ():
        if w[:n] == key:
            return w[at] if len(w) > at else None
    return None


def names_in_use(blocks: list[Block], table: dict = CISCO) -> set[str]:
    index = _INDEXES.get(id(table)) or _by_first_word(table)
    return {n for b in blocks if (n := _name(b.words, index))}
