"""Cisco ASA (8.4+ / 9.x, and the pre-8.4 `crypto isakmp` forms) `show running-config` -> DeviceConfig.

Every default the parser applies comes from ``parsers.cisco_asa.defaults.DEFAULTS`` (with its source); the
release is read from `ASA Version 9.x(y)`. A release-dependent default on an export without that line is
used with a warning naming the candidates, never silently.
- No IKE policy exists by default: a tunnel without one gets no proposal, which the checker reports.
- IKEv1 offers no SHA-2: `hash sha256` / `esp-sha256-hmac` under IKEv1 are reported as not valid for the ASA
  and not taken as offered (SHA-2 is an IKEv2 `integrity` / `prf` / ipsec-proposal keyword).
- NAT order (Cisco "NAT Rule Order"): section 1 twice NAT (`nat (...) [N] source ...`, N = position in the
  section), section 2 object NAT (static before dynamic, smaller first), section 3 `after-auto [N]`. Object NAT
  printed in a second `object network X` block is merged with the first block of that name.
- BGP neighbours are read under `router bgp N` and its ` address-family ipv4 unicast` (where the ASA puts them);
  a `neighbor X shutdown` one is no session (a warning at its line).
- `crypto map M N set ikev1 phase1-mode aggressive` (pre-8.4 `set phase1-mode`) sets the entry's IKEv1 mode;
  every other flat `set ...` line not modelled is a "not understood" note, `set inheritance data` (one SA per host
  pair) a warning.
- `inactive` access-list entries and NAT rules are not in effect: noted at their line, not counted. A NAT rule
  with `any` (or no interfaces) on its mapped side translates on every interface.
A crypto map applied to an interface offers IKEv2 and IKEv1 when both are configured: one endpoint per
version is produced, and the checker pairs the one Alibaba uses (and warns that both are offered).
The `vpn-tunnel-protocol` check of the tunnel-group's group policy is a note of the endpoint of the version it
excludes, so it is reported only when the pair negotiates that version.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from netaddr import IPAddress, IPNetwork

from analyzer.model import (AccessList, AclEntry, DeviceConfig, Diagnostic, Dpd, Endpoint, Identity, Ike,
                            IkeProposal, Interface, Ipsec, IpsecProposal, NatRule, PresharedKey, Source)
from analyzer.redact import masked_line
from parsers.blocks import Block, Line, drop_unreferenced, first_prefix, scan
from parsers.object_names import names_in_use
from parsers.cisco_common import ikev2_values, is_ipv4, network, parse_ports
from parsers.values import is_peer, is_uint, uint
from parsers.common import (attach_acl_selectors, attach_route_based, attach_wan_mtu, line_starting, redact_secrets,
                            tunnel_bgp)

from parsers.cisco_asa import VENDOR
from parsers.cisco_asa.defaults import DEFAULTS
from parsers.defaults import parse_release

_KEEP = ("crypto ", "access-list ", "interface ", "object ", "object-group ", "tunnel-group ", "group-policy ",
         "nat ", "hostname ", "domain-name ", "names", "name ", "ASA Version ", "router bgp ", "mtu ")
_SKIP = ("crypto ca ", "crypto key ", "crypto ikev2 remote-access", "crypto ikev1 remote-access")
_VOCAB = {"crypto ikev1 policy": {"authentication", "encryption", "hash", "group", "lifetime"},
          "crypto isakmp policy": {"authentication", "encryption", "hash", "group", "lifetime"},
          "crypto ikev2 policy": {"encryption", "integrity", "group", "prf", "lifetime"},
          "tunnel-group": {"ikev1", "ikev2", "pre-shared-key", "isakmp", "peer-id-validate", "default-group-policy"},
          "group-policy": {"vpn-tunnel-protocol"},
          "router bgp": {"neighbor", "bgp", "network", "address-family", "exit-address-family"}}
_VOCAB = {k: frozenset(v) for k, v in _VOCAB.items()}

_ENC = {"des": "des", "3des": "3des", "aes": "aes128", "aes-192": "aes192", "aes-256": "aes256",
        "aes-gcm": "aes128-gcm", "aes-gcm-192": "aes192-gcm", "aes-gcm-256": "aes256-gcm", "null": "null"}
_HASH = {"md5": "md5", "sha": "sha1", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512", "null": "null"}
_SHA2 = {"sha256", "sha384", "sha512"}
_ESP_ENC = {"esp-des": "des", "esp-3des": "3des", "esp-aes": "aes128", "esp-aes-192": "aes192",
            "esp-aes-256": "aes256", "esp-null": "null"}
_ESP_AUTH = {"esp-md5-hmac": "md5", "esp-sha-hmac": "sha1", "esp-none": "null"}
_ESP_SHA2 = {"esp-sha256-hmac", "esp-sha384-hmac", "esp-sha512-hmac"}  # IOS keywords: not offered by the ASA (IKEv1)
# behaviour of lines that are present (not defaults: those are in parsers.cisco_asa.defaults)
_INACTIVE_ACL = ('Cisco ASA Series CLI Configuration Guide 9.0, "Adding an Extended Access Control List": "You can '
                 'disable an ACE by making it inactive"')
_INACTIVE_NAT = ("unverified: the `inactive` keyword of the ASA `nat` command (\"makes the rule inactive without having "
                 "to remove it\") is from recollection of the Cisco ASA Command Reference, `nat (global)`; not "
                 "retrieved here")
_INHERITANCE = ("unverified: Cisco ASA Command Reference, `crypto map set inheritance` (recollection, not retrieved "
                "here): `data` generates one SA per address pair in the access-list entry's ranges, `rule` (the "
                "default) one SA per entry")
_P2_INTEG = {"sha-1": "sha1", "sha-256": "sha256", "sha-384": "sha384", "sha-512": "sha512", "md5": "md5",
             "null": "null"}


_vocab = first_prefix(_VOCAB)  # line -> the flush-left vocabulary of the block it opens, or None


@dataclass
class _Entry:
    name: str
    origin: Source
    peers: list[tuple[str, Source]] = field(default_factory=list)
    v1_sets: tuple[list[str], Source] | None = None
    v2_props: tuple[list[str], Source] | None = None
    pfs: tuple[int, Source] | None = None
    life_s: tuple[int, Source] | None = None
    life_kb: tuple[int | None, Source] | None = None
    acl: tuple[str, Source] | None = None
    natt_off: Source | None = None
    dynamic: str | None = None
    phase1: tuple[str, Source] | None = None  # `set ikev1 phase1-mode main|aggressive`


@dataclass
class _TunnelGroup:
    name: str
    origin: Source
    l2l: bool = False
    psk_v1: PresharedKey | None = None
    psk_v2_local: PresharedKey | None = None
    psk_v2_remote: PresharedKey | None = None
    keepalive: tuple[Dpd, Source] | None = None
    policy: str | None = None


class _Parser:
    def __init__(self, text: str, file: str):
        self.file = file
        self.cfg = DeviceConfig(file=file, vendor=VENDOR)
        self.v1: list[tuple[int, IkeProposal]] = []
        self.v2: list[tuple[int, IkeProposal]] = []
        self.v1_sets: dict[str, IpsecProposal] = {}
        self.v2_props: dict[str, IpsecProposal] = {}
        self.entries: dict[tuple[str, int], _Entry] = {}
        self.map_itf: dict[str, str] = {}
        self.enabled: dict[str, set[str]] = {"ikev1": set(), "ikev2": set()}
        self.groups: dict[str, _TunnelGroup] = {}
        self.protocols: dict[str, tuple[list[str], Source]] = {}
        self.objects: dict[str, list[IPNetwork]] = {}
        self.profiles: dict[str, _Entry] = {}
        self.tunnels: list[tuple[Interface, Block]] = []
        self.nameif: dict[str, Interface] = {}
        self.mtus: dict[str, tuple[int, Source]] = {}  # nameif -> (bytes, line) of `mtu outside 1500`
        self.identity: tuple[str, Source] | None = None
        self.domain: str | None = None  # `domain-name X`: the suffix of the FQDN identity
        self.natt_global: Source | None = None
        self.life_s: tuple[int, Source] | None = None
        self.life_kb: tuple[int | None, Source] | None = None
        self.acl_lines: list[tuple[str, Line, list[str]]] = []
        self.object_nat_rules: list[tuple[bool, int, NatRule]] = []  # (dynamic, addresses, rule): section 2
        self.object_nat_lines: list[tuple[str, Line]] = []
        self.twice_nat: dict[int, list[NatRule]] = {1: [], 3: []}  # sections 1 and 3, in table order
        self.bgp_neighbors: dict[str, tuple[int | None, Source]] = {}
        self.bgp_shutdown: dict[str, Source] = {}  # `neighbor X shutdown`
        self.shut_noted: set[str] = set()
        self.inactive_acl: dict[str, list[Source]] = {}  # access-list name -> its `inactive` entries
        self.release = None
        self.release_warned: set[str] = set()
        self.blocks = scan(text, _KEEP, _vocab, skip=_SKIP)  # kept: starts with _KEEP, not _SKIP (in C)

    def src(self, line: Line) -> Source:
        return Source(file=self.file, line=line.no, text=redact_secrets(line.text))

    def default(self, note: str, at: Source | None = None) -> Source:
        return Source.default_at(self.file, at, note)

    def dflt(self, key: str, at: Source | None = None, where: str = ""):
        """The ASA default ``key`` for this release, with a defaulted Source citing the table row. When the
        release is unknown and the default depends on it, the newest row is used and a warning says so."""
        pick = DEFAULTS.pick(key, self.release)
        row = pick.row
        if row is None and pick.release_dependent:
            row = pick.candidates[-1]
            if key not in self.release_warned:
                self.release_warned.add(key)
                options = "; ".join(f"{r.what} ({r.releases}{'' if r.verified else ', unverified'})"
                                    for r in pick.candidates)
                label = row.label or key
                self.cfg.diagnostics.append(Diagnostic(
                    severity="warning", file=self.file, line=at.line if at else None, text=at.text if at else None,
                    message=f"{label}{' of ' + where if where else ''}: the ASA default depends on the release "
                            f"({options}) and the export has no `ASA Version` line; {row.what} is assumed - "
                            "configure the value explicitly to pin it"))
        elif row is None:  # a known release no row covers
            row = pick.candidates[-1]
        note = DEFAULTS.note(key, self.release)
        return row.value, self.default(note if pick.row else f"{note} (release unknown: assumed)", at)

    def note(self, line: Line | Source, message: str, severity: str = "info", keys: bool = False) -> None:
        """``keys``: the line holds a key in a form not understood, so none of it is shown."""
        self.cfg.diagnostics.append(Diagnostic(severity=severity, message=message, file=self.file, line=line.line
                                               if isinstance(line, Source) else line.no,
                                               text=masked_line() if keys else redact_secrets(line.text or "")))

    def psk(self, words: list[str], line: Line) -> PresharedKey:
        """``words`` after `pre-shared-key`: an ASA key is one word (`*****` when the export masks it). The
        key is the word at that place, as the display masking has it."""
        value = words[0]
        if len(words) > 1:
            self.note(line, "more than one word after `pre-shared-key` (an ASA key is one word): only the first "
                            "is compared; the line is not shown as it holds a key", "warning", keys=True)
        if set(value) == {"*"}:
            return PresharedKey(form="masked", source=self.src(line))
        return PresharedKey(form="plain", secret=value, source=self.src(line))

    def run(self) -> DeviceConfig:
        # every droppable name, and the names of the kept blocks: a dropped block defines no name but its
        # droppable one (object_names reads the same word), so the dropped are not read twice
        names: set[str] = set()
        blocks = drop_unreferenced(self.blocks, _droppable_name, names)
        self.cfg.names_in_use = names | names_in_use(blocks)
        for block in blocks:
            if block.words[:2] == ["ASA", "Version"] and len(block.words) > 2:
                self.release = parse_release(block.words[2])
        for block in blocks:  # objects first: ACLs and NAT refer to them
            if block.words[0] in ("object", "object-group") and len(block.words) > 2:
                self.object(block)
        for obj, line in self.object_nat_lines:  # after every block of the object is read (merged by name)
            self.object_nat(obj, line)
        for block in blocks:
            try:
                self.dispatch(block, block.words)
            except (IndexError, ValueError):
                self.note(block.head, "malformed line; skipped", "warning")
        for name, line, words in self.acl_lines:
            self.acl_line(name, line, words)
        # ASA NAT table order: section 1 (twice NAT), section 2 (object NAT: static before dynamic, then the
        # smaller real address set first), section 3 (twice NAT `after-auto`)
        section2 = [r for _, _, r in sorted(self.object_nat_rules, key=lambda t: (t[0], t[1]))]
        self.cfg.nat_rules += self.twice_nat[1] + section2 + self.twice_nat[3]
        self.build()
        return self.cfg

    def dispatch(self, block: Block, w: list[str]) -> None:
        if w[0] == "hostname" and len(w) > 1:
            self.cfg.hostname = w[1]
        elif w[0] == "domain-name" and len(w) > 1:
            self.domain = w[1]
        elif w[0] == "interface":
            self.interface(block)
        elif w[0] == "access-list" and len(w) > 2:
            self.acl_lines.append((w[1], block.head, w[2:]))
        elif w[0] == "mtu" and len(w) == 3 and is_uint(w[2]):  # global `mtu <nameif> <bytes>`, as the ASA exports it
            self.mtus[w[1]] = (uint(w[2]), self.src(block.head))
        elif w[0] == "tunnel-group" and len(w) > 2:
            self.tunnel_group(block, w)
        elif w[0] == "group-policy" and len(w) > 2 and w[2] == "attributes":
            for c in block.children:
                if c.words[0] == "vpn-tunnel-protocol":
                    self.protocols[w[1]] = ([p.lower() for p in c.words[1:]], self.src(c))
        elif w[0] == "nat":
            self.nat(block, w)
        elif w[:2] == ["router", "bgp"]:
            self.bgp(block)
        elif w[0] == "crypto":
            self.crypto(block, w)

    # -- objects and ACLs ----------------------------------------------------------------------
    def object(self, block: Block) -> None:
        """A running-config prints object NAT in a second `object network X` block holding only the `nat`
        line: blocks of one name are merged (the addresses of the first are kept)."""
        name, nets = block.words[2], []
        for c in block.children:
            cw = c.words
            if block.words[0] == "object" and cw[0] == "subnet" and len(cw) > 2:
                nets.append(network(cw[1], cw[2]))
            elif cw[0] == "host" and len(cw) > 1:
                nets.append(network(cw[1]))
            elif cw[0] == "network-object" and len(cw) > 2:
                if cw[1] == "object":
                    nets.extend(self.objects.get(cw[2], []))
                elif cw[1] == "host":
                    nets.append(network(cw[2]))
                else:
                    nets.append(network(cw[1], cw[2]))
            elif cw[0] == "group-object" and len(cw) > 1:
                nets.extend(self.objects.get(cw[1], []))
        nets = [n for n in nets if n is not None]
        if nets or name not in self.objects:
            self.objects[name] = self.objects.get(name, []) + nets if block.words[0] == "object-group" else nets
        for c in block.children:
            if c.words[0] == "nat":
                self.object_nat_lines.append((name, c))

    def address(self, w: list[str], i: int) -> tuple[list[IPNetwork] | None, int]:
        if i >= len(w):
            return None, i
        if w[i] in ("any", "any4"):
            return [IPNetwork("0.0.0.0/0")], i + 1
        if w[i] == "host" and i + 1 < len(w):
            return [network(w[i + 1])], i + 2
        if w[i] in ("object", "object-group") and i + 1 < len(w):
            nets = self.objects.get(w[i + 1])
            return (nets or None), i + 2
        if w[i] == "interface" and i + 1 < len(w):
            itf = self.nameif.get(w[i + 1])
            return ([network(itf.address)] if itf and itf.address else None), i + 2
        if is_ipv4(w[i]) and i + 1 < len(w) and is_ipv4(w[i + 1]):
            return [network(w[i], w[i + 1])], i + 2
        return None, i

    def acl_line(self, name: str, line: Line, w: list[str]) -> None:
        if w[0] == "line" and len(w) > 2:
            w = w[2:]
        if w[0] in ("remark",) or w[0] == "standard":
            return
        if w[0] == "extended":
            w = w[1:]
        acl = self.cfg.acls.setdefault(name, AccessList(name=name, source=self.src(line)))
        if w and w[-1] == "inactive":  # the last keyword of an ACE: the entry is kept in the config but not in effect
            self.inactive_acl.setdefault(name, []).append(self.src(line))
            self.note(line, f"access-list {name}: this entry is `inactive`, so it is not in effect on the ASA and "
                            f"is not counted (as a crypto ACL it selects no traffic) - {_INACTIVE_ACL}")
            return
        if len(w) < 3 or w[0] not in ("permit", "deny"):
            self.note(line, f"access-list {name}: entry not understood; ignored by the checks", "warning")
            return
        action, proto = w[0], w[1]
        src, i = self.address(w, 2)
        _, i = parse_ports(w, i)
        dst, i = self.address(w, i)
        ports, _ = parse_ports(w, i)
        if not src or not dst or None in src or None in dst:
            self.note(line, f"access-list {name}: an address or object could not be resolved; ignored", "warning")
            return
        for s in src:
            for d in dst:
                acl.entries.append(AclEntry(action=action, protocol=proto, src=s, dst=d, dst_ports=ports,
                                            source=self.src(line)))

    def nat(self, block: Block, w: list[str]) -> None:
        # nat (real,mapped) [N | after-auto [N]] source static|dynamic REAL MAPPED [destination static A B]
        # N = the rule's line in section 1 (section 3 with after-auto); without it the rule goes last.
        if len(w) < 4:
            return
        if self.inactive_nat(block.head, w):
            return
        # no `(real,mapped)` means any interface; `any` on the mapped side matches every interface
        ifcs = w[1].strip("()").split(",") if w[1].startswith("(") else []
        section, position, i = 1, None, 2 if ifcs else 1
        if i < len(w) and w[i] == "after-auto":
            section, i = 3, i + 1
        if i < len(w) and is_uint(w[i]):
            position, i = uint(w[i]), i + 1
        while i < len(w) and w[i] != "source":
            i += 1
        if i + 3 >= len(w) + 1 or i >= len(w):
            return
        kind, real, mapped = w[i + 1], w[i + 2], w[i + 3] if i + 3 < len(w) else None
        dst = w[w.index("destination") + 3] if "destination" in w and w.index("destination") + 3 < len(w) else None
        exempt = kind == "static" and real == mapped
        srcs = self.objects.get(real, [IPNetwork("0.0.0.0/0")] if real == "any" else [])
        dsts = self.objects.get(dst, []) if dst else [IPNetwork("0.0.0.0/0")]
        name = f"nat-line-{block.head.no}"
        acl = AccessList(name=name, source=self.src(block.head),
                         entries=[AclEntry(action="permit", src=s, dst=d, source=self.src(block.head))
                                  for s in srcs for d in dsts])
        self.cfg.acls[name] = acl
        rule = NatRule(acl=name, interface=_mapped_ifc(ifcs), exempt=exempt, source=self.src(block.head))
        table = self.twice_nat[section]
        if position is None or position > len(table):
            table.append(rule)
        else:
            table.insert(max(position, 1) - 1, rule)

    def object_nat(self, obj: str, line: Line) -> None:
        w = line.words
        if len(w) < 3 or not w[1].startswith("(") or self.inactive_nat(line, w):
            return
        name = f"nat-line-{line.no}"
        self.cfg.acls[name] = AccessList(name=name, entries=[
            AclEntry(action="permit", src=s, dst="0.0.0.0/0", source=self.src(line)) for s in self.objects.get(obj, [])])
        ifcs = w[1].strip("()").split(",")
        size = sum(n.size for n in self.objects.get(obj, []))
        self.object_nat_rules.append((w[2] != "static", size, NatRule(
            acl=name, interface=_mapped_ifc(ifcs),
            exempt=w[2] == "static" and len(w) > 3 and w[3] == obj, source=self.src(line))))

    def inactive_nat(self, line: Line, w: list[str]) -> bool:
        """`nat ... [inactive] [description TEXT]`: an inactive rule stays in the config but is not in effect."""
        words = w[:w.index("description")] if "description" in w else w
        if "inactive" not in words:
            return False
        self.note(line, "this NAT rule is `inactive`, so it is not in effect on the ASA and is not counted (neither "
                        f"as a NAT exemption nor as a translation) - {_INACTIVE_NAT}")
        return True

    def bgp(self, block: Block) -> None:
        """`router bgp N`; the ASA writes neighbours under ` address-family ipv4 unicast` (IOS directly under
        `router bgp`): both are read, the children being flat."""
        if len(block.words) > 2 and is_uint(block.words[2]):
            self.cfg.bgp_asn = int(block.words[2])
        for c in block.children:
            w = c.words
            if w[0] == "neighbor" and len(w) > 3 and w[2] == "remote-as" and is_ipv4(w[1]):
                self.bgp_neighbors[w[1]] = (int(w[3]) if is_uint(w[3]) else None, self.src(c))
            elif w[0] == "neighbor" and len(w) == 3 and w[2] == "shutdown" and is_ipv4(w[1]):
                self.bgp_shutdown[w[1]] = self.src(c)
        for ip in self.bgp_shutdown:  # a shut neighbour never establishes: it is no BGP session (noted in build)
            self.bgp_neighbors.pop(ip, None)

    # -- interfaces and tunnel-groups ----------------------------------------------------------
    def interface(self, block: Block) -> None:
        itf = Interface(name=block.words[1] if len(block.words) > 1 else "?", source=self.src(block.head))
        nameif, tunnel = None, False
        for c in block.children:
            w = c.words
            if w[0] == "nameif" and len(w) > 1:
                nameif = w[1]
            elif w[:2] == ["ip", "address"] and len(w) > 3 and is_ipv4(w[2]):
                itf.address, itf.network = w[2], network(w[2], w[3])
            elif w[0] == "mtu" and len(w) > 1 and is_uint(w[-1]):
                itf.mtu = uint(w[-1])
            elif w[0] == "tunnel":
                tunnel = True
        if nameif:
            self.nameif[nameif] = itf
            itf.name = nameif  # ASA refers to interfaces by nameif everywhere else
        self.cfg.interfaces[itf.name] = itf
        if tunnel:
            self.tunnels.append((itf, block))

    def tunnel_group(self, block: Block, w: list[str]) -> None:
        tg = self.groups.setdefault(w[1], _TunnelGroup(w[1], self.src(block.head)))
        if w[2] == "type":
            tg.l2l = w[3] == "ipsec-l2l" if len(w) > 3 else False
            tg.origin = self.src(block.head)
        for c in block.children:
            cw = c.words
            if cw[:2] == ["ikev1", "pre-shared-key"] and len(cw) > 2:
                tg.psk_v1 = self.psk(cw[2:], c)
            elif cw[0] == "pre-shared-key" and len(cw) > 1:  # pre-8.4
                tg.psk_v1 = self.psk(cw[1:], c)
            elif cw[:3] == ["ikev2", "local-authentication", "pre-shared-key"] and len(cw) > 3:
                tg.psk_v2_local = self.psk(cw[3:], c)
            elif cw[:3] == ["ikev2", "remote-authentication", "pre-shared-key"] and len(cw) > 3:
                tg.psk_v2_remote = self.psk(cw[3:], c)
            elif cw[:2] == ["isakmp", "keepalive"]:
                if "disable" in cw:
                    tg.keepalive = (Dpd(enabled=False), self.src(c))
                else:
                    nums = [int(x) for x in cw if is_uint(x)]
                    tg.keepalive = (Dpd(enabled=True, mode="on-demand", interval_s=nums[0] if nums else None,
                                        retry_s=nums[1] if len(nums) > 1 else None), self.src(c))
            elif cw[0] == "default-group-policy" and len(cw) > 1:
                tg.policy = cw[1]

    # -- crypto --------------------------------------------------------------------------------
    def crypto(self, block: Block, w: list[str]) -> None:
        kind = " ".join(w[1:3])
        if kind in ("ikev1 policy", "isakmp policy"):
            self.ikev1_policy(block)
        elif kind == "ikev2 policy":
            self.ikev2_policy(block)
        elif kind in ("ikev1 enable", "ikev2 enable", "isakmp enable") and len(w) > 3:
            self.enabled["ikev2" if w[1] == "ikev2" else "ikev1"].add(w[3])
        elif w[1:3] == ["ipsec", "ikev1"] and len(w) > 4 and w[3] == "transform-set":
            self.transform_set(block, w[4], w[5:])
        elif w[1:3] == ["ipsec", "transform-set"] and len(w) > 3:  # pre-8.4
            self.transform_set(block, w[3], w[4:])
        elif w[1:4] == ["ipsec", "ikev2", "ipsec-proposal"] and len(w) > 4:
            self.ipsec_proposal(block, w[4])
        elif w[1:4] == ["ipsec", "security-association", "lifetime"] and len(w) > 5:
            pairs = dict(zip(w[4::2], w[5::2]))
            if "seconds" in pairs:
                self.life_s = (uint(pairs["seconds"]), self.src(block.head))
            if "kilobytes" in pairs:
                kb = pairs["kilobytes"]
                self.life_kb = (None if kb == "unlimited" else uint(kb), self.src(block.head))
        elif w[1:3] == ["ipsec", "profile"] and len(w) > 3:
            self.profiles[w[3]] = self.entry_attrs(_Entry(f"ipsec profile {w[3]}", self.src(block.head)),
                                                   [c.words for c in block.children], block.children)
        elif w[1] == "map" and len(w) > 3:
            self.crypto_map(block, w)
        elif w[1] == "dynamic-map" and len(w) > 4 and is_uint(w[3]):
            key = (f"dyn:{w[2]}", uint(w[3]))
            e = self.entries.setdefault(key, _Entry(f"crypto dynamic-map {w[2]} {w[3]}", self.src(block.head)))
            self.entry_attrs(e, [w[4:]], [block.head])
        elif kind == "isakmp identity" and len(w) > 3:
            self.identity = (w[3], self.src(block.head))
        elif kind == "isakmp nat-traversal":
            pass
        elif w[:3] == ["no", "crypto", "isakmp"] and "nat-traversal" in w:
            self.natt_global = self.src(block.head)

    def ikev1_policy(self, block: Block) -> None:
        prio = uint(block.words[3])
        origin = self.src(block.head)
        p = IkeProposal(name=f"ikev1 policy {prio}", origin=origin)
        for c in block.children:
            cw = c.words
            if cw[0] == "encryption" and len(cw) > 1 and cw[1] in _ENC:
                p.encryption, p.src["encryption"] = [_ENC[cw[1]]], self.src(c)
            elif cw[0] == "hash" and len(cw) > 1 and cw[1] in _SHA2:
                self.note(c, f"`hash {cw[1]}` is not valid in {p.name} on the ASA: IKEv1 offers hash md5 or sha "
                             "only (SHA-2 is an IKEv2 `integrity`/`prf` keyword), so the ASA refuses the line and "
                             f"the policy keeps its default hash - {DEFAULTS.note('ikev1.hash.keywords')}", "error")
            elif cw[0] == "hash" and len(cw) > 1 and cw[1] in DEFAULTS.value("ikev1.hash.keywords"):
                p.integrity, p.src["integrity"] = [_HASH[cw[1]]], self.src(c)
            elif cw[0] == "group" and len(cw) > 1 and is_uint(cw[1]):
                p.dh_groups, p.src["dh_groups"] = [uint(cw[1])], self.src(c)
            elif cw[0] == "authentication" and len(cw) > 1:
                p.auth_method, p.src["auth_method"] = cw[1], self.src(c)
            elif cw[0] == "lifetime" and len(cw) > 1:
                p.lifetime_s = uint(cw[1]) if is_uint(cw[1]) else None  # `lifetime none` = no limit
                p.src["lifetime_s"] = self.src(c)
            else:
                self.note(c, f"not understood in {p.name}; ignored by the checks")
        # values not set by a valid line take the ASA defaults (the table says which are verified)
        for attr, key, conv in (("encryption", "ikev1.encryption", lambda v: [v]),
                                ("integrity", "ikev1.hash", lambda v: [v]),
                                ("dh_groups", "ikev1.group", lambda v: [v]),
                                ("lifetime_s", "ikev1.lifetime", lambda v: v),
                                ("auth_method", "ikev1.authentication", lambda v: v)):
            if attr not in p.src:
                value, p.src[attr] = self.dflt(key, origin, p.name)
                setattr(p, attr, conv(value))
        p.prf = list(p.integrity)  # IKEv1: the PRF is the HMAC of the hash
        self.v1.append((prio, p))

    def ikev2_policy(self, block: Block) -> None:
        prio = uint(block.words[3])
        p = IkeProposal(name=f"ikev2 policy {prio}", origin=self.src(block.head))
        prf, p.src["prf"] = self.dflt("ikev2.prf", p.origin, p.name)
        p.prf = list(prf)
        p.lifetime_s, p.src["lifetime_s"] = self.dflt("ikev2.lifetime", p.origin, p.name)
        for c in block.children:
            cw = c.words
            if ikev2_values(p, cw, self.src(c), _ENC, _HASH):
                continue
            if cw[0] == "lifetime":
                p.lifetime_s = uint(cw[-1]) if is_uint(cw[-1]) else None
                p.src["lifetime_s"] = self.src(c)
            else:
                self.note(c, f"not understood in {p.name}; ignored by the checks")
        self.v2.append((prio, p))

    def transform_set(self, block: Block, name: str, words: list[str]) -> None:
        if words and words[0] == "mode":  # crypto ipsec ikev1 transform-set T mode transport
            if name in self.v1_sets and len(words) > 1 and words[1] in ("tunnel", "transport"):
                self.v1_sets[name].mode, self.v1_sets[name].src["mode"] = words[1], self.src(block.head)
            return
        p = IpsecProposal(name=f"transform-set {name}", origin=self.src(block.head))
        odd = []
        for t in words:
            if t in _ESP_ENC:
                p.encryption.append(_ESP_ENC[t])
            elif t in _ESP_AUTH:
                p.integrity.append(_ESP_AUTH[t])
            elif t in _ESP_SHA2:
                self.note(block.head, f"`{t}` is not valid in an ASA IKEv1 {p.name}: its ESP integrity is "
                                      "esp-md5-hmac, esp-sha-hmac or esp-none (SHA-2 needs an IKEv2 ipsec-proposal, "
                                      f"`protocol esp integrity sha-256`), so it is not offered - "
                                      f"{DEFAULTS.note('ikev1.esp.auth.keywords')}", "error")
            else:
                odd.append(t)
        if odd:  # one note per line, not per word (a 2 MB line made 300,000 findings)
            more = f" (and {len(odd) - 3:,} more)" if len(odd) > 3 else ""
            self.note(block.head, f"transform{'s' if len(odd) > 1 else ''} "
                                  f"{', '.join(f'`{t[:60]}`' for t in odd[:3])}{more} not understood in {p.name}")
        p.mode, mode_src = self.dflt("ipsec.mode", p.origin)
        p.src = {"encryption": p.origin, "integrity": p.origin, "protocol": p.origin, "mode": mode_src}
        self.v1_sets[name] = p

    def ipsec_proposal(self, block: Block, name: str) -> None:
        p = IpsecProposal(name=f"ipsec-proposal {name}", origin=self.src(block.head))
        p.mode, mode_src = self.dflt("ipsec.mode", p.origin)
        p.src = {"protocol": p.origin, "mode": mode_src}
        for c in block.children:
            cw = c.words
            if cw[:3] == ["protocol", "esp", "encryption"]:
                p.encryption, p.src["encryption"] = [_ENC.get(x, x) for x in cw[3:]], self.src(c)
            elif cw[:3] == ["protocol", "esp", "integrity"]:
                p.integrity, p.src["integrity"] = [_P2_INTEG.get(x, x) for x in cw[3:]], self.src(c)
            else:
                self.note(c, f"not understood in {p.name}; ignored by the checks")
        self.v2_props[name] = p

    def crypto_map(self, block: Block, w: list[str]) -> None:
        if w[3] == "interface" and len(w) > 4:
            self.map_itf[w[2]] = w[4]
            return
        if not is_uint(w[3]):
            return
        key = (w[2], uint(w[3]))
        e = self.entries.setdefault(key, _Entry(f"crypto map {w[2]} {w[3]}", self.src(block.head)))
        self.entry_attrs(e, [w[4:]], [block.head])

    def entry_attrs(self, e: _Entry, attrs: list[list[str]], lines: list[Line]) -> _Entry:
        for a, line in zip(attrs, lines):
            s = self.src(line)
            if a[:2] == ["match", "address"] and len(a) > 2:
                e.acl = (a[2], s)
            elif a[:2] == ["set", "peer"]:
                e.peers.extend((p, s) for p in a[2:] if is_peer(p))
                for p in a[2:]:
                    if not is_peer(p):
                        self.note(line, f"set peer {p[:60]}: not an IPv4 address or host name; ignored", "error")
            elif a[:3] == ["set", "ikev1", "transform-set"] or a[:2] == ["set", "transform-set"]:
                e.v1_sets = (a[3:] if a[1] == "ikev1" else a[2:], s)
            elif a[:3] == ["set", "ikev2", "ipsec-proposal"]:
                e.v2_props = (a[3:], s)
            elif a[:2] == ["set", "pfs"]:
                if len(a) > 2 and is_uint(a[2][5:]):
                    e.pfs = (int(a[2][5:]), s)
                else:  # a bare `set pfs`
                    group, d = self.dflt("ipsec.pfs.bare", s)
                    e.pfs = (group, d)
            elif a[:3] == ["set", "security-association", "lifetime"]:
                pairs = dict(zip(a[3::2], a[4::2]))
                if "seconds" in pairs and is_uint(pairs["seconds"]):
                    e.life_s = (uint(pairs["seconds"]), s)
                if "kilobytes" in pairs:
                    kb = pairs["kilobytes"]
                    e.life_kb = (None if kb == "unlimited" else uint(kb), s)
            elif a[:2] == ["set", "nat-t-disable"] and len(a) == 2:
                e.natt_off = s
            elif (a[:3] == ["set", "ikev1", "phase1-mode"] or a[:2] == ["set", "phase1-mode"]) and \
                    len(a) > a.index("phase1-mode") + 1 and a[a.index("phase1-mode") + 1] in ("main", "aggressive"):
                i = a.index("phase1-mode") + 1
                e.phase1 = (a[i], s)
                if len(a) > i + 1:  # `aggressive group5`: the DH group of the aggressive-mode KE payload
                    self.note(line, f"{' '.join(a[i + 1:])[:60]}: the DH group named for aggressive mode is not "
                                    f"compared by the checks (the ikev1 policies are)")
            elif a[:3] == ["set", "inheritance", "data"] and len(a) == 3:
                self.note(line, f"{e.name}: `set inheritance data` makes the ASA negotiate one SA per host pair, "
                                "with /32 host selectors, instead of one SA per access-list entry: Alibaba's "
                                "connection is negotiated with its subnet selectors, so the host-pair SAs may be "
                                f"refused or multiply the SAs ({_INHERITANCE}); `no {e.name} set "
                                "inheritance data` restores the default (`rule`)", "warning")
            elif a[:3] == ["set", "inheritance", "rule"] and len(a) == 3:
                pass  # the default: one SA per access-list entry
            elif a[:1] == ["ipsec-isakmp"] and len(a) > 2 and a[1] == "dynamic":
                e.dynamic = a[2]
            elif a[:1] in (["description"], ["ipsec-isakmp"]):
                pass
            else:  # every other `set ...` too: never dropped without a trace
                self.note(line, f"not understood in {e.name}; ignored by the checks")
        return e

    # -- endpoints -----------------------------------------------------------------------------
    def build(self) -> None:
        for (map_name, seq), e in sorted(self.entries.items(), key=lambda kv: (kv[0][0], kv[0][1])):
            if map_name.startswith("dyn:"):
                continue
            itf = self.map_itf.get(map_name)
            if itf is None:
                self.note(e.origin, f"crypto map {map_name} is not applied to an interface; its tunnels never start",
                          "warning")
            if e.dynamic:
                for (dname, _), dyn in self.entries.items():
                    if dname == f"dyn:{e.dynamic}":
                        self.endpoints_for(dyn, [(None, None)], itf, "dynamic", None)
                continue
            if not e.peers or e.acl is None:
                missing = "set peer" if not e.peers else "match address"
                self.note(e.origin, f"{e.name} has no `{missing}`: the ASA treats the entry as incomplete and "
                                    "ignores it (Cisco ASA 5500 Series Configuration Guide, IPsec chapter)", "error")
                continue
            self.endpoints_for(e, e.peers, itf, "policy", None)
        for itf, block in self.tunnels:
            dest = source = prof = None
            for c in block.children:
                cw = c.words
                if cw[:2] == ["tunnel", "destination"] and len(cw) > 2:
                    dest = (cw[2], self.src(c))
                elif cw[:2] == ["tunnel", "source"] and len(cw) > 2:
                    source = cw[-1]
                elif cw[:3] == ["tunnel", "protection", "ipsec"] and len(cw) > 4:
                    prof = (cw[4], self.src(c))
            if prof is None:
                continue
            e = self.profiles.get(prof[0])
            if e is None:
                self.note(prof[1], f"tunnel protection refers to ipsec profile {prof[0]}, which is not defined", "error")
                continue
            self.endpoints_for(e, [dest] if dest else [(None, None)], source, "route", itf)
        for ip, at in self.bgp_shutdown.items():
            if ip not in self.shut_noted:
                self.note(at, _shutdown(ip), "warning")

    def endpoints_for(self, e: _Entry, peers, itf_name: str | None, kind: str, tunnel: Interface | None) -> None:
        versions = [v for v, sets in (("ikev2", e.v2_props), ("ikev1", e.v1_sets)) if sets]
        if not versions:
            self.note(e.origin, f"{e.name} has no transform-set / ipsec-proposal", "error")
            return
        for peer, peer_src in peers:
            for version in versions:
                self.endpoint(e, version, peer, peer_src, itf_name, kind, tunnel)

    def endpoint(self, e: _Entry, version: str, peer, peer_src, itf_name, kind, tunnel) -> None:
        itf = self.nameif.get(itf_name or "")
        tg = self.groups.get(peer or "")
        name = f"{tunnel.name} ({e.name})" if tunnel else e.name
        ike = Ike(version=version, origin=tg.origin if tg else None)
        ike.src["version"] = (e.v2_props or e.v1_sets)[1] if version == "ikev2" else e.v1_sets[1]
        if version == "ikev1" and e.phase1:
            ike.mode, ike.src["mode"] = e.phase1
        else:
            ike.mode, ike.src["mode"] = self.dflt("ike.mode")
        notes: list[Diagnostic] = []
        policies = self.v2 if version == "ikev2" else self.v1
        ike.proposals = [p for _, p in sorted(policies, key=lambda t: t[0])]
        if policies:
            ike.src["proposals"] = ike.proposals[0].origin
        else:  # no built-in policy on the ASA: nothing is offered
            ike.src["proposals"] = self.dflt("ike.policy", e.origin)[1]
        if itf_name and itf_name not in self.enabled[version] and kind != "route":
            self.note(e.origin, f"{name}: `crypto {version} enable {itf_name}` is missing, so {version} is not "
                                f"offered on {itf_name}", "error")
        if tg is None or not tg.l2l:
            if peer:
                self.note(e.origin, f"{name}: no `tunnel-group {peer} type ipsec-l2l`; the ASA has no key for this "
                                    "peer", "error")
        else:
            if version == "ikev1":
                ike.psk = tg.psk_v1 or PresharedKey(form="missing")
            else:
                ike.psk = tg.psk_v2_local or tg.psk_v2_remote or PresharedKey(form="missing")
                if tg.psk_v2_remote is not None and tg.psk_v2_remote is not ike.psk:
                    ike.psk_remote = tg.psk_v2_remote
            if ike.psk.source:
                ike.src["psk"] = ike.psk.source
            if tg.keepalive:
                ike.dpd, ike.src["dpd"] = tg.keepalive
            # the group policy gates the IKE version of this endpoint: a note of this endpoint, so it is
            # reported only on a pair that negotiates this version (an ikev2-only policy is fine for IKEv2)
            policy = tg.policy or DEFAULTS.value("group_policy")
            protocols = self.protocols.get(policy) or self.protocols.get("DfltGrpPolicy") or (
                list(DEFAULTS.value("group_policy.protocols")), self.dflt("group_policy.protocols")[1])
            if version not in protocols[0] and not (version == "ikev1" and "ipsec" in protocols[0]):
                notes.append(Diagnostic(
                    severity="error", file=self.file, line=protocols[1].line, text=protocols[1].text,
                    message=f"group-policy {policy} of tunnel-group {peer} does not allow {version} "
                            f"(vpn-tunnel-protocol {' '.join(protocols[0])}): the ASA refuses this {version} tunnel"))
        if "dpd" not in ike.src:
            (threshold, retry), ike.src["dpd"] = self.dflt("ike.keepalive")
            ike.dpd = Dpd(enabled=True, mode="on-demand", interval_s=threshold, retry_s=retry)
        if e.natt_off or self.natt_global:
            ike.nat_traversal, ike.src["nat_traversal"] = False, e.natt_off or self.natt_global
        else:
            ike.nat_traversal, ike.src["nat_traversal"] = self.dflt("ike.nat_traversal")
        local = itf.address if itf else (itf_name if itf_name and is_ipv4(itf_name) else None)
        if self.identity and self.identity[0] == "hostname" and self.cfg.hostname:
            # hostname.domain-name: the ASA "appends the domain name as a suffix to unqualified names" (ASA General
            # Operations CLI Configuration Guide 9.x, "Set the Hostname, Domain Name ..."); that the IKE identity is
            # that FQDN is unverified in a Cisco document (parsers/cisco_asa/fixes.py local_id says so too)
            fqdn = f"{self.cfg.hostname}.{self.domain}" if self.domain else self.cfg.hostname
            ike.local_id, ike.src["local_id"] = Identity(type="fqdn", value=fqdn), self.identity[1]
        elif local:
            ike.local_id = Identity(type="ip", value=local)
            ike.src["local_id"] = self.identity[1] if self.identity else self.dflt("ike.identity")[1]
        if peer:
            kind_id, ike.src["remote_id"] = self.dflt("ike.remote_id")
            ike.remote_id = Identity(type=kind_id, value=peer)
        ipsec = Ipsec(origin=e.origin)
        names, names_src = (e.v2_props if version == "ikev2" else e.v1_sets)
        table = self.v2_props if version == "ikev2" else self.v1_sets
        for n in names:
            if n in table:
                ipsec.proposals.append(table[n])
            else:
                self.note(names_src, f"{'ipsec-proposal' if version == 'ikev2' else 'transform-set'} {n} is not "
                                     "defined", "error")
        ipsec.src["proposals"] = names_src
        if e.pfs:
            ipsec.pfs_group, ipsec.src["pfs_group"] = e.pfs
        else:
            ipsec.pfs_group, ipsec.src["pfs_group"] = self.dflt("ipsec.pfs", e.origin)
        ipsec.lifetime_s, ipsec.src["lifetime_s"] = e.life_s or self.life_s or self.dflt("ipsec.lifetime_s", e.origin)
        ipsec.lifetime_kb, ipsec.src["lifetime_kb"] = e.life_kb or self.life_kb or self.dflt("ipsec.lifetime_kb",
                                                                                             e.origin)
        ep = Endpoint(name=f"{name} [{version}]", kind=kind, local_address=local, peer_address=peer,
                      interface=itf_name if not tunnel else tunnel.name, ike=ike, ipsec=ipsec, origin=e.origin,
                      notes=notes)
        if peer_src:
            ep.src["peer_address"] = peer_src
        if itf:
            ep.src["local_address"] = itf.source
        wan = self.mtus.get(itf_name or "") or ((itf.mtu, itf.source) if itf and itf.mtu else (None, None))
        attach_wan_mtu(ep, *wan)
        if tunnel:
            attach_route_based(ep, tunnel)
            if tunnel.name in self.mtus:  # a VTI's MTU is a global `mtu <nameif>` line too
                ep.tunnel_mtu, ep.src["tunnel_mtu"] = self.mtus[tunnel.name]
            ep.bgp = tunnel_bgp(tunnel, self.bgp_neighbors, self.cfg.bgp_asn)
            for ip, at in self.bgp_shutdown.items():
                if tunnel.network is not None and IPAddress(ip) in tunnel.network:
                    self.shut_noted.add(ip)
                    ep.notes.append(Diagnostic(severity="warning", file=self.file, line=at.line, text=at.text,
                                               message=_shutdown(ip)))
        elif e.acl:
            attach_acl_selectors(ep, self.cfg, e.acl[0], e.acl[1], "match address: access-list")
            ep.per_pair_sas = True
            if not ep.selectors and e.acl[0] in self.inactive_acl:
                at = self.inactive_acl[e.acl[0]][0]
                ep.notes.append(Diagnostic(
                    severity="error", file=self.file, line=at.line, text=at.text,
                    message=f"{name}: every permit entry of access-list {e.acl[0]} is `inactive`, so the crypto map "
                            "selects no traffic and no SA is ever negotiated"))
        self.cfg.endpoints.append(ep)


def _shutdown(ip: str) -> str:
    return (f"BGP neighbor {ip} is `shutdown` (administratively down): no BGP session is established with it, so "
            f"it does not count as the tunnel's BGP neighbor; `no neighbor {ip} shutdown` under `router bgp` / "
            "` address-family ipv4 unicast` brings it up")


def _mapped_ifc(ifcs: list[str]) -> str | None:
    """The interface a NAT rule translates on (its mapped side); None = every interface: no interfaces given, or
    `any` (Cisco ASA Command Reference, `nat (global)`: "You can also specify the keyword any for one or both of
    the interfaces. If you do not specify the interfaces, then any is the default")."""
    mapped = ifcs[-1] if len(ifcs) > 1 else None
    return None if mapped == "any" else mapped


def _droppable_name(block: Block) -> str | None:
    """Access lists and network objects are parsed only when something names them; an object that
    carries its own NAT rule always counts."""
    w = block.words
    at = _NAME_AT.get(w[0])
    if at is None or len(w) <= at or (at == 2 and line_starting(block.texts(), ("\nnat",)) and any(
            map(_is_nat, block.texts()))):
        return None
    return w[at]


_NAME_AT = {"access-list": 1, "object": 2, "object-group": 2}  # droppable header -> index of its name


def _is_nat(t: str) -> bool:
    """``t.split()[0] == "nat"`` for a stripped line, without splitting it (most object lines are never read)."""
    return t[:3] == "nat" and (len(t) == 3 or t[3].isspace())


def parse(text: str, file: str) -> DeviceConfig:
    return _Parser(text, file).run()
