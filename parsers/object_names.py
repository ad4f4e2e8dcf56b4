"""Names of the objects a Cisco IOS / ASA block defines, for ``DeviceConfig.names_in_use``: a fix that adds a
new transform set, profile or object must pick a name no block of the text defines (reusing one redefines it)."""
from __future__ import annotations

from parsers.blocks import Block

# header words -> index of the word that names the object
_NAMED = {
    ("crypto", "isakmp", "policy"): 3, ("crypto", "isakmp", "profile"): 3, ("crypto", "ikev1", "policy"): 3,
    ("crypto", "ikev2", "policy"): 3, ("crypto", "ikev2", "proposal"): 3, ("crypto", "ikev2", "profile"): 3,
    ("crypto", "ikev2", "keyring"): 3, ("crypto", "ipsec", "transform-set"): 3, ("crypto", "ipsec", "profile"): 3,
    ("crypto", "ipsec", "ikev1"): 4, ("crypto", "ipsec", "ikev2"): 4, ("crypto", "keyring"): 2, ("crypto", "map"): 2,
    ("object",): 2, ("object-group",): 2, ("tunnel-group",): 1, ("group-policy",): 1, ("access-list",): 1,
    ("ip", "access-list"): 3,
}


def defined_name(block: Block) -> str | None:
    w = block.words
    for n in (3, 2, 1):
        at = _NAMED.get(tuple(w[:n]))
        if at is not None:
            return w[at] if len(w) > at else None
    return None


def names_in_use(blocks: list[Block]) -> set[str]:
    return {n for b in blocks if (n := defined_name(b))}
