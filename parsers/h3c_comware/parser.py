"""H3C Comware 7 (and the Comware 5 `ike peer` / `ipsec proposal` / `ike dpd NAME` forms) -> DeviceConfig.

Every default applied when a line is absent comes from ``parsers.h3c_comware.defaults.DEFAULTS`` (per release,
with its source). The release is read from the export's ` version 7.1.064, Release 0605P15` line; when it is
unknown and a default depends on it, a warning names the default and its candidates.
`security acl N` without `aggregation` is the standard mode: one IPsec SA per ACL rule.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from netaddr import IPAddress, IPNetwork

from analyzer.model import (Diagnostic, Dpd, Endpoint, Identity, Ike, IkeProposal, Ipsec, IpsecProposal, PresharedKey,
                            Source)
from parsers.blocks import Block, line_at
from parsers.cisco_common import is_ipv4
from parsers.values import ip_in, is_peer, is_uint, uint
from parsers.common import attach_acl_selectors, tunnel_bgp
from parsers.vrp_common import VrpParser, security_acl, vrp_network

from parsers.defaults import Pick, parse_release
from parsers.h3c_comware import VENDOR
from parsers.h3c_comware.defaults import DEFAULTS

# ` version 7.1.064, Release 0605P15` (Comware 7) / ` version 5.20, Release 2516P01` (Comware 5), near the top
_VERSION = re.compile(r"^ ?version (\d+\.\d+(?:\.\d+)?)(?:, (?:Release|ESS) \S+)?[ \t\r]*$", re.MULTILINE)
# Comware prints global one-line commands one space in, after a `#` separator: read from the text itself
_LOCAL_NAME = re.compile(r"^ ?ike local-name (\S+)", re.MULTILINE)
_IDENTITY = re.compile(r"^ ?ike identity (address|fqdn|user-fqdn)(?:[ \t]+(\S+))?[ \t\r]*$", re.MULTILINE)
_SYSNAME = re.compile(r"^ ?sysname (\S+)", re.MULTILINE)
_GLOBAL_ONE_LINERS = (["ike", "local-name"], ["ike", "identity"])

_ENC = {"des-cbc": "des", "3des-cbc": "3des", "aes-cbc-128": "aes128", "aes-cbc-192": "aes192",
        "aes-cbc-256": "aes256", "aes-gcm-128": "aes128-gcm", "aes-gcm-256": "aes256-gcm", "des": "des",
        "3des": "3des", "aes-128": "aes128", "aes-192": "aes192", "aes-256": "aes256", "aes-cbc": "aes128"}
_AUTH = {"md5": "md5", "sha": "sha1", "sha1": "sha1", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}


@dataclass
class _Profile:
    name: str
    origin: Source
    version: str
    keychains: list[str] = field(default_factory=list)
    mode: tuple[str, Source] | None = None
    local_id: tuple[Identity, Source] | None = None
    remote_ids: list[tuple[Identity, IPNetwork | None, Source]] = field(default_factory=list)
    proposals: list[str] = field(default_factory=list)
    dpd: tuple[Dpd, Source] | None = None
    lifetime: tuple[int, Source] | None = None
    psk: PresharedKey | None = None  # Comware 5 `ike peer`
    remote_address: tuple[str, Source] | None = None
    natt: tuple[bool, Source] | None = None
    dpd_name: tuple[str, Source] | None = None  # Comware 5 ` dpd NAME` -> `ike dpd NAME`
    id_type: tuple[str, Source] | None = None  # Comware 5 ` id-type ip|name|user-fqdn`
    local_name: tuple[str, Source] | None = None  # Comware 5 peer ` local-name X`


@dataclass
class _Policy:
    name: str
    origin: Source
    transform_sets: tuple[list[str], Source] | None = None
    acl: tuple[str, Source] | None = None
    aggregation: bool = False
    remote: tuple[str, Source] | None = None
    local: str | None = None
    profile: tuple[str, Source] | None = None
    life_s: tuple[int, Source] | None = None
    life_kb: tuple[int, Source] | None = None
    pfs: tuple[int, Source] | None = None  # Comware 5 puts PFS in the policy
    template: bool = False  # an `ipsec policy-template T N` entry: a responder (peer optional)
    template_ref: tuple[str, Source] | None = None  # `ipsec policy P N isakmp template T`: T and the line


class _Parser(VrpParser):
    vendor = VENDOR
    keep = ("ike ", "ikev2 ", "ipsec ", "acl ", "interface ", "sysname ", "nat ", "bgp ")
    # HPE 5920/5900 Layer 3 IP Services Command Reference (Comware 7), `tcp mss value` (interface view); HP
    # HSR6800 Layer 3 IP Services Command Reference (Comware 5, R3303), `tcp mss`
    mss_words = ["tcp", "mss"]

    def __init__(self, text: str, file: str):
        super().__init__(text, file)
        self.ike_props: dict[str, IkeProposal] = {}
        self.v2_props: dict[str, IkeProposal] = {}
        self.v2_policy_props: list[str] = []
        self.keychains: dict[str, list[tuple[IPNetwork | None, str | None, PresharedKey]]] = {}
        self.profiles: dict[str, _Profile] = {}
        self.sets: dict[str, tuple[IpsecProposal, tuple[int, Source] | None]] = {}
        self.policies: list[_Policy] = []
        self.ipsec_profiles: dict[str, _Policy] = {}
        self.templates: dict[str, list[_Policy]] = {}
        self.global_life: dict[str, tuple[int, Source]] = {}
        self.global_dpd: dict[str, tuple[Dpd, Source]] = {}  # "ike" (IKEv1) / "ikev2" -> system-view DPD
        self.named_dpd: dict[str, tuple[Dpd, Source]] = {}
        self.bgp_asn: int | None = None
        self.bgp_peers: dict[str, tuple[int | None, Source]] = {}  # neighbour -> (AS, its ` peer` line)
        for b in self.blocks:  # one-space global lines after a `#` land under the block before it: not its own
            if any(t.startswith("ike") for t in b.texts()):  # the usual block has none: no Line made, no split
                b.children = [c for c in b.children if c.words[:2] not in _GLOBAL_ONE_LINERS]
        self.said: set[str] = set()
        self.release, self.release_src = self.find_release()
        self.local_name = self.global_line(_LOCAL_NAME, "ike local-name", text)
        host = self.global_line(_SYSNAME, "sysname", text)
        if host:
            self.cfg.hostname = host[0]
        self.global_identity = self.ike_identity(text)

    # -- release and defaults --------------------------------------------------------------------
    def find_release(self) -> tuple[tuple[int, ...] | None, Source | None]:
        m = _VERSION.search(self.text_head)
        if not m:
            return None, None
        no = line_at(self.text_head, m.start())
        return parse_release(m.group(1)), Source(file=self.file, line=no, text=m.group(0).strip())

    def global_line(self, pattern: re.Pattern, literal: str, text: str) -> tuple[str, Source] | None:
        m = pattern.search(text) if literal in text else None  # `in` first: a fast scan of a huge export
        if not m:
            return None
        no = line_at(text, m.start())
        return m.group(1), Source(file=self.file, line=no, text=m.group(0).strip())

    def ike_identity(self, text: str) -> tuple[Identity, Source] | None:
        """Comware 7 global `ike identity address X | fqdn [X] | user-fqdn [X]`: the identity of every profile
        without `local-identity`; fqdn / user-fqdn without a name is the sysname (S_C7_ID)."""
        m = _IDENTITY.search(text) if "ike identity" in text else None
        if not m:
            return None
        kind, value = m.group(1), m.group(2) or self.cfg.hostname
        if kind == "address" and value == "ipv6":
            return None
        src = Source(file=self.file, line=line_at(text, m.start()), text=m.group(0).strip())
        return Identity(type={"address": "ip"}.get(kind, kind), value=value), src

    def value(self, key: str):
        """The table's value for this release; an unknown or undocumented release is said once, by name."""
        p = DEFAULTS.pick(key, self.release)
        if p.row is not None:
            return p.row.value
        if len({repr(r.value) for r in p.candidates}) > 1:
            self.depends(key, p)
        return p.candidates[-1].value

    def dflt(self, key: str, at: Source | None = None, extra: str = "") -> Source:
        return self.default(DEFAULTS.note(key, self.release) + (f"; {extra}" if extra else ""), at)

    def depends(self, key: str, p: Pick, at: Source | None = None) -> None:
        if key in self.said:
            return
        self.said.add(key)
        rel = ("the release is unknown (no ` version X, Release Y` line)" if self.release is None else
               f"no H3C document gives it for release {'.'.join(map(str, self.release))}")
        label = p.candidates[-1].label or key
        cands = "; ".join(f"{r.releases}: {r.what}" for r in p.candidates)
        self.cfg.diagnostics.append(Diagnostic(
            severity="warning", file=self.file, line=at.line if at else None, text=at.text if at else None,
            message=f"{label}: the H3C default depends on the release and {rel} ({cands}); checked as "
                    f"{p.candidates[-1].releases}. Keep the export's ` version` line to settle it"))

    def dispatch(self, block: Block, w: list[str]) -> None:
        if w[0] == "sysname" and len(w) > 1:
            self.cfg.hostname = w[1]
        elif w[0] == "acl":
            self.acl(block)
        elif w[0] == "interface":
            self.interface(block, ("ipsec", "apply", "policy"))
            for c in block.children:  # Comware 5 binds with ` ipsec policy NAME`
                if c.words[:2] == ["ipsec", "policy"] and len(c.words) > 2:
                    self.policy_itf.setdefault(c.words[2], []).append(" ".join(w[1:]))
        elif w[:2] == ["ike", "proposal"] and len(w) > 2:
            self.ike_proposal(block, w[2], v2=False)
        elif w[:2] == ["ikev2", "proposal"] and len(w) > 2:
            self.ike_proposal(block, w[2], v2=True)
        elif w[:2] == ["ikev2", "policy"]:
            self.v2_policy_props += [n for c in block.children if c.words[0] == "proposal" for n in c.words[1:]]
        elif w[:2] in (["ike", "keychain"], ["ikev2", "keychain"]) and len(w) > 2:
            self.keychain(block, w[2], v2=w[0] == "ikev2")
        elif w[:2] in (["ike", "profile"], ["ikev2", "profile"], ["ike", "peer"]) and len(w) > 2:
            self.profile(block, w)
        elif w[:2] == ["ike", "dpd"] and len(w) == 3 and w[2] != "interval":
            self.dpd_detector(block, w[2])
        elif w[:3] in (["ike", "dpd", "interval"], ["ikev2", "dpd", "interval"]) and len(w) > 3:
            self.global_dpd[w[0]] = (_dpd(w), self.src(block.head))
        elif w[:2] in (["ipsec", "transform-set"], ["ipsec", "proposal"]) and len(w) > 2:
            self.transform_set(block, w[2], cmw5=w[1] == "proposal")
        elif w[:2] in (["ipsec", "policy"], ["ipsec", "policy-template"]) and len(w) > 3:
            if "manual" in w:
                self.note(block.head, "manual IPsec policy (no IKE): not checked")
            elif w[1] == "policy-template":
                pol = self.policy(block, " ".join(w[:4]))
                pol.template = True
                self.templates.setdefault(w[2], []).append(pol)
            else:
                pol = self.policy(block, " ".join(w[:4]))
                if "template" in w[4:-1]:
                    pol.template_ref = (w[w.index("template", 4) + 1], self.src(block.head))
                self.policies.append(pol)
        elif w[:2] == ["ipsec", "profile"] and len(w) > 2:
            self.ipsec_profiles[w[2]] = self.policy(block, f"ipsec profile {w[2]}")
        elif w[:3] == ["ipsec", "sa", "global-duration"] and len(w) > 4:
            self.global_life[w[3]] = (uint(w[4]), self.src(block.head))
        elif w[0] == "bgp" and len(w) > 1 and is_uint(w[1]):  # ` peer A as-number N` (H3C MSR BGP command ref.)
            self.bgp_asn = self.cfg.bgp_asn = uint(w[1])
            for c in block.children:
                cw = c.words
                if cw[0] == "peer" and len(cw) > 3 and cw[2] == "as-number" and is_ipv4(cw[1]):
                    self.bgp_peers[cw[1]] = (uint(cw[3]) if is_uint(cw[3]) else None, self.src(c))
        elif w[:2] in (["ike", "local-name"], ["ike", "identity"]):
            pass  # read from the text in __init__ (Comware prints them one space in, outside any block)
        elif w[0] in ("ike", "ikev2", "ipsec"):
            self.note(block.head, "not understood; ignored by the checks")

    def ike_proposal(self, block: Block, name: str, v2: bool) -> None:
        if v2:
            p = IkeProposal(name=f"ikev2 proposal {name}", origin=self.src(block.head),
                            lifetime_s=self.value("ikev2.lifetime"))
            p.src["lifetime_s"] = self.dflt("ikev2.lifetime", p.origin)
        else:
            p = self.default_ike(f"ike proposal {name}", "ike.proposal", self.src(block.head))
        for c in block.children:
            cw = c.words
            if cw[0] in ("encryption-algorithm", "encryption") and len(cw) > 1:
                vals = ["-".join(cw[1:3])] if len(cw) > 2 and cw[1] == "aes-cbc" else cw[1:]
                p.encryption, p.src["encryption"] = [_ENC.get(v, v) for v in vals], self.src(c)
            elif cw[0] in ("authentication-algorithm", "integrity") and len(cw) > 1:
                p.integrity, p.src["integrity"] = [_AUTH.get(v, v) for v in cw[1:]], self.src(c)
                if not v2:
                    p.prf = list(p.integrity)
            elif cw[0] == "prf" and len(cw) > 1:
                p.prf, p.src["prf"] = [_AUTH.get(v, v) for v in cw[1:]], self.src(c)
            elif cw[0] == "dh" and len(cw) > 1:
                p.dh_groups, p.src["dh_groups"] = [int(v[5:]) for v in cw[1:] if is_uint(v[5:])], self.src(c)
            elif cw[0] == "authentication-method" and len(cw) > 1:
                p.auth_method, p.src["auth_method"] = cw[1], self.src(c)
            elif cw[:2] == ["sa", "duration"] and len(cw) > 2:
                p.lifetime_s, p.src["lifetime_s"] = uint(cw[2]), self.src(c)
            elif cw[0] != "description":
                self.note(c, f"not understood in {p.name}; ignored by the checks")
        if v2 and not p.prf:
            p.prf = list(p.integrity)
        (self.v2_props if v2 else self.ike_props)[name] = p

    def dpd_detector(self, block: Block, name: str) -> None:
        """Comware 5 `ike dpd NAME` (` interval-time S`, ` time-out S`), applied by a peer's ` dpd NAME`; it
        probes when traffic is sent and nothing came back for the interval, i.e. on demand (S_C5_DPD)."""
        timers = dict(self.value("dpd.named"))
        head = self.src(block.head)
        said = set()
        for c in block.children:
            cw = c.words
            if cw[0] in ("interval-time", "time-out") and len(cw) > 1 and is_uint(cw[1]):
                timers["interval_s" if cw[0] == "interval-time" else "retry_s"] = uint(cw[1])
                said.add(cw[0])
            else:
                self.note(c, f"not understood in ike dpd {name}; ignored by the checks")
        src = head if len(said) == 2 else self.dflt("dpd.named", head, "timers not set in the block")
        self.named_dpd[name] = (Dpd(enabled=True, mode="on-demand", **timers), src)

    def default_ike(self, name: str, key: str, at: Source | None, extra: str = "") -> IkeProposal:
        """An IKEv1 proposal holding the table's values for ``key``, each sourced to that row."""
        d = self.value(key)
        p = IkeProposal(name=name, encryption=list(d["encryption"]), integrity=list(d["integrity"]),
                        prf=list(d["integrity"]), dh_groups=list(d["dh_groups"]), lifetime_s=d["lifetime_s"],
                        origin=at)
        p.src = {a: self.dflt(key, at, extra) for a in ("encryption", "integrity", "dh_groups", "lifetime_s")}
        return p

    def keychain(self, block: Block, name: str, v2: bool) -> None:
        keys = self.keychains.setdefault(name, [])
        net = host = None
        for c in block.children:  # v1: `pre-shared-key address IP [MASK|LEN] key simple|cipher K`
            cw = c.words
            if v2 and cw[0] == "peer":
                net = host = None
            elif v2 and cw[0] == "address" and len(cw) > 1:
                net = vrp_network(cw[1], cw[2] if len(cw) > 2 else None, wildcard=False)
            elif v2 and cw[0] == "hostname" and len(cw) > 1:
                host = cw[1]
            elif cw[0] == "pre-shared-key":
                if "key" in cw:
                    k = cw.index("key")
                    target = cw[1:k]
                    t_net = vrp_network(target[1], target[2] if len(target) > 2 else None, wildcard=False) \
                        if target[:1] == ["address"] and len(target) > 1 else None
                    keys.append((t_net, target[1] if target[:1] == ["hostname"] else None, self.psk(cw[k + 1:], c)))
                else:  # ikev2: pre-shared-key [local|remote] plaintext|ciphertext K
                    rest = cw[2:] if len(cw) > 2 and cw[1] in ("local", "remote") else cw[1:]
                    keys.append((net, host, self.psk(rest, c)))

    def profile(self, block: Block, w: list[str]) -> None:
        version = "ikev2" if w[0] == "ikev2" else "ikev1"
        prof = _Profile(w[2], self.src(block.head), version)
        for c in block.children:
            cw = c.words
            if cw[0] == "keychain" and len(cw) > 1:
                prof.keychains.append(cw[1])
            elif cw[0] == "exchange-mode" and len(cw) > 1 and cw[1] in ("main", "aggressive"):
                prof.mode = (cw[1], self.src(c))
            elif cw[0] == "exchange-mode":
                self.note(c, "exchange-mode must be main or aggressive; ignored", "warning")
            elif cw[0] in ("local-identity", "identity") and len(cw) > 2:
                rest = cw[2:] if cw[0] == "identity" else cw[1:]
                kind, value = rest[0], rest[-1]
                itype = {"address": "ip", "fqdn": "fqdn", "user-fqdn": "user-fqdn", "email": "user-fqdn"}.get(kind, "dn")
                prof.local_id = (Identity(type=itype, value=value), self.src(c))
            elif cw[:3] == ["match", "remote", "identity"] and len(cw) > 4:
                kind, value = cw[3], cw[4]
                net = vrp_network(value, cw[5] if len(cw) > 5 else None, wildcard=False) if kind == "address" else None
                itype = {"address": "ip", "fqdn": "fqdn", "user-fqdn": "user-fqdn", "email": "user-fqdn"}.get(kind, "key-id")
                prof.remote_ids.append((Identity(type=itype, value=value), net, self.src(c)))
            elif cw[0] == "proposal" and len(cw) > 1:
                prof.proposals += cw[1:]
            elif cw[0] == "dpd" and "interval" in cw:
                prof.dpd = (_dpd(cw), self.src(c))
            elif cw[0] == "dpd" and len(cw) == 2:  # Comware 5: a named `ike dpd` detector
                prof.dpd_name = (cw[1], self.src(c))
            elif cw[0] == "id-type" and len(cw) > 1 and cw[1] in ("ip", "name", "user-fqdn"):
                prof.id_type = (cw[1], self.src(c))
            elif cw[0] == "local-name" and len(cw) > 1:
                prof.local_name = (cw[1], self.src(c))
            elif cw[:2] == ["sa", "duration"] and len(cw) > 2:
                prof.lifetime = (uint(cw[2]), self.src(c))
            elif cw[0] == "pre-shared-key":  # Comware 5 ike peer
                prof.psk = self.psk(cw[1:], c)
            elif cw[0] == "remote-address" and len(cw) > 1 and is_peer(cw[-1]):
                prof.remote_address = (cw[-1], self.src(c))
            elif cw[0] == "remote-address":
                self.note(c, "remote-address: not an IPv4 address or host name; ignored", "error")
            elif cw[0] == "remote-name" and len(cw) > 1:
                prof.remote_ids.append((Identity(type="fqdn", value=cw[1]), None, self.src(c)))
            elif cw[:2] == ["nat", "traversal"]:
                prof.natt = (True, self.src(c))
            elif cw[0] not in ("description", "priority", "match", "inside-vpn", "authentication-method",
                               "id-type", "local-name", "dpd", "nat", "config-exchange", "aaa"):
                self.note(c, f"not understood in {' '.join(w[:3])}; ignored by the checks", keys=True)
        self.profiles[f"{version}:{prof.name}"] = prof
        if w[1] == "peer":
            self.profiles[f"peer:{prof.name}"] = prof

    def transform_set(self, block: Block, name: str, cmw5: bool) -> None:
        p = IpsecProposal(name=f"ipsec {'proposal' if cmw5 else 'transform-set'} {name}", origin=self.src(block.head))
        d = self.value("transform-set")
        p.protocol, p.mode = d["protocol"], d["mode"]
        p.src = {"protocol": self.dflt("transform-set", p.origin), "mode": self.dflt("transform-set", p.origin)}
        if cmw5:
            d = self.value("ipsec.proposal_cmw5")
            p.encryption, p.integrity = list(d["encryption"]), list(d["integrity"])
            p.src["encryption"] = p.src["integrity"] = self.dflt("ipsec.proposal_cmw5", p.origin)
        pfs = None
        for c in block.children:
            cw = c.words
            if cw[0] in ("protocol", "transform") and len(cw) > 1:
                p.protocol, p.src["protocol"] = cw[1], self.src(c)
            elif cw[:2] == ["esp", "encryption-algorithm"] and len(cw) > 2:
                vals = ["-".join(cw[2:4])] if len(cw) > 3 and cw[2] == "aes" else cw[2:]
                p.encryption = [_ENC.get(v, v) for v in vals]
                p.src["encryption"] = self.src(c)
            elif cw[:2] == ["esp", "authentication-algorithm"] and len(cw) > 2:
                p.integrity, p.src["integrity"] = [_AUTH.get(v, v) for v in cw[2:]], self.src(c)
            elif cw[0] == "encapsulation-mode" and len(cw) > 1 and cw[1] in ("tunnel", "transport"):
                p.mode, p.src["mode"] = cw[1], self.src(c)
            elif cw[0] == "pfs" and len(cw) > 1 and cw[1].startswith("dh-group"):
                pfs = (uint(cw[1][8:]), self.src(c))
            elif cw[0] not in ("description", "ah", "esn"):
                self.note(c, f"not understood in {p.name}; ignored by the checks")
        if p.protocol != "ah" and (not p.encryption or not p.integrity):
            self.note(p.origin, f"{p.name} has no ESP encryption/authentication algorithm: the set is incomplete",
                      "error")
        self.sets[name] = (p, pfs)

    def policy(self, block: Block, name: str) -> _Policy:
        pol = _Policy(name, self.src(block.head))
        for c in block.children:
            cw = c.words
            if cw[0] in ("transform-set", "proposal") and len(cw) > 1:
                pol.transform_sets = (cw[1:], self.src(c))
            elif cw[:2] == ["security", "acl"] and security_acl(cw):
                pol.acl, pol.aggregation = (security_acl(cw), self.src(c)), "aggregation" in cw
            elif cw[0] == "remote-address" and len(cw) > 1 and is_peer(cw[-1]):
                pol.remote = (cw[-1], self.src(c))
            elif cw[0] == "remote-address":
                self.note(c, "remote-address: not an IPv4 address or host name; ignored", "error")
            elif cw[0] == "local-address" and len(cw) > 1:
                pol.local = cw[1]
            elif cw[0] in ("ike-profile", "ikev2-profile", "ike-peer") and len(cw) > 1:
                pol.profile = (f"{'ikev2' if cw[0] == 'ikev2-profile' else 'ikev1' if cw[0] == 'ike-profile' else 'peer'}:{cw[1]}",
                               self.src(c))
            elif cw[:3] == ["sa", "duration", "time-based"] and len(cw) > 3:
                pol.life_s = (uint(cw[3]), self.src(c))
            elif cw[:3] == ["sa", "duration", "traffic-based"] and len(cw) > 3:
                pol.life_kb = (uint(cw[3]), self.src(c))
            elif cw[0] == "pfs" and len(cw) > 1 and cw[1].startswith("dh-group"):
                pol.pfs = (uint(cw[1][8:]), self.src(c))
            elif cw[0] not in ("description", "sa", "tfc", "qos", "reverse-route", "anti-replay", "tunnel"):
                self.note(c, f"not understood in {name}; ignored by the checks")
        return pol

    def build(self) -> None:
        for pol in self.policies:
            itfs = self.policy_itf.get(pol.name.split()[2], [])
            if not itfs:
                self.note(pol.origin, f"{pol.name} is not applied to any interface; its tunnels never start", "warning")
            for entry, via in self.policy_entries(pol):
                self.endpoint(entry, itfs[0] if itfs else None, None, None, via=via)
        used = {pol.template_ref[0] for pol in self.policies if pol.template_ref}
        for name in self.templates.keys() - used:
            self.note(self.templates[name][0].origin, f"ipsec policy-template {name} is not referenced by an `ipsec "
                                                      "policy ... isakmp template`: not checked")
        for itf, block in self.tunnels:
            prof = dest = source = None
            for c in block.children:
                cw = c.words
                if cw[:3] == ["tunnel", "protection", "ipsec"] and len(cw) > 4:
                    prof = (cw[4], self.src(c))
                elif cw[:2] == ["ipsec", "profile"] and len(cw) > 2:  # Comware 5 IPsec tunnel interface
                    prof = (cw[2], self.src(c))
                elif cw[0] == "destination" and len(cw) > 1 and is_peer(cw[-1]):
                    dest = cw[-1]
                elif cw[0] == "destination":
                    self.note(c, "destination: not an IPv4 address or host name; ignored", "error")
                elif cw[0] == "source" and len(cw) > 1:
                    source = cw[-1]
            if prof:
                pol = self.ipsec_profiles.get(prof[0])
                if pol is None:
                    self.note(prof[1], f"ipsec profile {prof[0]} is not defined", "error")
                else:
                    self.endpoint(pol, source, itf, dest)

    def endpoint(self, pol: _Policy, outside: str | None, tunnel, dest: str | None, via: _Policy | None = None) -> None:
        """``via``: the `ipsec policy P N isakmp template T` line that binds template entry ``pol``; the entry holds
        the values, so fixes edit it (H3C S5830V2 Security Configuration Guide, "Configuring an IKE-based IPsec
        policy": a policy referencing a template only responds; "The parameters not defined in the template are
        determined by the initiator"; the remote address "is optional on the responder")."""
        prof = self.profiles.get(pol.profile[0]) if pol.profile else None
        if pol.profile and prof is None:
            self.note(pol.profile[1], f"{pol.name}: {pol.profile[0].split(':')[1]} is not defined", "error")
        peer = dest or (pol.remote[0] if pol.remote else prof.remote_address[0] if prof and prof.remote_address else None)
        version = prof.version if prof else "ikev1"
        ike = Ike(version=version, mode=prof.mode[0] if prof and prof.mode else self.value("ike.mode"),
                  origin=prof.origin if prof else None)
        ike.src["version"] = pol.profile[1] if pol.profile else self.default("no ike profile: IKEv1 with global settings",
                                                                            pol.origin)
        ike.src["mode"] = prof.mode[1] if prof and prof.mode else self.dflt("ike.mode", pol.origin)
        if version == "ikev2" and self.release and self.release[0] == 5:
            self.comware5_ikev2(ike.src["version"])
        self.ike_proposals(ike, prof, pol)
        psk = prof.psk if prof else None
        rings = prof.keychains if prof and prof.keychains else list(self.keychains)
        lookup = peer or self.expected_peer(prof)  # a template without remote-address: the peer it expects
        if psk is None and lookup and is_ipv4(lookup):
            best = -1
            for ring in rings:
                for net, _, key in self.keychains.get(ring, []):
                    if net is not None and IPAddress(lookup) in net and net.prefixlen > best:
                        psk, best = key, net.prefixlen
        elif psk is None and lookup is None:  # a responder for any peer: the initiator's address picks the key
            psk = self.any_peer_key(rings, pol)
        ike.psk = psk or PresharedKey(form="missing")
        if psk:
            ike.src["psk"] = psk.source
        local = self.local_ip(pol.local) or self.local_ip(outside)
        self.local_identity(ike, prof, pol, local)
        if prof and prof.remote_ids:
            ident, _, s = prof.remote_ids[0]
            ike.remote_id, ike.src["remote_id"] = ident, s
        elif peer:
            ike.remote_id = Identity(type="ip", value=peer)
            ike.src["remote_id"] = self.dflt("remote_id", pol.origin)
        self.dpd(ike, prof, pol)
        if prof and prof.natt:
            ike.nat_traversal, ike.src["nat_traversal"] = prof.natt
        else:
            ike.nat_traversal, ike.src["nat_traversal"] = self.value("nat_traversal"), self.dflt("nat_traversal")
        ipsec = Ipsec(origin=pol.origin)
        if pol.transform_sets:
            for n in pol.transform_sets[0]:
                if n in self.sets:
                    ts, pfs = self.sets[n]
                    ipsec.proposals.append(ts)
                    if pfs and ipsec.pfs_group is None:
                        ipsec.pfs_group, ipsec.src["pfs_group"] = pfs
                else:
                    self.note(pol.transform_sets[1], f"transform-set {n} is not defined", "error")
            ipsec.src["proposals"] = pol.transform_sets[1]
        else:
            self.note(pol.origin, f"{pol.name} has no transform-set", "error")
        if pol.pfs:
            ipsec.pfs_group, ipsec.src["pfs_group"] = pol.pfs
        ipsec.src.setdefault("pfs_group", self.dflt("pfs", pol.origin))
        life = self.value("ipsec.lifetime")
        self.sa_lifetimes(ipsec, pol, life["s"], life["kb"], self.dflt("ipsec.lifetime", pol.origin))
        name = f"{tunnel.name} ({pol.name})" if tunnel else (f"{via.name} ({pol.name})" if via else pol.name)
        kind = "route" if tunnel else ("dynamic" if pol.template and not peer else "policy")
        ep = Endpoint(name=name, kind=kind, local_address=local, peer_address=peer,
                      interface=tunnel.name if tunnel else outside, ike=ike, ipsec=ipsec, origin=pol.origin)
        if pol.remote:
            ep.src["peer_address"] = pol.remote[1]
        self.attach_wan(ep, outside)
        if outside in self.cfg.interfaces:
            ep.src["local_address"] = self.cfg.interfaces[outside].source
        if tunnel:
            self.route_based(ep, tunnel)
            ep.bgp = tunnel_bgp(tunnel, self.bgp_peers, self.bgp_asn)
        elif pol.acl:
            attach_acl_selectors(ep, self.cfg, pol.acl[0], pol.acl[1], "security acl")
            ep.per_pair_sas = not pol.aggregation
        elif pol.template:  # the initiator's proposed flows are accepted (S5830V2 guide, see endpoint())
            ep.notes.append(Diagnostic(severity="info", file=self.file, line=pol.origin.line, text=pol.origin.text,
                                       message=f"{pol.name} has no `security acl`: as a responder it accepts the "
                                               "flows Alibaba proposes, so the protected subnets were not compared"))
        else:  # like a Cisco crypto map entry without `match address`
            ep.notes.append(Diagnostic(severity="error", file=self.file, line=pol.origin.line, text=pol.origin.text,
                                       message=f"{pol.name} has no `security acl`: no traffic is protected, so the "
                                               "protected subnets cannot be compared"))
        self.cfg.endpoints.append(ep)

    def any_peer_key(self, rings: list[str], pol: _Policy) -> PresharedKey | None:
        """The key a responder without a known peer uses: the only address-keyed one of its keychains (said as
        info), else none can be chosen and the key is not compared (info)."""
        keys = [(net, key) for ring in rings for net, _, key in self.keychains.get(ring, []) if net is not None]
        if len(keys) == 1:
            net, key = keys[0]
            if net.prefixlen:
                self.note(pol.origin, f"{pol.name} accepts any peer: its key is the one for {net}, which applies "
                          "only if Alibaba's gateway IP is in it")
            return key
        if keys:
            self.note(pol.origin, f"{pol.name} accepts any peer and its keychains hold {len(keys)} keys: the "
                      "initiator's address picks one, so the pre-shared key is not compared")
            return PresharedKey(form="masked", source=pol.origin)
        return None

    @staticmethod
    def expected_peer(prof: _Profile | None) -> str | None:
        """The host address of the profile's `match remote identity address A [255.255.255.255|32]`, if any."""
        for ident, net, _ in prof.remote_ids if prof else []:
            if ident.type == "ip" and net is not None and net.prefixlen == 32:
                return str(net.ip)
        return None

    def ike_proposals(self, ike: Ike, prof: _Profile | None, pol: _Policy) -> None:
        """The configured proposals, then (IKEv1) the built-in default one, which Comware uses when no configured
        proposal matches; IKEv2 with no proposal at all uses a default whose contents are not documented."""
        v2 = ike.version == "ikev2"
        table = self.v2_props if v2 else self.ike_props
        names = (prof.proposals if prof and prof.proposals else
                 (self.v2_policy_props if v2 and self.v2_policy_props else list(table)))
        ike.proposals = [table[n] for n in names if n in table]
        if ike.proposals:
            ike.src["proposals"] = ike.proposals[0].origin or pol.origin
        if prof and prof.lifetime:  # this profile's lifetime, on copies: other profiles share the proposals
            ike.proposals = [p.model_copy(update={"lifetime_s": prof.lifetime[0],
                                                  "src": {**p.src, "lifetime_s": prof.lifetime[1]}})
                             for p in ike.proposals]
        if not v2:
            default = self.default_ike("ike proposal default", "ike.default_proposal", None)
            if ike.proposals:
                ike.fallback, ike.src["fallback"] = default, self.dflt("ike.default_proposal")
            else:
                ike.proposals = [default]
                ike.src["proposals"] = self.dflt("ike.default_proposal", pol.origin, "no ike proposal configured")
        elif not ike.proposals:
            at, name = (prof.origin, f"ikev2 profile {prof.name}") if prof else (pol.origin, pol.name)
            p = DEFAULTS.pick("ikev2.default_proposal", self.release)
            if p.release_dependent:
                self.depends("ikev2.default_proposal", p, at)
            ike.src["proposals"] = self.dflt("ikev2.default_proposal", at, "cannot verify its algorithms")
            self.note(at, f"{name}: no `ikev2 proposal` / `ikev2 policy` applies, so the default IKEv2 proposal "
                      "is used; cannot verify its algorithms (not found in an H3C document): IKE algorithms not "
                      "checked. Configure an `ikev2 proposal` in an `ikev2 policy` to have them checked", "warning")

    def comware5_ikev2(self, at: Source) -> None:
        if "ikev2.support" not in self.said:
            self.said.add("ikev2.support")
            self.note(at, "IKEv2 on Comware 5 exists on late releases only and its syntax was not retrieved: read "
                      f"with the Comware 7 syntax (unverified). {DEFAULTS.note('ikev2.support', self.release)}",
                      "warning")

    def local_identity(self, ike: Ike, prof: _Profile | None, pol: _Policy, local: str | None) -> None:
        """Comware 7 `local-identity` / `identity local`; Comware 5 `id-type name|user-fqdn` presents the peer's
        `local-name`, else the global `ike local-name` (S_C5_ID); otherwise the local address."""
        if prof and prof.local_id:
            ike.local_id, ike.src["local_id"] = prof.local_id
        elif self.global_identity and ike.version == "ikev1" and not (prof and prof.id_type):
            ike.local_id, ike.src["local_id"] = self.global_identity
        elif prof and prof.id_type and prof.id_type[0] != "ip":
            kind, at = prof.id_type
            named = prof.local_name or self.local_name
            if named:
                value, src = named[0], named[1] if named is prof.local_name else at
            else:
                value = self.cfg.hostname or "<sysname>"
                src = self.dflt("local_name", at, "no `local-name` in the peer and no global `ike local-name`")
            ike.local_id, ike.src["local_id"] = Identity(type="fqdn" if kind == "name" else "user-fqdn",
                                                         value=value), src
        elif local:
            ike.local_id = Identity(type="ip", value=local)
            ike.src["local_id"] = self.dflt("local_id", pol.origin)

    def dpd(self, ike: Ike, prof: _Profile | None, pol: _Policy) -> None:
        """Profile DPD, else a Comware 5 named detector, else the system-view `ike dpd` (IKEv1) / `ikev2 dpd`
        (IKEv2; HPE 12900E IKEv2 command reference, `dpd`: "The global IKEv2 DPD settings are used"), else off."""
        dpd = prof.dpd if prof and prof.dpd else None
        if dpd is None and prof and prof.dpd_name:
            name, at = prof.dpd_name
            dpd = self.named_dpd.get(name)
            if dpd is None:
                self.note(at, f"ike dpd {name} is not defined: no DPD for this peer", "error")
        dpd = dpd or self.global_dpd.get("ikev2" if ike.version == "ikev2" else "ike")
        if dpd:
            ike.dpd, ike.src["dpd"] = dpd
        else:
            ike.dpd.enabled, ike.src["dpd"] = self.value("dpd"), self.dflt("dpd", pol.origin)


def _dpd(words: list[str]) -> Dpd:
    """`[ike[v2]] dpd interval S [retry S] {on-demand | periodic}`."""
    def after(key: str) -> int | None:
        i = words.index(key) + 1 if key in words else 0
        return uint(words[i]) if 0 < i < len(words) and is_uint(words[i]) else None
    return Dpd(enabled=True, mode="periodic" if "periodic" in words else "on-demand", interval_s=after("interval"),
               retry_s=after("retry"))


def parse(text: str, file: str):
    return _Parser(text, file).run()
