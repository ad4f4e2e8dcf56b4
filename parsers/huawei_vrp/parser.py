"""Huawei VRP (AR routers, USG firewalls) `display current-configuration` -> DeviceConfig.

Every default applied when a line is absent comes from ``parsers.huawei_vrp.defaults.DEFAULTS``, by platform
(see ``detect_platform``: AR routers have `firewall zone` too, so it decides nothing alone) and release
(`[V200R010...]`, `!Software Version V200R010...` or a pasted `display version`). When the release is unknown and
the rows differ, the value of the newest release is checked and a warning names the default as release-dependent.

A peer without `ike-proposal` offers every configured `ike proposal` and then the built-in Default (which a USG
export prints as `ike proposal default`). `ipsec policy P N isakmp template T` is a responder built from the
`ipsec policy-template T` entries; `ipsec policy P shared local-interface X` makes X's address the local one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from analyzer.model import (Bgp, Diagnostic, Dpd, Endpoint, Identity, Ike, IkeProposal, Ipsec, IpsecProposal,
                            PresharedKey, Source)
from parsers.blocks import Block, line_at
from parsers.cisco_common import is_ipv4
from parsers.values import is_peer, is_uint, uint
from parsers.common import tunnel_bgp
from parsers.common import attach_acl_selectors
from parsers.vrp_common import VrpParser, security_acl, vrp_network

from parsers.huawei_vrp import VENDOR
from parsers.huawei_vrp.defaults import DEFAULTS

_ENC = {"des-cbc": "des", "3des-cbc": "3des", "aes-cbc-128": "aes128", "aes-cbc-192": "aes192",
        "aes-cbc-256": "aes256", "des": "des", "3des": "3des", "aes-128": "aes128", "aes-192": "aes192",
        "aes-256": "aes256", "sm4": "sm4", "aes-128-gcm-128": "aes128-gcm", "aes-256-gcm-128": "aes256-gcm"}
_AUTH = {"md5": "md5", "sha1": "sha1", "sha2-256": "sha256", "sha2-384": "sha384", "sha2-512": "sha512", "sm3": "sm3",
         "hmac-md5-96": "md5", "hmac-sha1-96": "sha1", "hmac-sha2-256": "sha256", "hmac-sha2-384": "sha384",
         "hmac-sha2-512": "sha512", "hmac-md5": "md5", "hmac-sha1": "sha1"}
_SHA2 = {"sha256", "sha384", "sha512"}
# Global lines that change no value a rule compares (timers, counters, logging): read as understood.
_NO_VERDICT = ("ike dpd idle-time", "ike dpd retransmit-interval", "ike dpd retry-limit", "ike nat-keepalive-timer",
               "ike heartbeat", "ipsec anti-replay", "ipsec sa global-duration", "ipsec df-bit", "ipsec fragmentation",
               "ipsec decrypt check", "ipsec invalid-spi-recovery", "ike local-name", "ike peer ", "ike proposal ")
_RELEASE = re.compile(r"^(?:\[|!Software Version |.*[Vv]ersion ).*?V(\d{3})R(\d{3})", re.M)
# USG-only syntax: `security-policy` (USG6000), `sysname USG...`, ` set priority N` in a zone (AR zones write
# ` priority N`, AR V200R010 Security Configuration Guide "Security Zone and Interzone").
_USG_ONLY = re.compile(r"^[^\S\n]*sysname USG|^security-policy|^firewall zone [^\n]*\n(?: [^\n]*\n)*? set priority ",
                       re.M)
# Both platforms configure `firewall zone`: without other evidence the platform is unknown.
_ZONE = re.compile(r"^firewall zone ", re.M)


def _as_list(value) -> list[str]:
    return [value] if isinstance(value, str) else list(value)


def _algs(words: list[str], table: dict[str, str]) -> list[str]:
    """Algorithm words of one line (USG lists several: `aes-256 aes-192 aes-128`; old AR writes `aes 256`)."""
    out, i = [], 0
    while i < len(words):
        w = words[i]
        if w == "aes" and i + 1 < len(words) and is_uint(words[i + 1]):
            w, i = f"aes-{words[i + 1]}", i + 1
        out.append(table.get(w, w))
        i += 1
    return list(dict.fromkeys(out))


@dataclass
class _Peer:
    name: str
    origin: Source
    version: str = "any"
    version_src: Source | None = None
    old_form: bool = False
    mode: tuple[str, Source] | None = None
    psk: PresharedKey | None = None
    proposals: list[str] = field(default_factory=list)
    local_type: str = "ip"
    local_id: tuple[str, Source] | None = None
    remote_id: tuple[str, Source] | None = None
    remote_type: str | None = None
    remote_address: tuple[str, Source] | None = None
    local_address: str | None = None
    dpd: tuple[Dpd, Source] | None = None
    dpd_order: tuple[str, Source] | None = None
    natt: tuple[bool, Source] | None = None


@dataclass
class _Policy:
    name: str
    origin: Source
    acl: tuple[str, Source] | None = None
    peer: tuple[str, Source] | None = None
    proposals: tuple[list[str], Source] | None = None
    pfs: tuple[int, Source] | None = None
    life_s: tuple[int, Source] | None = None
    life_kb: tuple[int, Source] | None = None
    local: str | None = None
    template: bool = False  # an `ipsec policy-template` entry: a responder that accepts any peer
    template_ref: tuple[str, Source] | None = None  # `ipsec policy P N isakmp template T`: T and the line


class _Parser(VrpParser):
    vendor = VENDOR
    keep = ("ike ", "ipsec ", "acl ", "interface ", "sysname ", "nat-policy", "bgp ", "firewall ", "security-policy")

    def __init__(self, text: str, file: str):
        super().__init__(text, file)
        self.platform, self.platform_known = self.detect_platform(text)
        self.release, self.release_src = self.find_release()
        self.ike_props: dict[str, IkeProposal] = {}
        self.builtin: IkeProposal | None = None  # `ike proposal default` as exported (USG)
        self.v2_integrity: dict[str, tuple[list[str], Source | None]] = {}  # proposal name -> IKEv2 integrity
        self.peers: dict[str, _Peer] = {}
        self.esp_props: dict[str, IpsecProposal] = {}
        self.policies: list[_Policy] = []
        self.templates: dict[str, list[_Policy]] = {}
        self.shared: dict[str, tuple[str, Source]] = {}  # policy name -> `shared local-interface` interface
        self.profiles: dict[str, _Policy] = {}
        self.global_life: dict[str, tuple[int, Source]] = {}
        self.global_dpd: tuple[Dpd, Source] | None = None
        self.global_dpd_order: tuple[str, Source] | None = None
        self.sha2_compatible: Source | None = None
        self.local_name: str | None = None
        self.bgp_asn: int | None = None
        self.bgp_peers: dict[str, tuple[int | None, Source]] = {}
        self.warned: set[str] = set()
        self.zone_line: Source | None = None  # the first `firewall zone` (platform evidence, see detect_platform)
        self.dynamic_wan: dict[str, Source] = {}  # interface -> its `ip address ppp-negotiate` / `dhcp-alloc` line

    @staticmethod
    def detect_platform(text: str) -> tuple[str, bool]:
        """("usg" | "ar", known). The release decides first: AR runs V200R/V300R019+, USG V500R/V600R."""
        head = text[:200_000]
        m = _RELEASE.search(head)
        if m and (m.group(1) == "200" or (m.group(1) == "300" and int(m.group(2)) >= 19)):
            return "ar", True
        if m and m.group(1) in ("500", "600"):
            return "usg", True
        # `[^\S\n]*`, not `\s*`: under re.M, `^\s*` ran from every line start across all following blank lines,
        # quadratic in a run of them (524 s for 191 KB of blank lines). Same matches: leading blanks of one line.
        if _USG_ONLY.search(head):
            return "usg", True
        return "ar", not _ZONE.search(head)

    def warn_platform(self) -> None:
        """`firewall zone` without other evidence: name the defaults that differ between AR and USG."""
        if self.platform_known or self.zone_line is None:
            return
        differ = sorted({(r.label or r.key).removesuffix(" (AR)") for r in DEFAULTS.rows if r.key.startswith("ar.")
                         and any(u.key == "usg." + r.key[3:] and u.value != r.value for u in DEFAULTS.rows)})
        self.note(self.zone_line, "platform unknown: `firewall zone` is configured on both Huawei AR routers and USG "
                                  "firewalls, and no release header (`!Software Version V200R...`), `security-policy` "
                                  "or `sysname USG` tells them apart; checked with the AR defaults, which differ from "
                                  "USG for: " + "; ".join(differ), "warning")

    def find_release(self) -> tuple[tuple[int, int] | None, Source | None]:
        m = _RELEASE.search(self.text_head)
        if not m:
            return None, None
        line = line_at(self.text_head, m.start())
        return (int(m.group(1)), int(m.group(2))), Source(file=self.file, line=line, text=m.group(0)[:120])

    # -- defaults, from parsers/huawei_vrp/defaults.py ------------------------------------------------
    def key(self, name: str) -> str:
        """The platform's row when the platforms differ (`ar.esp` / `usg.esp`), else the shared one."""
        full = f"{self.platform}.{name}"
        return full if any(r.key == full for r in DEFAULTS.rows) else name

    def dflt(self, name: str, at: Source | None, warn: bool = True) -> tuple[object, Source]:
        """(value, a defaulted Source whose note cites the row). Unknown release with differing rows: the newest
        row's value, a note naming the default as release-dependent and (``warn``) one warning per default."""
        key = self.key(name)
        p = DEFAULTS.pick(key, self.release)
        if p.row is not None:
            return p.row.value, self.default(DEFAULTS.note(key, self.release), at)
        row = p.candidates[-1]
        rel = ("the release is unknown (no `[V200R...]` header, `!Software Version` or `display version` line)"
               if self.release is None else f"no Huawei document gives it for V{self.release[0]}R{self.release[1]:03d}")
        cands = "; ".join(f"{r.releases}: {r.what}" for r in p.candidates)
        if warn and key not in self.warned and at is not None:
            self.warned.add(key)
            self.note(at, f"Huawei default {row.label or key} depends on the release and {rel} ({cands}); checked "
                          f"as {row.what}", "warning")
        return row.value, self.default(f"huawei-vrp default depends on the release, {rel}: {cands}; checked as "
                                       f"{row.what}", at)

    def dispatch(self, block: Block, w: list[str]) -> None:
        head = block.head.text
        if w[0] == "sysname" and len(w) > 1:
            self.cfg.hostname = w[1]
        elif w[0] == "acl":
            self.acl(block)
        elif w[0] == "interface":
            itf = self.interface(block, ("ipsec", "policy"))
            for c in block.children:
                if c.words[:2] == ["ip", "address"] and c.words[2:3] in (["ppp-negotiate"], ["dhcp-alloc"]):
                    self.dynamic_wan[itf.name] = self.src(c)
        elif w[:2] == ["firewall", "zone"] and self.zone_line is None:
            self.zone_line = self.src(block.head)
        elif w[:2] == ["ike", "proposal"] and len(w) > 2:
            self.ike_proposal(block, w[2])
        elif w[:2] == ["ike", "peer"] and len(w) > 2:
            self.ike_peer(block, w)
        elif w[:3] == ["ike", "dpd", "msg"] and len(w) > 3:
            self.global_dpd_order = (w[3], self.src(block.head))
        elif w[:3] == ["ike", "dpd", "type"] and len(w) > 3:  # USG global DPD (USG `ike dpd msg` reference)
            self.global_dpd = (Dpd(enabled=True, mode="periodic" if w[3] == "periodic" else "on-demand"),
                               self.src(block.head))
        elif w[:2] == ["ike", "local-name"] and len(w) > 2:
            self.local_name = w[2]
        elif w[:2] == ["ipsec", "proposal"] and len(w) > 2:
            self.ipsec_proposal(block, w[2])
        elif w[:4] in (["ipsec", "authentication", "sha2", "compatible"], ["ipsec", "sha2", "compatible", "enable"]):
            if w[-1] == "enable":
                self.sha2_compatible = self.src(block.head)
        elif w[:2] == ["ipsec", "policy"] and len(w) > 4 and w[3:5] == ["shared", "local-interface"]:
            self.shared[w[2]] = ("".join(w[5:]) if len(w) > 6 else (w[5] if len(w) > 5 else ""), self.src(block.head))
        elif w[:2] in (["ipsec", "policy"], ["ipsec", "policy-template"]) and len(w) > 3 and "manual" in w:
            self.note(block.head, "manual IPsec policy (no IKE): not checked")
        elif w[:2] == ["ipsec", "policy-template"] and len(w) > 3:
            pol = self.policy(block, " ".join(w[:4]))
            pol.template = True
            self.templates.setdefault(w[2], []).append(pol)
        elif w[:2] == ["ipsec", "policy"] and len(w) > 3:
            pol = self.policy(block, " ".join(w[:4]))
            if "template" in w:
                i = w.index("template")
                if i + 1 < len(w):
                    pol.template_ref = (w[i + 1], self.src(block.head))
            self.policies.append(pol)
        elif w[:2] == ["ipsec", "profile"] and len(w) > 2:
            self.profiles[w[2]] = self.policy(block, f"ipsec profile {w[2]}")
        elif head.startswith("ipsec sa global-duration") and len(w) > 4:
            self.global_life[w[3]] = (uint(w[4]), self.src(block.head))
        elif w[0] == "nat-policy":
            self.nat_policy(block)
        elif w[0] == "bgp" and len(w) > 1 and is_uint(w[1]):
            self.bgp_asn = uint(w[1])
            for c in block.children:
                cw = c.words
                if cw[0] == "peer" and len(cw) > 3 and cw[2] == "as-number" and is_ipv4(cw[1]):
                    self.bgp_peers[cw[1]] = (uint(cw[3]) if is_uint(cw[3]) else None, self.src(c))
        elif w[0] in ("ike", "ipsec") and not head.startswith(_NO_VERDICT):
            self.note(block.head, "global IKE/IPsec line not understood; ignored by the checks")

    def ike_proposal(self, block: Block, name: str) -> None:
        builtin = name == "default"
        kind = "ike-proposal.builtin" if builtin else "ike-proposal.created"
        (enc, integ, dh, life), note = self.dflt(kind, self.src(block.head), warn=False)
        enc, integ = _as_list(enc), _as_list(integ)
        prf, prf_note = self.dflt(f"{kind}.prf", self.src(block.head), warn=False)  # IKEv2 PRF: its own `prf` line
        p = IkeProposal(name=f"ike proposal {name}", encryption=enc, integrity=integ, prf=[prf], dh_groups=[dh],
                        lifetime_s=life, origin=self.src(block.head))
        p.src = {a: note for a in ("encryption", "integrity", "dh_groups", "lifetime_s")}
        p.src["prf"] = prf_note
        v2 = (["sha256"] if self.platform == "usg" else list(integ), note)  # USG `ike proposal` table: IKEv2 SHA2-256
        for c in block.children:
            cw = c.words
            if cw[0] == "encryption-algorithm" and len(cw) > 1:
                p.encryption, p.src["encryption"] = _algs(cw[1:], _ENC), self.src(c)
            elif cw[0] == "authentication-algorithm" and len(cw) > 1:
                p.integrity, p.src["integrity"] = _algs(cw[1:], _AUTH), self.src(c)
            elif cw[0] == "integrity-algorithm" and len(cw) > 1:  # IKEv2 only; `authentication-algorithm` is IKEv1's
                v2 = (_algs(cw[1:], _AUTH), self.src(c))
            elif cw[0] == "prf" and len(cw) > 1:
                p.prf, p.src["prf"] = _algs(cw[1:], _AUTH), self.src(c)
            elif cw[0] == "dh" and len(cw) > 1 and all(x.startswith("group") and is_uint(x[5:]) for x in cw[1:]):
                p.dh_groups, p.src["dh_groups"] = [uint(x[5:]) for x in cw[1:]], self.src(c)
            elif cw[0] == "authentication-method" and len(cw) > 1:
                p.auth_method = {"pre-share": "pre-share"}.get(cw[1], cw[1])
                p.src["auth_method"] = self.src(c)
            elif cw[:2] == ["sa", "duration"] and len(cw) > 2 and is_uint(cw[2]):
                p.lifetime_s, p.src["lifetime_s"] = uint(cw[2]), self.src(c)
            elif cw[0] != "description":
                self.note(c, f"not understood in {p.name}; ignored by the checks")
        self.v2_integrity[p.name] = v2
        if any(src is note for src in p.src.values()):  # a default stayed in effect: warn if it is release-dependent
            self.dflt(kind, p.origin)
        if builtin:
            self.builtin = p
        else:
            self.ike_props[name] = p

    def for_version(self, p: IkeProposal, version: str) -> IkeProposal:
        """IKEv1 authenticates with `authentication-algorithm`, IKEv2 with `integrity-algorithm`; a peer running
        both offers both."""
        v2, src = self.v2_integrity.get(p.name, (p.integrity, p.src.get("integrity")))
        if version == "ikev1" or (v2 == p.integrity and version != "ikev2"):
            return p
        integ = v2 if version == "ikev2" else list(dict.fromkeys(p.integrity + v2))  # ikev2: cite the IKEv2 line
        return p.model_copy(update={"integrity": integ, "src": {**p.src, "integrity": src}})

    def warn_prf(self, proposals: list[IkeProposal], peer: _Peer) -> None:
        """A defaulted PRF matters to IKEv2 only: warn there when its default depends on the release."""
        if peer.version == "ikev1":
            return
        for p in proposals:
            if p.src.get("prf") is not None and p.src["prf"].defaulted and p.origin is not None:
                self.dflt("ike-proposal.builtin.prf" if p.name.endswith(" default") else "ike-proposal.created.prf",
                          p.origin)

    def builtin_proposal(self, at: Source) -> IkeProposal:
        if self.builtin is not None:
            return self.builtin
        (enc, integ, dh, life), note = self.dflt("ike-proposal.builtin", at)
        enc, integ = _as_list(enc), _as_list(integ)
        prf, prf_note = self.dflt("ike-proposal.builtin.prf", at, warn=False)
        p = IkeProposal(name="ike proposal Default (built-in)", encryption=enc, integrity=integ, prf=[prf],
                        dh_groups=[dh], lifetime_s=life)
        p.src = {a: note for a in ("encryption", "integrity", "dh_groups", "lifetime_s")}
        p.src["prf"] = prf_note
        self.v2_integrity.setdefault(p.name, (["sha256"] if self.platform == "usg" else list(integ), note))
        return p

    def ike_peer(self, block: Block, w: list[str]) -> None:
        peer = _Peer(w[2], self.src(block.head))
        if len(w) > 3 and w[3] in ("v1", "v2"):
            peer.version, peer.version_src, peer.old_form = f"ike{w[3]}", self.src(block.head), True
        versions = {"ikev1", "ikev2"}
        for c in block.children:
            cw = c.words
            if cw[0] == "version" and len(cw) > 1:
                versions.add(f"ikev{cw[1]}")
                peer.version_src = self.src(c)
            elif cw[:2] == ["undo", "version"] and len(cw) > 2:
                versions.discard(f"ikev{cw[2]}")
                peer.version_src = self.src(c)
            elif cw[0] == "exchange-mode" and len(cw) > 1 and cw[1] in ("main", "aggressive", "auto"):
                peer.mode = ({"auto": "any"}.get(cw[1], cw[1]), self.src(c))
            elif cw[0] == "exchange-mode":
                self.note(c, "exchange-mode must be main, aggressive or auto; ignored", "warning")
            elif cw[0] == "pre-shared-key":
                peer.psk = self.psk(cw[1:], c)
            elif cw[0] == "ike-proposal" and len(cw) > 1:
                peer.proposals.append(cw[1])
            elif cw[0] in ("local-id-type", "id-type") and len(cw) > 1:
                peer.local_type = cw[1]
            elif cw[0] == "local-id" and len(cw) > 1:
                peer.local_id = (cw[1], self.src(c))
            elif cw[0] in ("remote-id", "remote-name") and len(cw) > 1:
                peer.remote_id = (cw[1], self.src(c))
            elif cw[0] == "remote-id-type" and len(cw) > 1:
                peer.remote_type = cw[1]
            elif cw[0] == "remote-address" and len(cw) > 1 and is_peer(cw[-1]):
                peer.remote_address = (cw[-1], self.src(c))
            elif cw[0] == "remote-address":
                self.note(c, "remote-address: not an IPv4 address or host name; ignored", "error")
            elif cw[0] == "local-address" and len(cw) > 1:
                peer.local_address = cw[1]
            elif cw[:2] == ["dpd", "type"] and len(cw) > 2:
                peer.dpd = (Dpd(enabled=True, mode="periodic" if cw[2] == "periodic" else "on-demand"), self.src(c))
            elif cw[:2] == ["dpd", "msg"] and len(cw) > 2:
                peer.dpd_order = (cw[2], self.src(c))
            elif cw[:2] == ["nat", "traversal"]:
                peer.natt = (True, self.src(c))
            elif cw[:3] == ["undo", "nat", "traversal"]:
                peer.natt = (False, self.src(c))
            elif cw[0] not in ("dpd", "description", "sa", "rsa", "ikev2", "lifetime-notification-message",
                               "service-scheme", "ike-proposal"):
                self.note(c, f"not understood in ike peer {peer.name}; ignored by the checks", keys=True)
        if not peer.old_form:
            peer.version = "any" if versions == {"ikev1", "ikev2"} else (versions.pop() if len(versions) == 1 else "any")
        self.peers[peer.name] = peer

    def ipsec_proposal(self, block: Block, name: str) -> None:
        origin = self.src(block.head)
        (enc, integ), note = self.dflt("esp", origin, warn=False)
        (proto, mode), tnote = self.dflt("ipsec-proposal.transform", origin)
        p = IpsecProposal(name=f"ipsec proposal {name}", encryption=[enc], integrity=[integ], protocol=proto,
                          mode=mode, origin=origin)
        p.src = {"encryption": note, "integrity": note, "protocol": tnote, "mode": tnote}
        for c in block.children:
            cw = c.words
            if cw[0] == "transform" and len(cw) > 1 and cw[1] in ("esp", "ah", "ah-esp"):
                p.protocol, p.src["protocol"] = cw[1], self.src(c)
            elif cw[:2] == ["esp", "encryption-algorithm"] and len(cw) > 2:
                p.encryption, p.src["encryption"] = _algs(cw[2:], _ENC), self.src(c)
            elif cw[:2] == ["esp", "authentication-algorithm"] and len(cw) > 2:
                p.integrity, p.src["integrity"] = _algs(cw[2:], _AUTH), self.src(c)
            elif cw[:2] == ["ah", "authentication-algorithm"]:
                pass
            elif cw[0] == "encapsulation-mode" and len(cw) > 1 and cw[1] in ("tunnel", "transport"):
                p.mode, p.src["mode"] = cw[1], self.src(c)
            elif cw[0] != "description":
                self.note(c, f"not understood in {p.name}; ignored by the checks")
        if note in (p.src["encryption"], p.src["integrity"]) and p.protocol != "ah":
            self.dflt("esp", origin)  # a default stayed in effect: warn if it is release-dependent
        self.esp_props[name] = p

    def policy(self, block: Block, name: str) -> _Policy:
        pol = _Policy(name, self.src(block.head))
        for c in block.children:
            cw = c.words
            if cw[:2] == ["security", "acl"] and security_acl(cw):
                pol.acl = (security_acl(cw), self.src(c))
            elif cw[0] == "ike-peer" and len(cw) > 1:
                pol.peer = (cw[1], self.src(c))
            elif cw[0] == "proposal" and len(cw) > 1:
                pol.proposals = (cw[1:], self.src(c))
            elif cw[0] == "pfs" and len(cw) > 1 and cw[1].startswith("dh-group"):
                pol.pfs = (uint(cw[1][8:]), self.src(c))
            elif cw[:3] == ["sa", "duration", "time-based"] and len(cw) > 3:
                pol.life_s = (uint(cw[3]), self.src(c))
            elif cw[:3] == ["sa", "duration", "traffic-based"] and len(cw) > 3:
                pol.life_kb = (uint(cw[3]) or None, self.src(c))  # 0 disables the traffic-based lifetime
            elif cw[:2] == ["tunnel", "local"] and len(cw) > 2:
                pol.local = cw[2]
            elif cw[0] not in ("sa", "route", "description", "tunnel", "qos", "anti-replay", "alias", "scenario"):
                self.note(c, f"not understood in {name}; ignored by the checks")
        return pol

    def nat_policy(self, block: Block) -> None:
        """USG NAT policies, both the `rule name` form and the older `policy N` interzone form."""
        rule: dict | None = None

        def flush():
            if rule and rule.get("action"):
                self.synthetic_nat(f"nat-policy-line-{rule['line'].no}", rule["src"], rule["dst"],
                                   rule["action"] == "no-nat", rule["line"])

        for c in block.children:
            cw = c.words
            if cw[:2] == ["rule", "name"] or (cw[0] == "policy" and len(cw) == 2 and is_uint(cw[1])):
                flush()
                rule = {"line": c, "src": [], "dst": [], "action": None}
            elif rule is None:
                continue
            elif cw[0] == "action" and len(cw) > 1:
                rule["action"] = cw[1]
            elif cw[0] in ("source-address", "destination-address") and len(cw) > 2:
                mask = cw[3] if cw[2] == "mask" and len(cw) > 3 else cw[2]
                net = vrp_network(cw[1], mask, wildcard=False)
                if net is not None:
                    rule["src" if cw[0].startswith("source") else "dst"].append(net)
            elif cw[0] == "policy" and len(cw) > 3 and cw[1] in ("source", "destination"):
                mask = cw[4] if cw[3] == "mask" and len(cw) > 4 else cw[3]
                net = vrp_network(cw[2], mask, wildcard=False)
                if net is not None:
                    rule["src" if cw[1] == "source" else "dst"].append(net)
        flush()

    # -- endpoints -----------------------------------------------------------------------------
    def build(self) -> None:
        self.warn_platform()
        for pol in self.policies:
            group = pol.name.split()[2]
            itfs = self.policy_itf.get(group, [])
            if not itfs:
                self.note(pol.origin, f"{pol.name} is not applied to any interface (` ipsec policy "
                                      f"{group}`); its tunnels never start", "warning")
            shared = self.shared.get(group)
            for entry, via in self.policy_entries(pol):
                self.endpoint(entry, itfs[0] if itfs else None, None, shared=shared, via=via)
        for itf, block in self.tunnels:
            prof = dest = source = None
            for c in block.children:
                cw = c.words
                if cw[:2] == ["ipsec", "profile"] and len(cw) > 2:
                    prof = (cw[2], self.src(c))
                elif cw[0] == "destination" and len(cw) > 1 and is_peer(cw[-1]):
                    dest = cw[-1]
                elif cw[0] == "destination":
                    self.note(c, "destination: not an IPv4 address or host name; ignored", "error")
                elif cw[0] == "source" and len(cw) > 1:
                    source = "".join(cw[1:])
            if prof is None:
                continue
            pol = self.profiles.get(prof[0])
            if pol is None:
                self.note(prof[1], f"ipsec profile {prof[0]} is not defined", "error")
                continue
            self.endpoint(pol, source, itf, dest)

    def ike(self, peer: _Peer) -> Ike:
        ike = Ike(version=peer.version, origin=peer.origin)
        if peer.version_src:
            ike.src["version"] = peer.version_src
        else:
            ike.version, ike.src["version"] = self.dflt("ike.version", peer.origin)
        if peer.mode:
            ike.mode, ike.src["mode"] = peer.mode
        else:
            ike.mode, ike.src["mode"] = self.dflt("ike.mode", peer.origin)
        for n in peer.proposals:
            if n in self.ike_props:
                ike.proposals.append(self.ike_props[n])
            elif n == "default":
                ike.proposals.append(self.builtin_proposal(peer.origin))
            else:
                self.note(peer.origin, f"ike peer {peer.name}: ike proposal {n} is not defined", "error")
        ike.proposals = [self.for_version(p, peer.version) for p in ike.proposals]
        self.warn_prf(ike.proposals if peer.proposals else list(self.ike_props.values()), peer)
        if not peer.proposals:  # every configured proposal by number (priority), then Default
            ordered = sorted(self.ike_props.items(), key=lambda kv: (not is_uint(kv[0]), uint(kv[0]) if is_uint(kv[0])
                                                                     else 0))
            ike.proposals = [self.for_version(p, peer.version) for p in
                             [p for _, p in ordered] + [self.builtin_proposal(peer.origin)]]
            ike.src["proposals"] = self.default(DEFAULTS.note("peer.no-proposal"), peer.origin)
        else:
            ike.src["proposals"] = (ike.proposals[0].origin if ike.proposals else None) or peer.origin
        ike.psk = peer.psk or PresharedKey(form="missing")
        if peer.psk:
            ike.src["psk"] = peer.psk.source
        self.dpd(ike, peer)
        if peer.natt:
            ike.nat_traversal, ike.src["nat_traversal"] = peer.natt
        else:
            natt, note = self.dflt("nat-traversal", peer.origin)
            ike.nat_traversal, ike.src["nat_traversal"] = natt and not peer.old_form, note
        return ike

    def dpd(self, ike: Ike, peer: _Peer) -> None:
        """The peer's `dpd type`, else the global `ike dpd type` (USG); the payload order matters to IKEv1 only."""
        found = peer.dpd or self.global_dpd
        if not found:
            enabled, ike.src["dpd"] = self.dflt("dpd", peer.origin)
            ike.dpd.enabled = enabled
            return
        ike.dpd, ike.src["dpd"] = found[0].model_copy(), found[1]
        if peer.version == "ikev2":
            return
        if not peer.dpd:  # the global `ike dpd type` sends in the global `ike dpd msg` order (USG `dpd msg` reference)
            order = self.global_dpd_order
        elif self.platform == "usg":  # a peer's own `dpd type` uses its own `dpd msg` or the default (same page)
            order = peer.dpd_order
        else:
            order = peer.dpd_order or self.global_dpd_order
        if order:
            ike.dpd.payload_order = "hash-notify" if order[0] == "seq-hash-notify" else "notify-hash"
            ike.src["dpd"] = order[1]
        else:
            ike.dpd.payload_order, ike.src["dpd"] = self.dflt("dpd.msg", found[1])

    def endpoint(self, pol: _Policy, outside: str | None, tunnel, dest: str | None = None,
                 shared: tuple[str, Source] | None = None, via: _Policy | None = None) -> None:
        head = via or pol  # the `ipsec policy` line the interface binds (the template entry holds the values)
        if pol.peer is None or pol.peer[0] not in self.peers:
            what = f"ike-peer {pol.peer[0]} is not defined" if pol.peer else "no `ike-peer`"
            self.note(pol.peer[1] if pol.peer else pol.origin, f"{pol.name}: {what}", "error")
            return
        peer = self.peers[pol.peer[0]]
        address = dest or (peer.remote_address[0] if peer.remote_address else None)
        if address is None and not pol.template:
            self.note(peer.origin, f"ike peer {peer.name} has no remote-address", "error")
        ike = self.ike(peer)
        local, local_src = None, None
        for where in (peer.local_address, pol.local, shared[0] if shared else None, outside):
            local = self.local_ip(where)
            if local:
                itf = self.cfg.interfaces.get(where)
                local_src = itf.source if itf else None
                if shared and where == shared[0]:
                    local_src = shared[1]
                break
        self.identities(ike, peer, local, address)
        ipsec = self.ipsec(pol)
        name = f"{tunnel.name} ({pol.name})" if tunnel else (f"{head.name} ({pol.name})" if via else pol.name)
        ep = Endpoint(name=name, kind="route" if tunnel else ("dynamic" if pol.template and not address else "policy"),
                      local_address=local, peer_address=address, interface=outside if not tunnel else tunnel.name,
                      ike=ike, ipsec=ipsec, origin=head.origin)
        if peer.remote_address:
            ep.src["peer_address"] = peer.remote_address[1]
        self.attach_wan(ep, outside)
        if local_src:
            ep.src["local_address"] = local_src
        if tunnel:
            self.route_based(ep, tunnel)
            ep.bgp = self.tunnel_bgp(tunnel)
        elif pol.acl:
            attach_acl_selectors(ep, self.cfg, pol.acl[0], pol.acl[1], "security acl")
            ep.per_pair_sas = True  # VRP negotiates one SA per ACL rule
        elif pol.template:  # USG "Using an IPSec Policy Template" (dc_cfg_ipsec_0117): no ACL accepts the initiator's
            ep.notes.append(Diagnostic(severity="info", file=self.file, line=pol.origin.line, text=pol.origin.text,
                                       message=f"{pol.name} has no `security acl`: as a responder it accepts the "
                                               "flows Alibaba proposes, so the protected subnets were not compared"))
        else:  # an ISAKMP policy protects the flows its ACL permits: none without one
            ep.notes.append(Diagnostic(severity="error", file=self.file, line=pol.origin.line, text=pol.origin.text,
                                       message=f"{pol.name} has no `security acl`: no traffic is protected and the "
                                               "subnets could not be compared"))
        self.note_dynamic_local(ep, outside, local)
        self.cfg.endpoints.append(ep)

    def note_dynamic_local(self, ep: Endpoint, outside: str | None, local: str | None) -> None:
        """A WAN address learned at dial-up (PPPoE, DHCP) is not in the export: say what goes unchecked."""
        line = self.dynamic_wan.get(outside or "")
        if local is not None or line is None:
            return
        ep.notes.append(Diagnostic(
            severity="info", file=self.file, line=line.line, text=line.text,
            message=f"dynamic local address (`{line.text.strip()}` on {outside}): the customer gateway IP and the "
                    "local identity (local-id-type ip) cannot be verified; check that the Alibaba customer gateway "
                    "holds the address this interface currently has, and that it does not change"))

    def identities(self, ike: Ike, peer: _Peer, local: str | None, address: str | None) -> None:
        if peer.local_type == "ip":
            if local:
                ike.local_id = Identity(type="ip", value=local)
                ike.src["local_id"] = self.dflt("local-id", peer.origin)[1]
        else:
            itype = {"fqdn": "fqdn", "name": "fqdn", "user-fqdn": "user-fqdn", "key-id": "key-id"}.get(peer.local_type, "dn")
            value = peer.local_id[0] if peer.local_id else self.local_name or self.cfg.hostname
            ike.local_id = Identity(type=itype, value=value)
            ike.src["local_id"] = peer.local_id[1] if peer.local_id else peer.origin
        if peer.remote_id:
            rtype = "ip" if is_ipv4(peer.remote_id[0]) else "fqdn"
            ike.remote_id, ike.src["remote_id"] = Identity(type=rtype, value=peer.remote_id[0]), peer.remote_id[1]
        elif address:
            ike.remote_id = Identity(type="ip", value=address)
            ike.src["remote_id"] = self.dflt("remote-id", peer.origin)[1]

    def ipsec(self, pol: _Policy) -> Ipsec:
        ipsec = Ipsec(origin=pol.origin)
        if pol.proposals:
            for n in pol.proposals[0]:
                if n in self.esp_props:
                    ipsec.proposals.append(self.esp_props[n])
                else:
                    self.note(pol.proposals[1], f"ipsec proposal {n} is not defined", "error")
            ipsec.src["proposals"] = pol.proposals[1]
        else:
            self.note(pol.origin, f"{pol.name} has no `proposal`", "error")
        if pol.pfs:
            ipsec.pfs_group, ipsec.src["pfs_group"] = pol.pfs
        else:
            ipsec.pfs_group, ipsec.src["pfs_group"] = self.dflt("pfs", pol.origin)
        (life_s, life_kb), note = self.dflt("sa.lifetime", pol.origin)
        self.sa_lifetimes(ipsec, pol, life_s, life_kb, note)
        if any(i in _SHA2 for p in ipsec.proposals for i in p.integrity):
            if self.sha2_compatible:
                ipsec.sha2_rfc4868, ipsec.src["sha2_rfc4868"] = True, self.sha2_compatible
            else:
                ipsec.sha2_rfc4868, ipsec.src["sha2_rfc4868"] = self.dflt("ipsec.sha2-compatible",
                                                                          ipsec.src.get("proposals") or pol.origin)
        return ipsec

    def tunnel_bgp(self, itf) -> Bgp | None:
        return tunnel_bgp(itf, self.bgp_peers, self.bgp_asn)


def parse(text: str, file: str):
    return _Parser(text, file).run()
