"""Syntax shared by Huawei VRP and H3C Comware (one lineage): `#` separators, `rule ... source A W destination B W`
ACLs, `ip address A MASK|LEN`, `nat outbound ACL`, `pre-shared-key simple|cipher`, tunnel interfaces."""
from __future__ import annotations

import re
from functools import partial

from netaddr import IPNetwork

from analyzer.i18n import N_
from analyzer.model import (AccessList, AclEntry, DeviceConfig, Diagnostic, Interface, NatRule, PresharedKey, Source)
from analyzer.redact import key_value, masked_line
from parsers.blocks import Block, Line, drop_unreferenced, scan
from parsers.object_names import VRP, defined_name, names_in_use
from parsers.cisco_common import is_ipv4, network, parse_ports
from parsers.values import is_uint, uint
from parsers.generation import PSK_PLACEHOLDER
from parsers.common import (attach_route_based, attach_wan_mtu, interface_ip, line_starting, redact_secrets,
                            wan_interface)

_KEY_FORMS = ("simple", "cipher", "plaintext", "ciphertext")
# Huawei's reversible cipher text, which USG exports print with no `cipher` keyword: `%^%#...%^%#` (also `%$%$`,
# `%@%@`, older releases). Read as plaintext it would be a false PskMismatch.
_HUAWEI_CIPHER = re.compile(r"(%\^%#|%\$%\$|%@%@).+\1$")


def vrp_network(ip: str, mask: str | None, wildcard: bool) -> IPNetwork | None:
    """VRP writes masks as dotted wildcards, dotted netmasks, prefix lengths, or `0` for a host."""
    if mask is None or mask == "0":
        return network(ip)
    if is_uint(mask):
        try:
            return IPNetwork(f"{ip}/{int(mask)}").cidr if int(mask) <= 32 and is_ipv4(ip) else None
        except ValueError:
            return None
    return network(ip, mask, wildcard=wildcard)


def policy_header(ep) -> str:
    """The `ipsec policy NAME SEQ isakmp` line an endpoint came from, for fix texts."""
    return ep.origin.text if ep.origin and ep.origin.text else "ipsec policy <POLICY> <SEQ> isakmp"


def wildcard_addr(net: IPNetwork) -> str:
    """A network as VRP ACL rules write it: `any` or address + wildcard."""
    return "any" if net.prefixlen == 0 else f"{net.network} {net.hostmask}"



def acl_ids(w: list[str]) -> list[str]:
    """What an ACL header names the ACL by, name first: `acl number 3000`, `acl name VPN [advance]`, `acl advanced
    3100`, `acl advanced name VPN`, and both forms at once - Huawei `acl name VPN 3000` and H3C `acl number 3000
    name VPN` / `acl advanced 3000 name VPN` - where a reference may use either (`security acl 3000`)."""
    if w[0] != "acl" or len(w) < 2:
        return []
    ids = []
    if "name" in w[1:]:
        i = w.index("name")
        if i + 1 < len(w):
            ids.append(w[i + 1])
    ids += [x for x in w[1:] if x.isdigit() and x not in ids][:1]
    return ids or [w[2] if len(w) > 2 else w[1]]


def acl_name(w: list[str]) -> str | None:
    ids = acl_ids(w)
    return ids[0] if ids else None


def security_acl(cw: list[str]) -> str | None:
    """The ACL a ` security acl 3000` / ` security acl name VPN` line names (H3C writes the `name` keyword)."""
    rest = cw[2:]
    if rest[:1] == ["name"]:
        rest = rest[1:]
    return rest[0] if rest else None


def _nat_acl(w: list[str]) -> str | None:
    """`nat outbound [ACL-NUMBER | name ACL-NAME] [address-group ...]`; no ACL translates every packet (H3C NAT
    command reference, `nat outbound`: "[ ipv4-acl-number | name ipv4-acl-name ]"; Huawei takes a number)."""
    if len(w) > 2 and is_uint(w[2]):
        return w[2]
    if len(w) > 3 and w[2] == "name":
        return w[3]
    return None


_ITF_KEEP = ("\nipsec", "\nnat", "\ntunnel", "\nsource", "\ndestination")  # line_starting's form: at a line start


def nat_deny_rules(device, acl: str | None, pairs) -> str | None:
    """` rule N deny ip ...` lines for the VPN flows, numbered before the ACL's first permit with numbers no rule
    uses (a used number would replace that rule); None when no number is free there."""
    from analyzer.fixes import free_rule_ids

    ids = free_rule_ids(device, acl, len(pairs))
    if ids is None:
        return None
    return "\n".join(f" rule {i} deny ip source {wildcard_addr(p.local)} destination {wildcard_addr(p.remote)}"
                     for i, p in zip(ids, pairs))


def proposal_lifetime(fixer, ep, seconds: int, device=None, algs=None):
    """IKEv1 lifetime fix: the `ike proposal`'s `sa duration` when only this tunnel uses it, else a new proposal
    (with Alibaba's algorithms, or the proposal's own)."""
    from analyzer.fixes import commands, shared

    p = next((p for p in ep.ike.proposals if p.name.startswith("ike proposal ") and p.origin), None)
    if p and not shared(device, ep, p.name):
        return commands(f"{p.origin.text}\n sa duration {seconds}")
    algs = algs or (p.encryption[0] if p and p.encryption else "aes128",
                    p.integrity[0] if p and p.integrity else "sha256", p.dh_groups[0] if p and p.dh_groups else 14)
    return fixer.ike_proposal(ep, *algs, seconds, device=device)


NO_FREE_RULE = N_("ACL {acl} has no free rule number before its first permit: renumber it (`step`) and add a deny "
                  "rule for each VPN flow before the permits")


def droppable_name(block: Block, defined: set[str] | None = None) -> str | None:
    """Name of an ACL, or of an interface with no IPsec, NAT or tunnel line: parsed only when a kept block
    names it (tunnel source, local-address...). ``defined`` receives the name object_names reads in an ACL header
    when it is another word (`acl number X 3000`), so the dropped block's names need no second pass."""
    w = block.words
    if w[0] == "acl":
        if len(w) == 3 and w[1] == "number" and w[2].isdigit():
            return w[2]  # acl_ids' answer for the common `acl number 3000`, without its scan for `name`
        ids = acl_ids(w)
        name = ids[0] if len(ids) == 1 else None  # named by two ids: kept whichever one a reference uses
        if name is not None and defined is not None and (other := defined_name(block, VRP)) not in (None, name):
            defined.add(other)
        return name
    if w[0] == "interface":
        if len(w) == 2 and not w[1].lower().startswith("tunnel") and not line_starting(block.texts(), _ITF_KEEP):
            return w[1]
    return None


class VrpParser:
    """Base for the Huawei and H3C parsers: scanning, ACLs, interfaces, NAT, keys, diagnostics."""

    vendor = "vrp"
    keep: tuple[str, ...] = ()
    mss_words = ["tcp", "adjust-mss"]  # the interface MSS clamp: Huawei `tcp adjust-mss N`, H3C `tcp mss N`

    def __init__(self, text: str, file: str):
        self.file = file
        self.cfg = DeviceConfig(file=file, vendor=self.vendor)
        self.tunnels: list[tuple[Interface, Block]] = []
        self.policy_itf: dict[str, list[str]] = {}
        self.mtu_src: dict[str, Source] = {}  # interface name -> its `mtu` line
        self.mss_src: dict[str, Source] = {}  # interface name -> its MSS line (findings point at it)
        self.text_head = text[:4096]
        # keep: the prefix tuple itself (tested in the scan loop, no Python call per top-level line); no flush-left
        # sub-mode vocabulary is read for VRP or Comware (submode None)
        self.blocks = scan(text, self.keep, None, comment="#",
                           closers=("return", "quit"), sections=True)

    def run(self) -> DeviceConfig:
        # a fix's new ACL/proposal must take none of the names: every droppable name, what object_names reads in a
        # dropped ACL header when that differs (`acl number X 3000`), and the names of the kept blocks
        names: set[str] = set()
        blocks = drop_unreferenced(self.blocks, partial(droppable_name, defined=names), names)
        self.cfg.names_in_use = names | names_in_use(blocks, VRP)
        for block in blocks:
            try:
                self.dispatch(block, block.words)
            except (IndexError, ValueError):
                self.note(block.head, "malformed line; skipped", "warning")
        self.build()
        return self.cfg

    def dispatch(self, block: Block, words: list[str]) -> None:
        raise NotImplementedError

    def build(self) -> None:
        raise NotImplementedError

    def _keep(self, line: str) -> bool:
        return line.startswith(self.keep)

    def src(self, line: Line) -> Source:
        return Source(file=self.file, line=line.no, text=redact_secrets(line.text))

    def default(self, note: str, at: Source | None = None) -> Source:
        return Source.default_at(self.file, at, note)

    def note(self, where: Line | Source, message: str, severity: str = "info", keys: bool = False) -> None:
        """``keys``: the line sits in a block that holds keys and was not understood, so none of it is shown."""
        line = where.line if isinstance(where, Source) else where.no
        if keys:
            message += " (not shown: this block holds keys)"
        self.cfg.diagnostics.append(Diagnostic(severity=severity, message=message, file=self.file, line=line,
                                               text=masked_line() if keys else redact_secrets(where.text or "")))

    def psk(self, words: list[str], line: Line) -> PresharedKey:
        """``words`` after `pre-shared-key` / `key`: [simple|cipher|plaintext|ciphertext] KEY, where a KEY
        with spaces is written in double quotes, which delimit it (Huawei command reference, `pre-shared-key
        (IKE peer view)`: "If the character string is enclosed in double quotation marks, the character
        string can contain spaces")."""
        if not words:
            return PresharedKey(form="missing", source=self.src(line))
        qualified = len(words) > 1 and words[0] in _KEY_FORMS
        if words[qualified] == PSK_PLACEHOLDER:  # what `generate` writes, even after `cipher`: not a key yet, and
            # PskMismatch says so as an error (a config with the placeholder is not usable), as for Cisco
            return PresharedKey(form="plain", secret=PSK_PLACEHOLDER, source=self.src(line))
        if (qualified and words[0] in ("cipher", "ciphertext")) or _HUAWEI_CIPHER.match(words[0]):
            return PresharedKey(form="encrypted", source=self.src(line))
        value = key_value(line.text, len(line.words) - len(words) + qualified)
        return PresharedKey(form="plain" if value else "missing", secret=value or None, source=self.src(line))

    # -- ACLs: `acl number 3000` / `acl name X advance` / `acl advanced 3100` + ` rule ...` ----------
    def acl(self, block: Block) -> None:
        name, *aliases = acl_ids(block.words)
        acl = self.cfg.acls.setdefault(name, AccessList(name=name, source=self.src(block.head)))
        for alias in aliases:
            self.cfg.acls.setdefault(alias, acl)
        for c in block.children:
            cw = c.words
            if cw[0] != "rule":
                continue
            i = 1
            if i < len(cw) and is_uint(cw[i]):
                i += 1
            if i >= len(cw) or cw[i] not in ("permit", "deny"):
                self.note(c, f"acl {name}: rule not understood; ignored by the checks", "warning")
                continue
            action = cw[i]
            proto = cw[i + 1] if i + 1 < len(cw) and cw[i + 1] not in ("source", "destination") else "ip"
            src = dst = IPNetwork("0.0.0.0/0")
            ports = None
            ok = True
            j = i + 1
            while j < len(cw):
                key = cw[j]
                if key in ("source", "destination") and j + 1 < len(cw):
                    if cw[j + 1] == "any":
                        net, j = IPNetwork("0.0.0.0/0"), j + 2
                    else:
                        mask = cw[j + 2] if j + 2 < len(cw) and (is_ipv4(cw[j + 2]) or is_uint(cw[j + 2])) else None
                        net = vrp_network(cw[j + 1], mask, wildcard=True)
                        j += 3 if mask is not None else 2
                    if net is None:
                        ok = False
                    elif key == "source":
                        src = net
                    else:
                        dst = net
                elif key == "destination-port":
                    ports, j = parse_ports(cw, j + 1)
                else:
                    j += 1
            if not ok:
                self.note(c, f"acl {name}: address not understood; rule ignored by the checks", "warning")
                continue
            acl.entries.append(AclEntry(action=action, protocol=proto, src=src, dst=dst, dst_ports=ports,
                                        source=self.src(c)))

    def policy_entries(self, pol) -> list:
        """(entry, via) pairs a policy stands for: itself, or each entry of the `ipsec policy-template` it names
        (`ipsec policy P N isakmp template T`; ``via`` is then P). Both vendors keep ``self.templates``."""
        if pol.template_ref is None:
            return [(pol, None)]
        entries = self.templates.get(pol.template_ref[0])
        if not entries:
            self.note(pol.template_ref[1], f"{pol.name}: ipsec policy-template {pol.template_ref[0]} is not defined",
                      "error")
        return [(entry, pol) for entry in entries or []]

    def sa_lifetimes(self, ipsec, pol, life_s: int, life_kb: int, default: Source) -> None:
        """A policy's `sa duration`, else the system view's `ipsec sa global-duration` (``self.global_life``),
        else the vendor default (``default`` cites its row)."""
        ipsec.lifetime_s, ipsec.src["lifetime_s"] = pol.life_s or self.global_life.get("time-based") or (
            life_s, default)
        ipsec.lifetime_kb, ipsec.src["lifetime_kb"] = pol.life_kb or self.global_life.get("traffic-based") or (
            life_kb, default)

    # -- interfaces ----------------------------------------------------------------------------
    def attach_wan(self, ep, outside: str | None) -> None:
        """The outside interface's MTU (an input to Alibaba's user-MTU limit) and, for a policy-based tunnel,
        its MSS clamp (what user traffic through the tunnel gets)."""
        wan = wan_interface(self.cfg, outside)
        if wan is None:
            return
        attach_wan_mtu(ep, wan.mtu, self.mtu_src.get(wan.name))
        if ep.kind != "route" and ep.tcp_mss is None and wan.tcp_mss is not None:
            ep.tcp_mss, ep.src["tcp_mss"] = wan.tcp_mss, self.mss_src.get(wan.name, wan.source)

    def route_based(self, ep, tunnel: Interface) -> None:
        """attach_route_based, with the tunnel's MTU and MSS located at their own lines, not the interface's."""
        attach_route_based(ep, tunnel)
        ep.src["tunnel_mtu"] = self.mtu_src.get(tunnel.name, tunnel.source)
        ep.src["tcp_mss"] = self.mss_src.get(tunnel.name, tunnel.source)

    def interface(self, block: Block, policy_words: tuple[str, ...]) -> Interface:
        name = " ".join(block.words[1:]) if len(block.words) > 1 else "?"
        itf = Interface(name=name, source=self.src(block.head))
        tunnel = False
        for c in block.children:
            w = c.words
            if w[:2] == ["ip", "address"] and len(w) > 3 and is_ipv4(w[2]) and "sub" not in w:
                itf.address, itf.network = w[2], vrp_network(w[2], w[3], wildcard=False)
            elif tuple(w[:len(policy_words)]) == policy_words and len(w) > len(policy_words):
                self.policy_itf.setdefault(w[len(policy_words)], []).append(name)
            elif w[:2] == ["nat", "outbound"]:
                self.cfg.nat_rules.append(NatRule(acl=_nat_acl(w), interface=name, source=self.src(c)))
            elif w[:2] == ["nat", "enable"]:
                self.cfg.nat_rules.append(NatRule(acl=None, interface=name, source=self.src(c)))
            elif w[0] == "mtu" and len(w) > 1 and is_uint(w[1]):
                itf.mtu, self.mtu_src[name] = uint(w[1]), self.src(c)
            elif w[:2] == self.mss_words and len(w) > 2 and is_uint(w[2]):
                itf.tcp_mss, self.mss_src[name] = uint(w[2]), self.src(c)
            elif w[0] in ("tunnel-protocol", "source", "destination", "tunnel") or w[:2] == ["ipsec", "profile"]:
                tunnel = True
        self.cfg.interfaces[name] = itf
        if tunnel or name.lower().startswith("tunnel"):
            self.tunnels.append((itf, block))
        return itf

    def local_ip(self, where: str | None) -> str | None:
        return interface_ip(self.cfg, where)

    def synthetic_nat(self, name: str, srcs: list[IPNetwork], dsts: list[IPNetwork], exempt: bool, line: Line) -> None:
        """A NAT policy with its own match fields becomes an ACL + NAT rule in the model."""
        self.cfg.acls[name] = AccessList(name=name, source=self.src(line), entries=[
            AclEntry(action="permit", src=s, dst=d, source=self.src(line))
            for s in (srcs or [IPNetwork("0.0.0.0/0")]) for d in (dsts or [IPNetwork("0.0.0.0/0")])])
        self.cfg.nat_rules.append(NatRule(acl=name, exempt=exempt, source=self.src(line)))
