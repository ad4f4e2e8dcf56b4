"""Cisco IOS / IOS-XE `show running-config` -> DeviceConfig.

Every default applied when a line is absent comes from ``parsers.cisco_ios.defaults.DEFAULTS`` (per release,
with its source; docs/vendors.md is generated from it). The release is read from the `version X.Y` line or a
pasted `show version`. When it is unknown and a default depends on it, a warning says so and the values
offered are those every candidate release offers (the intersection): a mismatch is then reported rather than
silently passed, and the warning says how to pin the value.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.model import (AccessList, AclEntry, Bgp, DeviceConfig, Diagnostic, Dpd, Endpoint, Identity, Ike,
                            IkeProposal, Interface, Ipsec, IpsecProposal, NatRule, PresharedKey, SelectorPair, Source)
from analyzer.redact import masked_line
from netaddr import IPAddress, IPNetwork
from parsers.blocks import Block, Line, drop_unreferenced, first_prefix, scan
from parsers.object_names import names_in_use
from parsers.cisco_common import decode_type7, ikev2_values, is_ipv4, network, parse_ports
from parsers.common import (attach_wan_mtu, interface_ip, line_starting, no_readable_permit, redact_secrets,
                            tunnel_bgp, wan_interface)
from parsers.values import is_peer, is_uint, uint

from parsers.cisco_ios import VENDOR
from parsers.cisco_ios.defaults import (DEFAULTS, WEAK_IKEV1, WEAK_IKEV2, WEAK_PFS, WEAK_TRANSFORMS)
from parsers.defaults import parse_release

_KEEP = ("crypto ", "access-list ", "ip access-list ", "interface ", "ip nat ", "hostname ", "router bgp ",
         "no crypto ", "ip domain name ", "ip domain-name ", "version ", "Cisco IOS XE Software, Version ")
_SKIP = ("crypto pki", "crypto ca ", "crypto key ", "crypto gdoi", "crypto logging", "crypto engine",
         "crypto vpn", "crypto call")

# Sub-mode vocabularies: documentation extracts print these lines flush-left.
_VOCAB = {
    "crypto isakmp policy": {"authentication", "encryption", "encr", "hash", "group", "lifetime"},
    "crypto isakmp profile": {"keyring", "match", "self-identity", "local-address", "keepalive", "vrf",
                              "initiate", "initiate-mode", "description", "ca"},
    "crypto isakmp peer": {"set", "description"},
    "crypto keyring": {"pre-shared-key", "local-address", "description", "rsa-pubkey"},
    "crypto ikev2 proposal": {"encryption", "integrity", "prf", "group"},
    "crypto ikev2 policy": {"proposal", "match"},
    "crypto ikev2 keyring": {"peer", "address", "hostname", "identity", "pre-shared-key", "description"},
    "crypto ikev2 profile": {"match", "identity", "authentication", "keyring", "lifetime", "dpd", "no",
                             "nat", "description", "ivrf", "virtual-template", "config-exchange"},
    "crypto ipsec transform-set": {"mode"},
    "crypto ipsec profile": {"set", "description"},
    "crypto map": {"set", "match", "reverse-route", "description"},
    "crypto dynamic-map": {"set", "match", "reverse-route", "description"},
    "ip access-list": {"permit", "deny", "remark"},
    "interface": {"crypto map", "ip address", "tunnel source", "tunnel destination", "tunnel mode",
                  "tunnel protection", "description", "ip mtu", "ip tcp", "ip access-group", "shutdown",
                  "ip nat", "mtu"},
    "router bgp": {"neighbor", "bgp", "network", "address-family", "exit-address-family"},
}
_VOCAB = {k: frozenset(v) for k, v in _VOCAB.items()}

# `no crypto ...` lines that disable a built-in (smart) default -> defaults-table key
_DISABLES = {("ikev2", "proposal", "default"): "ikev2.proposal_disabled",
             ("ikev2", "policy", "default"): "ikev2.policy_disabled",
             ("ipsec", "transform-set", "default"): "ipsec.transform_set_disabled",
             ("ipsec", "profile", "default"): "ipsec.profile_disabled"}

_ENC_V1 = {"des": "des", "3des": "3des", "aes": "aes128"}
_HASH = {"md5": "md5", "sha": "sha1", "sha1": "sha1", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
_ENC_V2 = {"des": "des", "3des": "3des", "aes-cbc-128": "aes128", "aes-cbc-192": "aes192", "aes-cbc-256": "aes256",
           "aes-gcm-128": "aes128-gcm", "aes-gcm-256": "aes256-gcm"}
_ESP_ENC = {"esp-des": "des", "esp-3des": "3des", "esp-null": "null", "esp-seal": "seal"}
_ESP_AUTH = {"esp-md5-hmac": "md5", "esp-sha-hmac": "sha1", "esp-sha256-hmac": "sha256",
             "esp-sha384-hmac": "sha384", "esp-sha512-hmac": "sha512"}
_AH = {"ah-md5-hmac": "md5", "ah-sha-hmac": "sha1", "ah-sha256-hmac": "sha256", "ah-sha384-hmac": "sha384",
       "ah-sha512-hmac": "sha512"}


_VOCAB_OF = first_prefix({prefix: (prefix, vocab) for prefix, vocab in _VOCAB.items()})


def _vocab_for(line: str) -> frozenset[str] | None:
    hit = _VOCAB_OF(line)
    if hit is None:
        return None
    if hit[0] == "crypto map" and len(line.split()) < 4:
        return None  # "crypto map NAME local-address IF" opens no sub-mode
    return hit[1]


_vocab_for.prefixes = tuple(_VOCAB)  # blocks.scan asks _vocab_for only for lines starting with one of these


def _keep(line: str) -> bool:
    return line.startswith(_KEEP) and (not line.startswith(_SKIP) or line.startswith("crypto engine compliance"))


@dataclass
class _Key:
    net: IPNetwork | None
    hostname: str | None
    psk: PresharedKey
    raw: str | None = None  # the address as written (doc extracts mask it: 47.XX.XX.161)


@dataclass
class _Keyring:
    name: str
    keys: list[_Key] = field(default_factory=list)
    local_address: str | None = None


@dataclass
class _IsakmpProfile:
    name: str
    origin: Source
    keyrings: list[str] = field(default_factory=list)
    match_ids: list[tuple[Identity, IPNetwork | None, Source]] = field(default_factory=list)
    self_identity: tuple[Identity, Source] | None = None
    keepalive: tuple[Dpd, Source] | None = None
    aggressive: Source | None = None
    local_address: str | None = None


@dataclass
class _V2Peer:
    name: str
    nets: list[IPNetwork] = field(default_factory=list)
    raws: list[str] = field(default_factory=list)
    hostname: str | None = None
    identity: Identity | None = None
    psk_local: PresharedKey | None = None
    psk_remote: PresharedKey | None = None


@dataclass
class _V2Profile:
    name: str
    origin: Source
    remote_ids: list[tuple[Identity, IPNetwork | None, Source]] = field(default_factory=list)
    local_id: tuple[Identity, Source] | None = None
    auth_local: str | None = None
    auth_remote: str | None = None
    inline_psk_local: PresharedKey | None = None  # `authentication local pre-share key K`: the key this router sends
    inline_psk_remote: PresharedKey | None = None  # `authentication remote pre-share key K`: the key it expects
    keyring: str | None = None
    lifetime: tuple[int, Source] | None = None
    dpd: tuple[Dpd, Source] | None = None
    local_match: str | None = None


@dataclass
class _Phase2:
    """What a crypto map entry, dynamic-map entry or ipsec profile configures."""
    name: str
    origin: Source
    peers: list[tuple[str, Source]] = field(default_factory=list)
    transform_sets: tuple[list[str], Source] | None = None
    pfs: tuple[int | None, Source] | None = None
    lifetime_s: tuple[int, Source] | None = None
    lifetime_kb: tuple[int | None, Source] | None = None
    isakmp_profile: str | None = None
    ikev2_profile: tuple[str, Source] | None = None
    acl: tuple[str, Source] | None = None
    dynamic: str | None = None


class _Parser:
    def __init__(self, text: str, file: str):
        self.file = file
        self.cfg = DeviceConfig(file=file, vendor=VENDOR)
        self.policies: list[tuple[int, IkeProposal]] = []
        self.global_keys: list[_Key] = []
        self.keyrings: dict[str, _Keyring] = {}
        self.isakmp_profiles: dict[str, _IsakmpProfile] = {}
        self.aggressive_peers: dict[str, Source] = {}
        self.identity_kind: tuple[str, Source] | None = None
        self.keepalive: tuple[Dpd, Source] | None = None
        self.natt: tuple[bool, Source] | None = None
        self.ikev1_disabled: Source | None = None
        self.v2_proposals: dict[str, IkeProposal] = {}
        self.v2_policies: list[tuple[list[str], Source]] = []
        self.v2_keyrings: dict[str, list[_V2Peer]] = {}
        self.v2_profiles: dict[str, _V2Profile] = {}
        self.transform_sets: dict[str, IpsecProposal] = {}
        self.global_life_s: tuple[int, Source] | None = None
        self.global_life_kb: tuple[int | None, Source] | None = None
        self.maps: dict[str, list[_Phase2]] = {}
        self.map_local: dict[str, str] = {}
        self.dyn_maps: dict[str, list[_Phase2]] = {}
        self.ipsec_profiles: dict[str, _Phase2] = {}
        self.tunnels: list[tuple[Interface, Block]] = []
        self.map_interfaces: dict[str, list[str]] = {}
        self.mtu_src: dict[str, Source] = {}  # interface -> the line setting its IP MTU
        self.mss_src: dict[str, Source] = {}  # interface -> its `ip tcp adjust-mss` line
        self.bgp_neighbors: dict[str, tuple[int | None, Source]] = {}
        self.domain: str | None = None
        self.v2_dpd: tuple[Dpd, Source] | None = None  # global `crypto ikev2 dpd`
        self.shield_disabled: Source | None = None  # `crypto engine compliance shield disable` (FN72510 opt-out)
        self.ts_require: set[str] = set()  # transform sets with `mode transport require`
        self.ts_weak: dict[str, list[str]] = {}  # transform set -> FN72510 keywords it uses
        self.ts_unusable: set[str] = set()  # transform sets FN72510 leaves without a usable algorithm
        self.v2_unusable: set[str] = set()  # ikev2 proposals FN72510 leaves without a usable value
        self.disabled: dict[str, Source] = {}  # `no crypto ikev2 proposal default` ... -> the line
        self.depends_said: set[str] = set()
        self.blocks = scan(text, _KEEP, _vocab_for, skip=_SKIP, skip_except=("crypto engine compliance",))  # = _keep
        self.release, self.release_src = self.find_release()

    # -- helpers -------------------------------------------------------------------------------
    def find_release(self) -> tuple[tuple[int, ...] | None, Source | None]:
        """`Cisco IOS XE Software, Version 17.12.01a` (show version) wins over `version 17.12`."""
        found: tuple[tuple[int, ...] | None, Source | None] = (None, None)
        for b in self.blocks:
            w = b.words
            if w[0] == "version" and len(w) == 2 and found[0] is None:
                found = (parse_release(w[1]), self.src(b.head))
            elif w[0] == "Cisco" and len(w) > 5:
                rel = parse_release(w[5])
                if rel is not None:
                    return rel, self.src(b.head)
        return found

    def dflt(self, key: str, origin: Source | None = None, extra: str = "") -> Source:
        """A defaulted value from the table; at ``origin`` when it applies to that block."""
        return Source.default_at(self.file, origin, DEFAULTS.note(key, self.release) + (f"; {extra}" if extra else ""))

    def release_dependent(self, key: str) -> tuple[object, list]:
        """(value, candidates): the value for the known release, or (None, candidate rows with a value) when the
        release is unknown (or the table has no documented value for it)."""
        p = DEFAULTS.pick(key, self.release)
        if p.row is not None and p.row.value is not None:
            return p.row.value, []
        return None, [r for r in p.candidates if r.value is not None]

    def depends(self, key: str, what: str, candidates: list, pin: str, at: Source | None) -> None:
        """Warn once per key that a default depends on the release."""
        if key in self.depends_said:
            return
        self.depends_said.add(key)
        rel = ("the release is unknown (no `version` line)" if self.release is None else
               f"no Cisco document gives it for release {'.'.join(map(str, self.release))}")
        cands = "; ".join(f"{r.releases}: {r.what}" for r in candidates)
        self.cfg.diagnostics.append(Diagnostic(
            severity="warning", file=self.file, line=at.line if at else None, text=at.text if at else None,
            message=f"{what} depends on the release and {rel} ({cands}); checked with only the values every "
                    f"candidate offers. Pin it: {pin}"))

    def src(self, line: Line) -> Source:
        return Source(file=self.file, line=line.no, text=redact_secrets(line.text))

    def note(self, line: Line, message: str, severity: str = "info", keys: bool = False) -> None:
        text = masked_line() if keys else redact_secrets(line.text)
        self.cfg.diagnostics.append(Diagnostic(severity=severity, message=message, file=self.file, line=line.no,
                                               text=text))

    def unknown(self, line: Line, where: str, keys: bool = False) -> None:
        """``keys``: the line sits in a block that holds keys, so none of it is shown."""
        suffix = " (not shown: this block holds keys)" if keys else ""
        self.note(line, f"not understood in {where}; ignored by the checks{suffix}", keys=keys)

    def psk(self, words: list[str], line: Line) -> PresharedKey:
        """``words`` = [type] key  (type 0 plain, 6 encrypted, 7 reversible)."""
        source = self.src(line)
        if len(words) >= 2 and words[0] in ("0", "6", "7"):
            kind, value = words[0], words[1]
        elif words:
            kind, value = "0", words[0]
        else:
            return PresharedKey(form="missing", source=source)
        if kind == "6":
            return PresharedKey(form="encrypted", source=source)
        if kind == "7":
            plain = decode_type7(value)
            return PresharedKey(form="reversible" if plain is not None else "encrypted", secret=plain, source=source)
        return PresharedKey(form="plain", secret=value, source=source)

    # -- pass 1: read every block --------------------------------------------------------------
    def run(self) -> DeviceConfig:
        # every droppable name, and the names of the kept blocks: a dropped block defines no name but its
        # droppable one (object_names reads the same word), so the dropped are not read twice
        names: set[str] = set()
        blocks = drop_unreferenced(self.blocks, _droppable_name, names)
        self.cfg.names_in_use = names | names_in_use(blocks)
        for block in blocks:
            w = block.words
            try:
                self.dispatch(block, w)
            except (IndexError, ValueError):
                self.note(block.head, "malformed line; block skipped", "warning")
        self.build()
        return self.cfg

    def dispatch(self, block: Block, w: list[str]) -> None:
        head = block.head.text
        if w[0] == "hostname" and len(w) > 1:
            self.cfg.hostname = w[1]
        elif head.startswith(("ip domain name ", "ip domain-name ")):
            self.domain = w[-1]
        elif w[0] == "interface":
            self.interface(block)
        elif w[0] in ("access-list", "ip") and (w[0] == "access-list" or w[1] == "access-list"):
            self.acl(block)
        elif w[:2] == ["ip", "nat"]:
            self.nat(block)
        elif w[:2] == ["router", "bgp"]:
            self.bgp(block)
        elif w[0] == "no" and head.startswith(("no crypto isakmp", "no crypto ipsec nat-transparency")):
            if "nat-transparency" in head:
                self.natt = (False, self.src(block.head))
            elif head in ("no crypto isakmp", "no crypto isakmp enable"):
                self.ikev1_disabled = self.src(block.head)
            else:
                self.unknown(block.head, "crypto configuration", keys=True)
        elif w[:2] == ["no", "crypto"] and tuple(w[2:]) in _DISABLES:
            self.disable(block.head, _DISABLES[tuple(w[2:])])
        elif w[:2] == ["no", "crypto"]:
            self.unknown(block.head, "crypto configuration", keys=len(w) > 2 and w[2] in ("ikev2", "keyring"))
        elif w[0] == "crypto":
            self.crypto(block, w)

    def disable(self, line: Line, key: str) -> None:
        """`no crypto ikev2 proposal default` and kin: the built-in default is disabled (the safe reading)."""
        self.disabled[key] = self.src(line)
        self.note(line, f"the built-in default is disabled and no longer applied: {DEFAULTS.note(key, self.release)}")

    def crypto(self, block: Block, w: list[str]) -> None:
        kind = " ".join(w[1:3])
        if kind == "isakmp policy":
            self.isakmp_policy(block)
        elif kind == "isakmp key":
            self.isakmp_key(block.head, w[3:])
        elif kind == "isakmp identity":
            self.identity_kind = (w[3], self.src(block.head))
        elif kind == "isakmp keepalive":
            self.keepalive = (self.dpd_v1(w[3:]), self.src(block.head))
        elif kind == "isakmp profile":
            self.isakmp_profile(block)
        elif kind == "isakmp peer":
            if len(w) > 4 and any("aggressive-mode" in c.text for c in block.children):
                self.aggressive_peers[w[4]] = self.src(block.head)
        elif w[1] == "keyring":
            self.keyring(block)
        elif kind == "ikev2 proposal":
            self.ikev2_proposal(block)
        elif kind == "ikev2 policy":
            names = [c.words[1] for c in block.children if c.words[0] == "proposal" and len(c.words) > 1]
            self.v2_policies.append((names, self.src(block.head)))
        elif kind == "ikev2 keyring":
            self.ikev2_keyring(block)
        elif kind == "ikev2 profile":
            self.ikev2_profile(block)
        elif kind == "ipsec transform-set":
            self.transform_set(block)
        elif kind == "ipsec security-association" and len(w) > 4 and w[3] == "lifetime":
            if w[4] == "seconds":
                self.global_life_s = (uint(w[5]), self.src(block.head))
            elif w[4] == "kilobytes":
                self.global_life_kb = (None if w[5] == "disable" else uint(w[5]), self.src(block.head))
        elif kind == "ipsec profile":
            self.ipsec_profiles[w[3]] = self.phase2(block, f"ipsec profile {w[3]}")
        elif w[1] == "map":
            self.crypto_map(block, w)
        elif w[1] == "dynamic-map":
            self.dyn_maps.setdefault(w[2], []).append(self.phase2(block, f"crypto dynamic-map {w[2]} {w[3]}"))
        elif kind == "ikev2 dpd" and len(w) > 4 and is_uint(w[3]) and is_uint(w[4]):
            # crypto ikev2 dpd INTERVAL RETRY on-demand|periodic: for every profile without its own `dpd`
            self.v2_dpd = (Dpd(enabled=True, mode="periodic" if "periodic" in w[5:] else "on-demand",
                               interval_s=int(w[3]), retry_s=int(w[4])), self.src(block.head))
        elif kind == "engine compliance":
            if w[3:] == ["shield", "disable"]:
                self.shield_disabled = self.src(block.head)
        elif kind in ("isakmp nat", "isakmp aggressive-mode", "isakmp invalid-spi-recovery", "isakmp default",
                      "ipsec df-bit", "ipsec fragmentation", "ipsec security-association", "ipsec nat-transparency",
                      "ipsec client", "isakmp enable", "ikev2 nat", "ikev2 cookie-challenge",
                      "ikev2 limit", "ikev2 diagnose", "ikev2 fragmentation", "ikev2 http-url", "ikev1 enable",
                      "isakmp fragmentation", "isakmp xauth", "isakmp client"):
            pass  # known global knobs that do not change what our checks compare
        else:
            # an unknown `crypto isakmp ...` line may be a misspelt `crypto isakmp key K ...`: not shown
            self.unknown(block.head, "crypto configuration", keys=len(w) > 1 and w[1] in ("isakmp", "ikev2", "keyring"))

    # -- IKEv1 ---------------------------------------------------------------------------------
    def isakmp_policy(self, block: Block) -> None:
        prio = uint(block.words[3])
        d = DEFAULTS.value("isakmp.policy", self.release)
        p = IkeProposal(name=f"isakmp policy {prio}", encryption=list(d["encryption"]),
                        integrity=list(d["integrity"]), dh_groups=list(d["dh_groups"]), auth_method=d["auth_method"],
                        lifetime_s=d["lifetime_s"], origin=self.src(block.head))
        p.prf = p.integrity
        for attr in ("encryption", "integrity", "dh_groups", "auth_method", "lifetime_s"):
            p.src[attr] = self.dflt("isakmp.policy")
        for c in block.children:
            w = c.words
            if w[0] in ("encryption", "encr") and len(w) > 1:
                enc = _ENC_V1.get(w[1])
                if w[1] == "aes" and len(w) > 2:
                    enc = {"128": "aes128", "192": "aes192", "256": "aes256"}.get(w[2])
                if enc is None:
                    self.unknown(c, p.name)
                    continue
                p.encryption, p.src["encryption"] = [enc], self.src(c)
            elif w[0] == "hash" and len(w) > 1 and w[1] in _HASH:
                p.integrity = p.prf = [_HASH[w[1]]]
                p.src["integrity"] = self.src(c)
            elif w[0] == "group" and len(w) > 1 and is_uint(w[1]):
                p.dh_groups, p.src["dh_groups"] = [int(w[1])], self.src(c)
            elif w[0] == "authentication" and len(w) > 1:
                p.auth_method, p.src["auth_method"] = w[1], self.src(c)
            elif w[0] == "lifetime" and len(w) > 1 and is_uint(w[1]):
                p.lifetime_s, p.src["lifetime_s"] = int(w[1]), self.src(c)
            else:
                self.unknown(c, p.name)
        self.policies.append((prio, p))

    def isakmp_key(self, line: Line, w: list[str]) -> None:
        # crypto isakmp key [0|6|7] KEY address IP [MASK] [no-xauth] | hostname NAME
        # The key is at a fixed place: a key spelt `address` or `hostname` is still the key.
        words = [x for x in w if x != "no-xauth"]
        pos = 2 if len(words) > 2 and words[0] in ("0", "6", "7") else 1
        if len(words) <= pos + 1 or words[pos] not in ("address", "hostname"):
            self.unknown(line, "crypto isakmp key", keys=True)
            return
        psk = self.psk(words[:pos], line)
        if words[pos] == "hostname":
            self.global_keys.append(_Key(None, words[pos + 1], psk))
            return
        mask = words[pos + 2] if pos + 2 < len(words) and is_ipv4(words[pos + 2]) else None
        self.global_keys.append(_Key(network(words[pos + 1], mask), None, psk, words[pos + 1]))

    def keyring(self, block: Block) -> None:
        ring = _Keyring(block.words[2])
        for c in block.children:
            w = c.words
            if w[0] == "pre-shared-key" and "key" in w[1:]:
                k = w.index("key", 1)
                psk = self.psk(w[k + 1:], c)
                if w[1] == "address":
                    mask = w[3] if len(w) > 3 and is_ipv4(w[3]) else None
                    ring.keys.append(_Key(network(w[2], mask), None, psk, w[2]))
                elif w[1] == "hostname":
                    ring.keys.append(_Key(None, w[2], psk))
            elif w[0] == "local-address" and len(w) > 1:
                ring.local_address = w[1]
            elif w[0] not in ("description", "rsa-pubkey"):
                self.unknown(c, f"crypto keyring {ring.name}", keys=True)
        self.keyrings[ring.name] = ring

    def dpd_v1(self, w: list[str]) -> Dpd:
        nums = [int(x) for x in w if is_uint(x)]
        mode = "periodic" if "periodic" in w else "on-demand"
        return Dpd(enabled=True, mode=mode, interval_s=nums[0] if nums else None,
                   retry_s=nums[1] if len(nums) > 1 else None)

    def isakmp_profile(self, block: Block) -> None:
        prof = _IsakmpProfile(block.words[3], self.src(block.head))
        for c in block.children:
            w = c.words
            if w[0] == "keyring" and len(w) > 1:
                prof.keyrings.append(w[1])
            elif w[:2] == ["match", "identity"] and len(w) > 3:
                if w[2] == "address":
                    mask = w[4] if len(w) > 4 and is_ipv4(w[4]) else None
                    prof.match_ids.append((Identity(type="ip", value=w[3]), network(w[3], mask), self.src(c)))
                elif w[2] in ("host", "hostname"):
                    prof.match_ids.append((Identity(type="fqdn", value=w[3]), None, self.src(c)))
                else:
                    self.unknown(c, f"isakmp profile {prof.name}", keys=True)
            elif w[0] == "self-identity" and len(w) > 1:
                # IOS: `self-identity address` and `self-identity fqdn` take no argument (the local address;
                # hostname.domain), `self-identity user-fqdn NAME` does. The value is resolved per endpoint.
                if w[1:] in (["address"], ["fqdn"]):
                    prof.self_identity = (Identity(type="ip" if w[1] == "address" else "fqdn"), self.src(c))
                elif w[1] == "user-fqdn" and len(w) == 3:
                    prof.self_identity = (Identity(type="user-fqdn", value=w[2]), self.src(c))
                else:
                    self.note(c, f"isakmp profile {prof.name}: not IOS `self-identity` syntax (address | fqdn | "
                                 "user-fqdn NAME); ignored", "warning")
            elif w[0] == "keepalive":
                prof.keepalive = (self.dpd_v1(w[1:]), self.src(c))
            elif w == ["initiate", "mode", "aggressive"]:
                prof.aggressive = self.src(c)
            elif w[0] == "initiate-mode":
                self.note(c, f"isakmp profile {prof.name}: `initiate-mode` is not IOS syntax (IOS writes "
                             "`initiate mode aggressive`); the profile stays in main mode", "warning")
            elif w[0] == "local-address" and len(w) > 1:
                prof.local_address = w[1]
            elif w[0] not in ("vrf", "description", "ca", "virtual-template", "qos-group", "accounting"):
                self.unknown(c, f"isakmp profile {prof.name}", keys=True)
        self.isakmp_profiles[prof.name] = prof

    # -- IKEv2 ---------------------------------------------------------------------------------
    def ikev2_proposal(self, block: Block) -> None:
        name = block.words[3]
        p = IkeProposal(name=f"ikev2 proposal {name}", origin=self.src(block.head))
        for c in block.children:
            if not ikev2_values(p, c.words, self.src(c), _ENC_V2, _HASH):
                self.unknown(c, p.name)
        if not p.prf:  # IOS derives the PRF from the integrity algorithm unless `prf` is set
            p.prf = list(p.integrity)
        self.v2_proposals[name] = p

    def ikev2_keyring(self, block: Block) -> None:
        peers: list[_V2Peer] = []
        for c in block.children:  # sub-lines attach to the most recent `peer`, whatever the indentation
            w = c.words
            if w[0] == "peer" and len(w) > 1:
                peers.append(_V2Peer(w[1]))
            elif not peers:
                self.unknown(c, f"ikev2 keyring {block.words[3]}", keys=True)
            elif w[0] == "address" and len(w) > 1:
                mask = w[2] if len(w) > 2 and is_ipv4(w[2]) else None
                net = network(w[1], mask)
                peers[-1].raws.append(w[1])
                if net is not None:
                    peers[-1].nets.append(net)
            elif w[0] == "hostname" and len(w) > 1:
                peers[-1].hostname = w[1]
            elif w[0] == "identity" and len(w) > 2:
                peers[-1].identity = _v2_identity(w[1:])
            elif w[0] == "pre-shared-key":
                rest = w[1:]
                direction = rest[0] if rest and rest[0] in ("local", "remote") else None
                psk = self.psk(rest[1:] if direction else rest, c)
                if direction != "remote":
                    peers[-1].psk_local = psk
                if direction != "local":
                    peers[-1].psk_remote = psk
            elif w[0] != "description":
                self.unknown(c, f"ikev2 keyring {block.words[3]}", keys=True)
        self.v2_keyrings[block.words[3]] = peers

    def ikev2_profile(self, block: Block) -> None:
        prof = _V2Profile(block.words[3], self.src(block.head))
        for c in block.children:
            w = c.words
            if w[:3] == ["match", "identity", "remote"] and len(w) > 3:
                if w[3] == "any":
                    prof.remote_ids.append((Identity(type="any"), None, self.src(c)))
                elif w[3] == "address" and len(w) > 4:
                    mask = w[5] if len(w) > 5 and is_ipv4(w[5]) else None
                    prof.remote_ids.append((Identity(type="ip", value=w[4]), network(w[4], mask), self.src(c)))
                elif w[3] == "fqdn" and len(w) > 4:
                    prof.remote_ids.append((Identity(type="fqdn", value=w[-1]), None, self.src(c)))
                elif w[3] == "email" and len(w) > 4:
                    prof.remote_ids.append((Identity(type="user-fqdn", value=w[-1]), None, self.src(c)))
                elif w[3] == "key-id" and len(w) > 4:
                    prof.remote_ids.append((Identity(type="key-id", value=w[4]), None, self.src(c)))
                else:
                    self.unknown(c, f"ikev2 profile {prof.name}", keys=True)
            elif w[:3] == ["match", "address", "local"] and len(w) > 3:
                prof.local_match = w[-1]
            elif w[:2] == ["identity", "local"] and len(w) > 3:
                prof.local_id = (_v2_identity(w[2:]), self.src(c))
            elif w[0] == "authentication" and len(w) > 2:
                method = w[2]
                if method == "pre-share" and "key" in w and w[1] in ("local", "remote"):
                    k = w.index("key")  # each direction keeps its own key (RFC 7296 2.15: they may differ)
                    setattr(prof, f"inline_psk_{w[1]}", self.psk(w[k + 1:], c))
                if w[1] in ("local", "remote"):
                    setattr(prof, f"auth_{w[1]}", method)
            elif w[:2] == ["keyring", "local"] and len(w) > 2:
                prof.keyring = w[2]
            elif w[0] == "lifetime" and len(w) > 1 and is_uint(w[1]):
                prof.lifetime = (int(w[1]), self.src(c))
            elif w[0] == "dpd" and len(w) > 2:
                nums = [int(x) for x in w[1:3] if is_uint(x)]
                prof.dpd = (Dpd(enabled=True, mode="periodic" if "periodic" in w else "on-demand",
                                interval_s=nums[0] if nums else None, retry_s=nums[1] if len(nums) > 1 else None),
                            self.src(c))
            elif w[0] not in ("match", "no", "nat", "description", "ivrf", "virtual-template", "config-exchange"):
                self.unknown(c, f"ikev2 profile {prof.name}", keys=True)
        self.v2_profiles[prof.name] = prof

    # -- IPsec ---------------------------------------------------------------------------------
    def transform_set(self, block: Block) -> None:
        w = block.words
        name = w[3]
        p = IpsecProposal(name=f"transform-set {name}", origin=self.src(block.head))
        p.mode, p.src["mode"] = DEFAULTS.value("ipsec.mode", self.release), self.dflt("ipsec.mode")
        weak = [t for t in w[4:] if t in WEAK_TRANSFORMS]
        if weak:
            self.ts_weak[name] = weak
        has_esp = has_ah = odd = False
        i = 4
        while i < len(w):
            t = w[i]
            if t in ("esp-aes", "esp-gcm", "esp-gmac"):
                bits = "128"  # a bare esp-aes / esp-gcm is 128-bit
                if i + 1 < len(w) and is_uint(w[i + 1]):
                    bits, i = w[i + 1], i + 1
                suffix = {"esp-aes": "", "esp-gcm": "-gcm", "esp-gmac": "-gmac"}[t]
                p.encryption.append(f"aes{bits}{suffix}")
                has_esp = True
            elif t in _ESP_ENC:
                p.encryption.append(_ESP_ENC[t])
                has_esp = True
            elif t in _ESP_AUTH:
                p.integrity.append(_ESP_AUTH[t])
                has_esp = True
            elif t in _AH:
                has_ah = True
            elif t != "comp-lzs":
                odd = True  # reported once per line below: one finding per unknown word grew with the line
            i += 1
        if odd:
            self.unknown(block.head, f"transform-set {name}")
        p.protocol = "ah-esp" if has_ah and has_esp else ("ah" if has_ah else "esp")
        if not p.encryption and has_ah and not has_esp:
            p.integrity = [_AH[t] for t in w[4:] if t in _AH]
        for c in block.children:
            if c.words[0] == "mode" and len(c.words) > 1 and c.words[1] in ("tunnel", "transport"):
                p.mode, p.src["mode"] = c.words[1], self.src(c)
                if c.words[1:] == ["transport", "require"]:
                    self.ts_require.add(name)
                elif c.words[1:] == ["transport"]:
                    self.note(c, f"transform-set {name}: `mode transport` without `require` falls back to tunnel "
                                 "mode when the peer answers tunnel (Alibaba supports tunnel only): checked as tunnel. "
                                 + DEFAULTS.note("ipsec.transport", self.release))
            else:
                self.unknown(c, p.name)
        p.src["encryption"] = p.src["integrity"] = p.src["protocol"] = self.src(block.head)
        self.transform_sets[name] = p

    def phase2(self, block: Block, name: str) -> _Phase2:
        ph = _Phase2(name, self.src(block.head))
        for c in block.children:
            w = c.words
            if w[:2] == ["set", "peer"] and len(w) > 2:
                if is_peer(w[2]):
                    ph.peers.append((w[2], self.src(c)))
                else:
                    self.note(c, f"set peer {w[2][:60]}: not an IPv4 address or host name; ignored", "error")
            elif w[:2] == ["set", "transform-set"]:
                ph.transform_sets = (w[2:], self.src(c))
            elif w[:2] == ["set", "pfs"]:
                if len(w) > 2 and w[2].startswith("group") and is_uint(w[2][5:]):
                    ph.pfs = (int(w[2][5:]), self.src(c))
                else:
                    bare = self.src(c)
                    ph.pfs = (DEFAULTS.value("ipsec.pfs_bare", self.release),
                              bare.model_copy(update={"note": DEFAULTS.note("ipsec.pfs_bare", self.release)}))
            elif w[:3] == ["set", "security-association", "lifetime"] and len(w) > 4 and (
                    (w[3] == "seconds" and is_uint(w[4])) or (w[3] == "kilobytes" and (
                        w[4] == "disable" or is_uint(w[4])))):
                if w[3] == "seconds":
                    ph.lifetime_s = (int(w[4]), self.src(c))
                else:
                    ph.lifetime_kb = (None if w[4] == "disable" else uint(w[4]), self.src(c))
            elif w == ["set", "security-association", "level", "per-host"]:
                self.note(c, f"{name}: `set security-association level per-host` makes each source/destination "
                             "host pair negotiate its own SA with /32 host selectors; Alibaba's subnet selectors do "
                             "not match them under IKEv1 (exact match), so phase 2 fails when the device initiates "
                             "(under IKEv2 Alibaba may narrow; unverified: Cisco IOS Security Command Reference, "
                             "`set security-association level per-host`, not retrieved). Remove it with "
                             "`no set security-association level per-host`", "warning")
            elif w[:2] == ["set", "isakmp-profile"] and len(w) > 2:
                ph.isakmp_profile = w[2]
            elif w[:2] == ["set", "ikev2-profile"] and len(w) > 2:
                ph.ikev2_profile = (w[2], self.src(c))
            elif w[:2] == ["match", "address"] and len(w) > 2:
                ph.acl = (w[2], self.src(c))
            elif w[0] in ("description", "reverse-route") or w[:2] == ["set", "reverse-route"]:
                pass  # routing only: not part of the negotiation
            else:
                self.unknown(c, name)
        return ph

    def crypto_map(self, block: Block, w: list[str]) -> None:
        if len(w) >= 5 and w[3] == "local-address":
            self.map_local[w[2]] = w[4]
            return
        if len(w) < 5 or not is_uint(w[3]):
            self.unknown(block.head, "crypto map")
            return
        if w[4] != "ipsec-isakmp":
            self.note(block.head, f"crypto map entry of type {w[4]} is not IKE site-to-site; not checked")
            return
        ph = self.phase2(block, f"crypto map {w[2]} {w[3]}")
        if len(w) > 6 and w[5] == "dynamic":
            ph.dynamic = w[6]
        self.maps.setdefault(w[2], []).append(ph)

    # -- interfaces, ACLs, NAT, BGP ------------------------------------------------------------
    def interface(self, block: Block) -> None:
        name = block.words[1] if len(block.words) > 1 else "?"
        itf = Interface(name=name, source=self.src(block.head))
        tunnel = False
        ip_mtu = l2_mtu = None  # (bytes, Source)
        for c in block.children:
            w = c.words
            if w[:2] == ["ip", "address"] and len(w) > 3 and is_ipv4(w[2]) and "secondary" not in w:
                itf.address = w[2]
                itf.network = network(w[2], w[3])
            elif w[:2] == ["crypto", "map"] and len(w) > 2:
                self.map_interfaces.setdefault(w[2], []).append(name)
            elif w[:2] == ["ip", "mtu"] and len(w) > 2 and is_uint(w[2]):
                ip_mtu = (int(w[2]), self.src(c))
            elif w[0] == "mtu" and len(w) == 2 and is_uint(w[1]):
                l2_mtu = (int(w[1]), self.src(c))
            elif w[:3] == ["ip", "tcp", "adjust-mss"] and len(w) > 3 and is_uint(w[3]):
                itf.tcp_mss = int(w[3])
                self.mss_src[name] = self.src(c)
            elif w[:2] == ["ip", "access-group"] and len(w) > 3 and w[3] == "in":
                itf.acl_in = w[2]
            elif w[:3] == ["ip", "nat", "outside"]:
                itf.nat_outside = True
            elif w[0] == "tunnel":
                tunnel = True
        # The IP MTU is `ip mtu`, else the layer-2 `mtu` (Cisco IOS MPLS Command Reference 2010, `mtu`, "Protocol-
        # Specific Versions of the mtu Command"); that `ip mtu` cannot exceed `mtu` is from networkcommands.eu only
        mtu = min((m for m in (ip_mtu, l2_mtu) if m), key=lambda m: m[0], default=None)
        if mtu:
            itf.mtu, self.mtu_src[name] = mtu
        self.cfg.interfaces[name] = itf
        if tunnel:
            self.tunnels.append((itf, block))

    def acl(self, block: Block) -> None:
        w = block.words
        if w[0] == "access-list":  # numbered: every line is its own block
            name, body, standard = w[1], [Line(block.head.no, " ".join(w[2:]))], _is_standard(w[1])
        else:  # ip access-list extended|standard NAME
            if len(w) < 4:
                return
            name, body, standard = w[3], block.children, w[2] == "standard"
        acl = self.cfg.acls.get(name) or AccessList(name=name, source=self.src(block.head))
        self.cfg.acls[name] = acl
        for line in body:
            words = line.words
            if words and is_uint(words[0]):
                words = words[1:]  # sequence number
            if not words or words[0] == "remark":
                continue
            entry = _acl_entry(words, standard)
            if entry is None:
                self.note(line, f"access-list {name}: entry not understood (object-group or non-contiguous "
                                "wildcard?); ignored by the selector and filter checks", "warning")
                continue
            entry.source = self.src(line)
            acl.entries.append(entry)

    def nat(self, block: Block) -> None:
        w = block.words
        if w[:4] != ["ip", "nat", "inside", "source"] or len(w) < 6:
            return
        if w[4] == "list":
            itf = w[w.index("interface") + 1] if "interface" in w else None
            self.cfg.nat_rules.append(NatRule(acl=w[5], interface=itf, source=self.src(block.head)))
        elif w[4] == "route-map":
            self.note(block.head, "NAT with a route-map is not evaluated for the VPN exemption check")

    def bgp(self, block: Block) -> None:
        if len(block.words) > 2 and is_uint(block.words[2]):
            self.cfg.bgp_asn = int(block.words[2])
        for c in block.children:
            w = c.words
            if w[0] == "neighbor" and len(w) > 3 and w[2] == "remote-as" and is_ipv4(w[1]):
                self.bgp_neighbors[w[1]] = (int(w[3]) if is_uint(w[3]) else None, self.src(c))

    # -- FN72510: weak algorithms refused on IOS-XE 17.11+ ---------------------------------------
    def weak_refused(self) -> bool | None:
        """True: weak algorithms are not offered; False: they are; None: it depends on the unknown release."""
        if self.shield_disabled is not None:
            return False
        value, _ = self.release_dependent("crypto.weak_refused")
        return value

    def weak_note(self, where: Source, what: str, refused: bool | None, left: str | None = None) -> None:
        """``left``: what stays usable beside the refused value (then a warning: the value is simply not
        offered); None when the refusal leaves the proposal/policy/transform set/PFS setting unusable (an error)."""
        platforms = ("routers (ASR1000, ISR4000, ISR1100, Catalyst 8000) from 17.11.1a; SP access 17.12.1, "
                     "WLC 17.13.1, IoT routers 17.14.1, Catalyst 9000 switches 17.15.1")
        optout = ("configure `crypto engine compliance shield disable` (IOS-XE 17.7.1+, takes effect only after a "
                  "reload); better, use a strong algorithm on both sides")
        if refused:
            rel = ".".join(map(str, self.release or ()))
            msg = (f"{what}: weak algorithm refused on IOS-XE {rel} (Cisco Field Notice FN72510: {platforms}; "
                   f"checked as a router): it is not offered in negotiation")
            msg += (f"; {left}, so this alone does not stop the tunnel. Remove it, or to keep it {optout}" if left
                    else f". To keep it, {optout}")
        else:
            msg = (f"{what}: weak algorithm; whether the device offers it depends on the release, which is unknown "
                   f"(no `version` line): IOS-XE refuses it by default per Cisco Field Notice FN72510 ({platforms}). "
                   f"To keep it there, {optout}")
        self.cfg.diagnostics.append(Diagnostic(severity="error" if refused and not left else "warning",
                                               file=self.file, line=where.line, text=where.text, message=msg))

    def fn72510(self) -> None:
        """FN72510: a refused value that leaves other usable values in its list, or a refused policy/proposal/
        transform set beside usable ones, is a warning (it is simply not offered; the rules still fire when the
        refused value was the one Alibaba needs); a refusal that leaves nothing usable is an error."""
        refused = self.weak_refused()
        if refused is False:
            return
        # IKEv1: every policy is offered; a policy with a refused value is unusable
        pols = sorted(self.policies, key=lambda t: t[0])
        dead = {id(p) for _, p in pols if _unusable(p, WEAK_IKEV1)}
        alive = [p.name for _, p in pols if id(p) not in dead]
        for _, p in pols:
            self.weak_ike(p, WEAK_IKEV1, {"integrity": "hash"}, refused, prf_too=True, others=alive)
        if refused and alive and dead:
            self.policies = [(n, p) for n, p in self.policies if id(p) not in dead]
        # IKEv2: the proposals the policies name (or `default` through the default policy) are offered
        offered = [n for names, _ in self.v2_policies for n in names] or ["default"]
        self.v2_unusable = {n for n, p in self.v2_proposals.items() if _unusable(p, WEAK_IKEV2)}
        for n, p in self.v2_proposals.items():
            others = [f"ikev2 proposal {o}" for o in offered if o != n and o not in self.v2_unusable]
            self.weak_ike(p, WEAK_IKEV2, {}, refused, prf_too=False,
                          others=others if n in offered else ["(it is named by no `crypto ikev2 policy`)"])
        if not refused:
            self.v2_unusable = set()
        # transform sets: one algorithm per slot, so a refused one leaves the set unusable
        entries = [ph for es in self.maps.values() for ph in es] + \
            [ph for es in self.dyn_maps.values() for ph in es] + list(self.ipsec_profiles.values())
        self.ts_unusable = set(self.ts_weak) if refused else set()
        for name, words in self.ts_weak.items():
            ts = self.transform_sets.get(name)
            if ts is None:
                continue
            users = [ph for ph in entries if ph.transform_sets and name in ph.transform_sets[0]]
            spare = all(any(n != name and n in self.transform_sets and n not in self.ts_weak
                            for n in ph.transform_sets[0]) for ph in users)
            left = (None if not spare else "every entry that uses it offers another transform set" if users
                    else "no crypto map entry or ipsec profile uses it")
            self.weak_note(ts.origin, f"transform-set {name} uses {' '.join(words)}", refused, left)
            if refused:
                ts.encryption = [e for e in ts.encryption if e not in ("des", "3des", "null") and
                                 not e.endswith("-gmac")]
                ts.integrity = [i for i in ts.integrity if i != "md5"]
        for ph in entries:
            if ph.pfs and ph.pfs[0] in WEAK_PFS:
                group, src = ph.pfs
                self.weak_note(src, f"{ph.name}: PFS group{group}", refused)
                if refused:
                    ph.pfs = (None, src.model_copy(update={"defaulted": True, "note": (
                        f"set pfs group{group} is refused on this release (Cisco Field Notice FN72510): no PFS group "
                        "is offered")}))

    def weak_ike(self, p: IkeProposal, weak: dict, labels: dict, refused: bool | None, prf_too: bool,
                 others: list[str]) -> None:
        """``others``: the policies/proposals offered beside ``p`` that stay usable."""
        unusable = _unusable(p, weak)
        for attr in ("encryption", "integrity", "dh_groups"):
            bad = [v for v in getattr(p, attr) if v in weak[attr]]
            if not bad:
                continue
            src = p.src.get(attr)
            where = p.origin if src is None or src.defaulted else src
            label = labels.get(attr, "group" if attr == "dh_groups" else attr)
            shown = " ".join(map(str, bad))
            rest = [v for v in getattr(p, attr) if v not in weak[attr]]
            if not unusable:
                left = f"{label} {' '.join(map(str, rest))} remains offered in {p.name}"
            elif others:
                left = (f"{p.name} is named by no `crypto ikev2 policy`, so it is not offered anyway"
                        if others[0].startswith("(") else
                        f"{p.name} cannot be used, the device still offers {', '.join(others)}")
            else:
                left = None
            self.weak_note(where, f"{p.name}: {label} {shown}" + (" (the default)" if where is p.origin else ""),
                           refused, left)
            if refused:
                setattr(p, attr, rest)
                if attr == "integrity" and prf_too:
                    p.prf = [v for v in p.prf if v not in weak[attr]]

    # -- pass 2: assemble endpoints ------------------------------------------------------------
    def build(self) -> None:
        self.fn72510()
        for map_name, entries in self.maps.items():
            interfaces = self.map_interfaces.get(map_name, [])
            if not interfaces:
                self.cfg.diagnostics.append(Diagnostic(
                    severity="warning", file=self.file, line=entries[0].origin.line, text=entries[0].origin.text,
                    message=f"crypto map {map_name} is not applied to any interface; its tunnels never start"))
            outside = self.map_local.get(map_name) or (interfaces[0] if interfaces else None)
            for ph in sorted(entries, key=lambda e: uint(e.name.split()[-1])):
                if ph.dynamic:
                    for dyn in self.dyn_maps.get(ph.dynamic, []):
                        self.add_endpoint(dyn, "dynamic", None, outside, None)
                    continue
                if not ph.peers:
                    self.cfg.diagnostics.append(Diagnostic(
                        severity="error", file=self.file, line=ph.origin.line, text=ph.origin.text,
                        message=f"{ph.name} has no `set peer`: the entry is incomplete and never used"))
                    continue
                for peer, peer_src in ph.peers:
                    self.add_endpoint(ph, "policy", (peer, peer_src), outside, None)
        for itf, block in self.tunnels:
            self.tunnel_endpoint(itf, block)

    def tunnel_endpoint(self, itf: Interface, block: Block) -> None:
        dest = source = profile = None
        ipsec_mode = False
        for c in block.children:
            w = c.words
            if w[:2] == ["tunnel", "destination"] and len(w) > 2 and is_peer(w[2]):
                dest = (w[2], self.src(c))
            elif w[:2] == ["tunnel", "destination"] and len(w) > 2:
                self.note(c, f"tunnel destination {w[2][:60]}: not an IPv4 address or host name; ignored", "error")
            elif w[:2] == ["tunnel", "source"] and len(w) > 2:
                source = w[2]
            elif w[:3] == ["tunnel", "mode", "ipsec"]:
                ipsec_mode = True
            elif w[:3] == ["tunnel", "protection", "ipsec"] and len(w) > 4:
                profile = (w[4], self.src(c))
        if profile is None:
            return  # a plain GRE/other tunnel, no IPsec
        ph = self.ipsec_profiles.get(profile[0])
        if ph is None:
            self.note(Line(profile[1].line, profile[1].text),
                      f"tunnel protection refers to ipsec profile {profile[0]}, which is not defined", "error")
            return
        ep = self.add_endpoint(ph, "route", dest, source, itf, gre=not ipsec_mode)
        if not ipsec_mode:
            ep.notes.append(Diagnostic(severity="info", file=self.file, line=itf.source.line,
                                       message=f"{itf.name} has no `tunnel mode ipsec ipv4`: GRE over IPsec, "
                                               "selectors are the GRE endpoints, not 0.0.0.0/0"))

    def local_ip(self, where: str | None) -> str | None:
        return interface_ip(self.cfg, where)

    def add_endpoint(self, ph: _Phase2, kind: str, peer: tuple[str, Source] | None, outside: str | None,
                     tunnel_itf: Interface | None, gre: bool = False) -> Endpoint:
        peer_ip = peer[0] if peer else None
        name = f"{tunnel_itf.name} ({ph.name})" if tunnel_itf else ph.name
        profile_local = None
        if ph.ikev2_profile:
            ike = self.ike_v2(ph.ikev2_profile, peer_ip, name)
        else:
            ike, profile_local = self.ike_v1(ph, peer_ip)
        outside_itf = outside if outside and not is_ipv4(outside) else None
        local = self.local_ip(profile_local) or self.local_ip(outside)
        ep = Endpoint(name=name, kind=kind, local_address=local, peer_address=peer_ip, interface=outside_itf,
                      ike=ike, ipsec=self.ipsec(ph), origin=ph.origin)
        if peer:
            ep.src["peer_address"] = peer[1]
        if outside and outside in self.cfg.interfaces:
            ep.src["local_address"] = self.cfg.interfaces[outside].source
        if ike.local_id is not None and ike.local_id.type == "ip" and ike.local_id.value is None:
            ike.local_id = Identity(type="ip", value=local) if local else None  # `self-identity address`
        if ike.local_id is None and local:
            ike.local_id = Identity(type="ip", value=local)
            ike.src["local_id"] = self.dflt("isakmp.identity")
        if tunnel_itf is not None:
            ep.selectors = [SelectorPair(local="0.0.0.0/0", remote="0.0.0.0/0", source=tunnel_itf.source)]
            ep.src["selectors"] = tunnel_itf.source
            ep.tunnel_mtu, ep.tcp_mss = tunnel_itf.mtu, tunnel_itf.tcp_mss
            ep.src["tunnel_mtu"] = self.mtu_src.get(tunnel_itf.name, tunnel_itf.source)
            ep.src["tcp_mss"] = self.mss_src.get(tunnel_itf.name, tunnel_itf.source)
            ep.bgp = self.tunnel_bgp(tunnel_itf)
        else:
            self.selectors(ep, ph)
            ep.per_pair_sas = True  # IOS builds one IPsec SA pair per crypto ACL permit line
            itf = self.cfg.interfaces.get(outside_itf or "")
            if itf and itf.tcp_mss:  # no tunnel interface, so no tunnel MTU: the WAN MTU is below
                ep.tcp_mss, ep.src["tcp_mss"] = itf.tcp_mss, self.mss_src.get(itf.name, itf.source)
        wan = wan_interface(self.cfg, outside)
        if wan is not None:
            attach_wan_mtu(ep, wan.mtu, self.mtu_src.get(wan.name))
        self.transport(ep)
        self.cfg.endpoints.append(ep)
        return ep

    def transport(self, ep: Endpoint) -> None:
        """`mode transport` without `require` requests transport (only for traffic between the two peer
        addresses) and accepts tunnel: against Alibaba, which answers tunnel only, tunnel mode is negotiated.
        Only `mode transport require` stays transport."""
        for i, p in enumerate(ep.ipsec.proposals):
            name = p.name.removeprefix("transform-set ")
            if p.mode != "transport" or name in self.ts_require:
                continue
            q = p.model_copy(deep=True)  # transform sets are shared between entries
            q.mode = "tunnel"
            src = p.src.get("mode")
            q.src["mode"] = (src or ep.origin).model_copy(update={
                "defaulted": True,
                "note": f"`mode transport` without `require` falls back to tunnel mode, which a tunnel-only peer "
                        f"answers: checked as tunnel ({DEFAULTS.note('ipsec.transport', self.release)})"})
            ep.ipsec.proposals[i] = q

    def selectors(self, ep: Endpoint, ph: _Phase2) -> None:
        if ph.acl is None:
            ep.notes.append(Diagnostic(severity="error", file=self.file, line=ph.origin.line, text=ph.origin.text,
                                       message=f"{ph.name} has no `match address`: no traffic is protected"))
            return
        ep.src["selectors"] = ph.acl[1]
        acl = self.cfg.acls.get(ph.acl[0])
        if acl is None:
            ep.notes.append(Diagnostic(severity="error", file=self.file, line=ph.acl[1].line, text=ph.acl[1].text,
                                       message=f"match address {ph.acl[0]}: access-list not defined"))
            return
        for e in acl.entries:
            if e.action == "permit":
                ep.selectors.append(SelectorPair(local=e.src, remote=e.dst, protocol=e.protocol, source=e.source))
            else:
                ep.notes.append(Diagnostic(severity="info", file=self.file, line=e.source.line, text=e.source.text,
                                           message="deny entry in a crypto ACL: that traffic is sent unprotected"))
        if not ep.selectors:
            ep.notes.append(no_readable_permit(self.file, ph.acl[1], f"match address {ph.acl[0]}"))

    def tunnel_bgp(self, itf: Interface) -> Bgp | None:
        return tunnel_bgp(itf, self.bgp_neighbors, self.cfg.bgp_asn)

    def ike_v1(self, ph: _Phase2, peer: str | None) -> tuple[Ike, str | None]:
        """IKEv1 settings for one peer, and the isakmp profile's local-address if it sets one."""
        ike = Ike(version="ikev1", mode="main")
        ike.src["version"] = Source(file=self.file, line=ph.origin.line, text=ph.origin.text,
                                    note="IKEv1: no `set ikev2-profile` on this entry")
        ike.src["mode"] = self.dflt("isakmp.mode")
        if self.ikev1_disabled:
            ike.src["version"] = self.ikev1_disabled
        profile = self.isakmp_profiles.get(ph.isakmp_profile or "") or self.profile_for(peer)
        ike.proposals = [p for _, p in sorted(self.policies, key=lambda t: t[0])]
        if not ike.proposals:
            d = DEFAULTS.value("isakmp.no_policy", self.release)
            p = IkeProposal(name="default protection suite", encryption=list(d["encryption"]),
                            integrity=list(d["integrity"]), prf=list(d["integrity"]), dh_groups=list(d["dh_groups"]),
                            auth_method=d["auth_method"], lifetime_s=d["lifetime_s"])
            note = self.dflt("isakmp.no_policy", extra="no crypto isakmp policy configured")
            p.src = {a: note for a in ("encryption", "integrity", "dh_groups", "auth_method", "lifetime_s")}
            ike.proposals = [p]
        ike.src["proposals"] = ike.proposals[0].origin or ike.proposals[0].src["encryption"]
        rings = [self.keyrings[k] for k in (profile.keyrings if profile else []) if k in self.keyrings]
        key = _best_key(peer, [k for r in rings for k in r.keys]) or _best_key(peer, self.global_keys) or \
            _best_key(peer, [k for r in self.keyrings.values() for k in r.keys])
        if key:
            ike.psk = key.psk
            ike.src["psk"] = key.psk.source
        else:
            ike.psk = PresharedKey(form="missing")
        if profile:
            if profile.self_identity:
                ident, source = profile.self_identity
                if ident.type == "fqdn" and ident.value is None:  # `self-identity fqdn`: hostname.domain
                    name = self.cfg.hostname or "<hostname>"
                    ident = Identity(type="fqdn", value=f"{name}.{self.domain}" if self.domain else name)
                ike.local_id, ike.src["local_id"] = ident, source  # `self-identity address`: filled per endpoint
            if profile.match_ids:
                ident, _, source = profile.match_ids[0]
                ike.remote_id, ike.src["remote_id"] = ident, source
            if profile.keepalive:
                ike.dpd, ike.src["dpd"] = profile.keepalive
            if profile.aggressive:
                ike.mode, ike.src["mode"] = "aggressive", profile.aggressive
        if ike.local_id is None and self.identity_kind:
            kind, source = self.identity_kind
            if kind == "hostname" and self.cfg.hostname:
                fqdn = f"{self.cfg.hostname}.{self.domain}" if self.domain else self.cfg.hostname
                ike.local_id, ike.src["local_id"] = Identity(type="fqdn", value=fqdn), source
            elif kind == "dn":
                ike.local_id, ike.src["local_id"] = Identity(type="dn", value=None), source
        if ike.remote_id is None and peer:
            ike.remote_id = Identity(type="ip", value=peer)
            ike.src["remote_id"] = self.dflt("isakmp.peer_identity")
        if peer in self.aggressive_peers:
            ike.mode, ike.src["mode"] = "aggressive", self.aggressive_peers[peer]
        if ike.mode == "aggressive":
            self.aggressive_group(ike)
        if ike.src.get("dpd") is None and self.keepalive:
            ike.dpd, ike.src["dpd"] = self.keepalive
        if ike.src.get("dpd") is None:
            ike.dpd.enabled, ike.src["dpd"] = DEFAULTS.value("isakmp.keepalive", self.release), \
                self.dflt("isakmp.keepalive")
        if self.natt:
            ike.nat_traversal, ike.src["nat_traversal"] = self.natt
        else:
            ike.nat_traversal = DEFAULTS.value("nat_traversal", self.release)
            ike.src["nat_traversal"] = self.dflt("nat_traversal")
        return ike, profile.local_address if profile else None

    def aggressive_group(self, ike: Ike) -> None:
        """Aggressive mode sends its KE payload in one group, which cannot be negotiated (RFC 2409 section 5):
        the first (highest-priority) policy's. Policies with another group cannot be chosen when this router
        initiates, so only the policies in that group are offered."""
        first = next((p for p in ike.proposals if p.dh_groups), None)
        if first is None:
            return
        group = first.dh_groups[0]
        others = [p for p in ike.proposals if group not in p.dh_groups]
        if not others:
            return
        note = (f"aggressive mode: the KE payload is in {first.name}'s group {group} only ("
                f"{DEFAULTS.note('isakmp.aggressive_dh', self.release)}); "
                f"{', '.join(p.name for p in others)} cannot be used when this router initiates")
        ike.proposals = [p.model_copy(deep=True) for p in ike.proposals if group in p.dh_groups]  # shared objects
        for p in ike.proposals:
            s = p.src.get("dh_groups")
            if s is not None:
                p.src["dh_groups"] = s.model_copy(update={"note": note, "defaulted": True})
        ike.src["proposals"] = ike.proposals[0].origin or ike.src.get("proposals")

    def profile_for(self, peer: str | None) -> _IsakmpProfile | None:
        if peer is None or not is_ipv4(peer):
            return None
        for prof in self.isakmp_profiles.values():
            for _, net, _ in prof.match_ids:
                if net is not None and IPAddress(peer) in net:
                    return prof
        return None

    def ike_v2(self, ref: tuple[str, Source], peer: str | None, name: str) -> Ike:
        ike = Ike(version="ikev2", mode="main")
        ike.src["version"] = ref[1]
        prof = self.v2_profiles.get(ref[0])
        if prof is None:
            self.cfg.diagnostics.append(Diagnostic(
                severity="error", file=self.file, line=ref[1].line, text=ref[1].text,
                message=f"{name}: ikev2 profile {ref[0]} is not defined"))
            return ike
        names = [n for names, _ in self.v2_policies for n in names]
        if not self.v2_policies and "ikev2.policy_disabled" not in self.disabled:
            names = ["default"]  # the default policy (match any) uses proposal `default`
        usable = [n for n in names if n not in self.v2_unusable]
        for n in usable or names:  # FN72510: a refused proposal is left out while another one remains usable
            if n in self.v2_proposals and n != "default":
                ike.proposals.append(self.v2_proposals[n].model_copy(deep=True))
            elif n == "default":
                p = self.v2_default(prof.origin)
                if p is not None:
                    ike.proposals.append(p)
        if not ike.proposals:
            why = [f"`{s.text}` (line {s.line})" for k, s in self.disabled.items() if k.startswith("ikev2.")]
            self.cfg.diagnostics.append(Diagnostic(
                severity="error", file=self.file, line=prof.origin.line, text=prof.origin.text,
                message=f"{name}: no IKEv2 proposal is offered: no `crypto ikev2 policy` names a configured "
                        f"proposal" + (f" and the built-in default is disabled by {', '.join(why)}" if why else "")))
        life, life_src = prof.lifetime or (DEFAULTS.value("ikev2.lifetime", self.release), self.dflt("ikev2.lifetime"))
        for p in ike.proposals:
            p.lifetime_s, p.src["lifetime_s"] = life, life_src
            if prof.auth_remote and prof.auth_remote != "pre-share":
                p.auth_method, p.src["auth_method"] = prof.auth_remote, prof.origin
        ike.src["proposals"] = (ike.proposals[0].origin if ike.proposals else None) or prof.origin
        if prof.local_id:
            ike.local_id, ike.src["local_id"] = prof.local_id
        chosen = None
        for ident, net, source in prof.remote_ids:
            if ident.type == "any" or net is None or (peer and is_ipv4(peer) and IPAddress(peer) in net):
                chosen = (ident, source)
                break
        if chosen is None and prof.remote_ids:
            chosen = prof.remote_ids[0][0], prof.remote_ids[0][2]
        if chosen:
            ike.remote_id, ike.src["remote_id"] = chosen
        else:
            self.cfg.diagnostics.append(Diagnostic(
                severity="error", file=self.file, line=prof.origin.line, text=prof.origin.text,
                message=f"ikev2 profile {prof.name} has no `match identity remote`: it never matches a peer"))
        local, remote = prof.inline_psk_local, prof.inline_psk_remote  # inline keys win over the keyring's
        if (local is None or remote is None) and prof.keyring:
            peer_entry = _v2_peer(self.v2_keyrings.get(prof.keyring, []), peer)
            if peer_entry:
                local = local or peer_entry.psk_local or peer_entry.psk_remote
                remote = remote or peer_entry.psk_remote or peer_entry.psk_local
        psk = local or remote
        if remote is not None and remote is not psk:
            ike.psk_remote = remote
        ike.psk = psk or PresharedKey(form="missing")
        if psk:
            ike.src["psk"] = psk.source
        if prof.dpd:
            ike.dpd, ike.src["dpd"] = prof.dpd
        elif self.v2_dpd:  # global `crypto ikev2 dpd` applies to profiles without their own
            ike.dpd, ike.src["dpd"] = self.v2_dpd[0].model_copy(), self.v2_dpd[1]
        else:
            ike.dpd.enabled, ike.src["dpd"] = DEFAULTS.value("ikev2.dpd", self.release), self.dflt("ikev2.dpd")
        if self.natt:
            ike.nat_traversal, ike.src["nat_traversal"] = self.natt
        return ike

    def v2_default(self, at: Source) -> IkeProposal | None:
        """Proposal `default`: the built-in one for the release, with the fields a configured
        `crypto ikev2 proposal default` sets replacing the built-in ones; None when it is disabled
        (`no crypto ikev2 proposal default`) and not configured."""
        attrs = ("encryption", "integrity", "prf", "dh_groups")
        conf = self.v2_proposals.get("default")
        if conf is None and "ikev2.proposal_disabled" in self.disabled:
            return None
        value, cands = self.release_dependent("ikev2.proposal")
        extra = ""
        if value is None:  # unknown release: only what every candidate offers (never a silent pass)
            value = {a: [v for v in cands[0].value[a] if all(v in r.value[a] for r in cands)] for a in attrs}
            extra = "release unknown or undocumented: only the values every candidate release offers"
            if conf is None or not {"encryption", "integrity", "dh_groups"} <= conf.src.keys():
                self.depends("ikev2.proposal", "the IKEv2 default proposal (no `crypto ikev2 policy`)", cands,
                             "configure `crypto ikev2 proposal NAME` (encryption, integrity, group) and "
                             "`crypto ikev2 policy NAME` with ` proposal NAME`", at)
        p = IkeProposal(name="ikev2 default proposal", **{a: list(value[a]) for a in attrs})
        refused = self.weak_refused()
        for a in attrs:
            if conf is not None and a in conf.src:
                setattr(p, a, list(getattr(conf, a)))
                p.src[a] = conf.src[a]
                continue
            if conf is not None and a == "prf" and "integrity" in conf.src:  # PRF follows the integrity set
                p.prf, p.src["prf"] = list(conf.integrity), conf.src["integrity"]
                continue
            note = extra
            weak = WEAK_IKEV2.get(a, set()) if a != "prf" else set()
            if refused and any(v in weak for v in getattr(p, a)):
                setattr(p, a, [v for v in getattr(p, a) if v not in weak])
                note = "; ".join(x for x in (extra, "weak values not offered on this release (FN72510)") if x)
            p.src[a] = self.dflt("ikev2.proposal", extra=note)
        if conf is not None:
            p.name, p.origin = "ikev2 proposal default", conf.origin
        return p

    def ipsec(self, ph: _Phase2) -> Ipsec:
        ipsec = Ipsec(origin=ph.origin)
        if ph.transform_sets:
            names, source = ph.transform_sets
            usable = [n for n in names if n in self.transform_sets and n not in self.ts_unusable]
            for n in names:
                if n in self.ts_unusable and usable:
                    continue  # FN72510 refused it; the entry offers its other transform sets
                ts = self.transform_sets.get(n)
                if ts is None:
                    self.cfg.diagnostics.append(Diagnostic(severity="error", file=self.file, line=source.line,
                                                           text=source.text,
                                                           message=f"transform-set {n} is not defined"))
                else:
                    ipsec.proposals.append(ts)
            ipsec.src["proposals"] = source
        elif "ipsec.transform_set_disabled" in self.disabled:
            off = self.disabled["ipsec.transform_set_disabled"]
            self.cfg.diagnostics.append(Diagnostic(
                severity="error", file=self.file, line=ph.origin.line, text=ph.origin.text,
                message=f"{ph.name} has no `set transform-set` and the default transform set is disabled by "
                        f"`{off.text}` (line {off.line}): the entry offers no IPsec proposal"))
            ipsec.src["proposals"] = off
        else:
            sets, cands = self.release_dependent("ipsec.transform_sets")
            extra = "no `set transform-set`"
            if sets is None:  # unknown release: the sets every candidate has
                sets = [t for t in cands[0].value if all(t in r.value for r in cands)]
                extra += "; release unknown: only the sets every candidate release has"
                self.depends("ipsec.transform_sets", "the default transform sets (no `set transform-set`)", cands,
                             "configure `crypto ipsec transform-set NAME esp-aes 256 esp-sha256-hmac` and "
                             "` set transform-set NAME` in the crypto map entry / ipsec profile", ph.origin)
            note = self.dflt("ipsec.transform_sets", extra=extra)
            for enc, integ in sets:
                ts = IpsecProposal(name="default transform set" if len(sets) == 1 else f"default {enc}",
                                   encryption=[enc], integrity=[integ])
                ts.src = {a: note for a in ("encryption", "integrity", "mode", "protocol")}
                ipsec.proposals.append(ts)
            ipsec.src["proposals"] = note
        if ph.pfs:
            ipsec.pfs_group, ipsec.src["pfs_group"] = ph.pfs
        else:
            ipsec.pfs_group = DEFAULTS.value("ipsec.pfs", self.release)
            ipsec.src["pfs_group"] = self.dflt("ipsec.pfs", ph.origin)
        life = ph.lifetime_s or self.global_life_s or (DEFAULTS.value("ipsec.lifetime_s", self.release),
                                                        self.dflt("ipsec.lifetime_s", ph.origin))
        ipsec.lifetime_s, ipsec.src["lifetime_s"] = life
        kb = ph.lifetime_kb or self.global_life_kb or (DEFAULTS.value("ipsec.lifetime_kb", self.release),
                                                        self.dflt("ipsec.lifetime_kb", ph.origin))
        ipsec.lifetime_kb, ipsec.src["lifetime_kb"] = kb
        return ipsec


def _unusable(p: IkeProposal, weak: dict) -> bool:
    """Every value of some attribute is refused by FN72510: the policy/proposal cannot be used."""
    return any(getattr(p, a) and all(v in weak[a] for v in getattr(p, a)) for a in ("encryption", "integrity",
                                                                                      "dh_groups"))


def _is_standard(number: str) -> bool:
    return is_uint(number) and (1 <= int(number) <= 99 or 1300 <= int(number) <= 1999)


def _address(words: list[str], i: int) -> tuple[IPNetwork | None, int]:
    if i >= len(words):
        return None, i
    if words[i] == "any":
        return IPNetwork("0.0.0.0/0"), i + 1
    if words[i] == "host" and i + 1 < len(words):
        return network(words[i + 1]), i + 2
    if is_ipv4(words[i]):
        if i + 1 < len(words) and is_ipv4(words[i + 1]):
            return network(words[i], words[i + 1], wildcard=True), i + 2
        return network(words[i]), i + 1
    return None, i


def _acl_entry(words: list[str], standard: bool) -> AclEntry | None:
    action = words[0]
    if action not in ("permit", "deny"):
        return None
    if standard:
        src, _ = _address(words, 1)
        return AclEntry(action=action, src=src, dst="0.0.0.0/0") if src is not None else None
    if len(words) < 4:
        return None
    proto = words[1]
    src, i = _address(words, 2)
    _, i = parse_ports(words, i)
    dst, i = _address(words, i)
    ports, _ = parse_ports(words, i)
    if src is None or dst is None:
        return None
    return AclEntry(action=action, protocol=proto, src=src, dst=dst, dst_ports=ports)


def _best_key(peer: str | None, keys: list[_Key]) -> _Key | None:
    """Longest-prefix match of the peer address over keyring/global keys (0.0.0.0/0 = wildcard)."""
    if peer is None:
        return None
    if not is_ipv4(peer):
        return next((k for k in keys if k.raw == peer), None)
    best = None
    for k in keys:
        if k.net is not None and IPAddress(peer) in k.net and (best is None or k.net.prefixlen > best.net.prefixlen):
            best = k
    return best


def _v2_peer(peers: list[_V2Peer], peer: str | None) -> _V2Peer | None:
    best, best_len = None, -1
    if peer and not is_ipv4(peer):
        return next((p for p in peers if peer in p.raws), None)
    for p in peers:
        for net in p.nets:
            if peer and is_ipv4(peer) and IPAddress(peer) in net and net.prefixlen > best_len:
                best, best_len = p, net.prefixlen
    return best


def _v2_identity(w: list[str]) -> Identity:
    kind, value = w[0], w[-1]
    itype = {"address": "ip", "fqdn": "fqdn", "email": "user-fqdn", "key-id": "key-id", "dn": "dn"}.get(kind, "dn")
    return Identity(type=itype, value=None if kind == "dn" else value)


_ITF_KEEP = ("\ncrypto", "\ntunnel", "\nip nat")  # line_starting's form: at a line start


def _droppable_name(block: Block) -> str | None:
    """Name of an ACL, or of an interface with no crypto, tunnel or NAT line: parsed only when a kept block
    names it (crypto map local-address, tunnel source, NAT overload, BGP update-source...)."""
    w = block.words
    if w[0] == "access-list" and len(w) > 1:
        return w[1]
    if w[:2] == ["ip", "access-list"] and len(w) > 3:
        return w[3]
    if w[0] == "interface" and len(w) == 2 and not line_starting(block.texts(), _ITF_KEEP):
        return w[1]
    return None


def parse(text: str, file: str) -> DeviceConfig:
    return _Parser(text, file).run()
