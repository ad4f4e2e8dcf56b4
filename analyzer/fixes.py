"""Fixes. Rules ask for a fix by intent ("set PFS group 2 on this endpoint"); a vendor fixer turns the intent
into that vendor's commands (a ``Fix``: device commands, the Alibaba-side alternative, a note). The base class
words it vendor-neutrally as a note (no command block), so a new vendor works before its fixer exists.
Fixers never see or print a pre-shared key, and never rewrite an object other tunnels use (``free_name``)."""
from __future__ import annotations

import importlib
import inspect

from analyzer.algorithms import ALIBABA_DH_GROUPS, ALIBABA_ENCRYPTION, ALIBABA_INTEGRITY
from analyzer.findings import Fix
from analyzer.i18n import _
from analyzer.model import Endpoint, Identity, SelectorPair

_FIXERS = {"cisco-ios": "parsers.cisco_ios.fixes", "cisco-asa": "parsers.cisco_asa.fixes",
           "huawei-vrp": "parsers.huawei_vrp.fixes", "h3c-comware": "parsers.h3c_comware.fixes"}  # vendor -> module with a `Fixer` class (imported lazily)


def alibaba_alg(name: str) -> str:
    return {"aes128": "aes"}.get(name, name)


def alibaba_group(group: int | None) -> str:
    return "disabled" if group is None else f"group{group}"


# --- Alibaba-side values a fix may propose: only what the API accepts ---------------------------------------
# shared/reference/alibaba/schema.md §2.2/§2.3/§8 (CreateVpnConnection / ModifyVpnConnectionAttribute texts);
# parsers/alibaba.py rejects anything else on input. SM (ShangMi) gateways add sm4/sm3 and take IKEv1 main mode
# only; a connection that already uses sm4 or sm3 is on an SM gateway, any other is not (no SM value proposed).
_STANDARD_ENC = tuple(a for a in ALIBABA_ENCRYPTION if a != "sm4")
_STANDARD_AUTH = tuple(a for a in ALIBABA_INTEGRITY if a != "sm3")
_GROUPS = ALIBABA_DH_GROUPS
_LIFETIME_MAX = 86400
_ID_MAX = 100


def sm_gateway(ali: Endpoint) -> bool:
    """The Alibaba tunnel uses a ShangMi algorithm, so it sits on an SM gateway."""
    algs = {v for p in ali.ike.proposals + ali.ipsec.proposals for v in (*p.encryption, *p.integrity)}
    return bool(algs & {"sm4", "sm3"})


def alibaba_accepts(field: str, value, sm: bool = False) -> str | None:
    """The text to write in Alibaba's ``field`` for the canonical ``value``, or None when Alibaba does not accept
    that value there (GCM ciphers, DH groups other than 1/2/5/14, lifetimes above 86400 s, ...)."""
    name = field.rsplit(".", 1)[-1]
    if name in ("IkeEncAlg", "IpsecEncAlg"):
        ok = value in _STANDARD_ENC or (sm and value == "sm4")
        return alibaba_alg(value) if ok else None
    if name in ("IkeAuthAlg", "IpsecAuthAlg"):
        return value if value in _STANDARD_AUTH or (sm and value == "sm3") else None
    if name in ("IkePfs", "IpsecPfs"):
        if value is None:
            return "disabled" if name == "IpsecPfs" else None
        return alibaba_group(value) if value in _GROUPS else None
    if name == "IkeVersion":
        return value if value == "ikev1" or (value == "ikev2" and not sm) else None
    if name == "IkeMode":
        return value if value == "main" or (value == "aggressive" and not sm) else None
    if name in ("IkeLifetime", "IpsecLifetime"):
        return str(value) if isinstance(value, int) and 0 <= value <= _LIFETIME_MAX else None
    if name in ("LocalId", "RemoteId"):  # an IP address or an FQDN, at most 100 characters, no spaces
        ok = (value is not None and value.type in ("ip", "fqdn") and value.value and len(value.value) <= _ID_MAX
              and not any(c.isspace() for c in value.value))
        return value.value if ok else None
    return None


def alibaba_alternative(field: str, values: list, sm: bool = False, render=str) -> Fix:
    """The Alibaba-side alternative of a fix: ``field`` = the first of ``values`` (the device's, in its order of
    preference) that Alibaba accepts; when it accepts none of them, a note saying to change the device instead.
    Empty when there is no device value to mirror."""
    if not values:
        return Fix()
    for v in values:
        text = alibaba_accepts(field, v, sm)
        if text is not None:
            return Fix(alibaba={field: text})
    shown = ", ".join(render(v) for v in values)
    return Fix(note=_("Alibaba's {field} cannot be set to the device's {values}: change the device").format(
        field=field.rsplit(".", 1)[-1], values=shown))


# ``pfs`` of an ESP proposal fix when the caller does not know Alibaba's group: keep the endpoint's (H3C sets PFS
# in the transform set, so a new one must carry it).
SAME = "same"


def commands(text: str, note: str | None = None, alibaba: dict | None = None, required: bool = False) -> Fix:
    """A fix whose device block is ``text``, one command per line (sub-mode lines indented); ``alibaba`` the
    Alibaba-side alternative, or the Alibaba values needed as well when ``required``."""
    return Fix(device=text.removesuffix("\n").split("\n"), note=note, alibaba=alibaba or {}, alibaba_required=required)


def advice(text: str) -> Fix:
    """A fix the vendor-neutral fixer can only describe (no command block)."""
    return Fix(note=text)


def in_use(device) -> set[str]:
    """Every object name/number the device text defines, parsed or not (``DeviceConfig.names_in_use``), and its
    parsed ACLs: a new object must take none of them, whatever its kind (avoiding too many is harmless)."""
    return (set(device.acls) | device.names_in_use) if device else set()


def taken(device, prefix: str) -> set[str]:
    """What follows ``prefix`` in the names of the device's IKE/IPsec objects (``prefix`` "isakmp policy "
    gives the policy numbers in use), plus every name the text defines (``in_use``)."""
    names = {p.name for ep in (device.endpoints if device else ()) for p in (*ep.ike.proposals, *ep.ipsec.proposals)}
    return {n[len(prefix):] for n in names if n.startswith(prefix)} | in_use(device)


def shared(device, ep, name: str) -> bool:
    """Another tunnel of the device uses the object ``name`` too (changing it would change that tunnel)."""
    return any(o is not ep and any(p.name == name for p in (*o.ike.proposals, *o.ipsec.proposals))
               for o in (device.endpoints if device else ()))


def _rule_id(entry) -> int | None:
    words = (entry.source.text or "").split() if entry.source else []
    return int(words[1]) if len(words) > 1 and words[0] == "rule" and words[1].isascii() and words[1].isdigit() else None


def free_rule_ids(device, acl: str | None, count: int) -> list[int] | None:
    """``count`` rule numbers of a VRP/Comware ACL that no rule uses and that come before its first permit (rules
    match in number order; a `rule N` with a used N would replace that rule); None when there is no room."""
    entries = device.acls[acl].entries if device and acl in device.acls else []
    used = {_rule_id(e) for e in entries}
    first_permit = min((n for e in entries if e.action == "permit" and (n := _rule_id(e)) is not None), default=65535)
    free = [n for n in range(first_permit) if n not in used][:count]
    return free if len(free) == count else None


def free_name(taken: set[str], base: str = "ALIBABA") -> str:
    """``base``, or ``base-2``, ``base-3`` ... : the first name no object of the device uses."""
    if base not in taken:
        return base
    return next(f"{base}-{i}" for i in range(2, len(taken) + 3) if f"{base}-{i}" not in taken)


def free_number(taken: set[str], start: int = 10, step: int = 10, top: int = 65535) -> int:
    """The first of start, start+step, ... (then any number up to ``top``) no object of the device uses."""
    numbers = {int(t) for t in taken if t.isascii() and t.isdigit()}
    for n in range(start, top + (1 if step > 0 else -1), step):  # a negative step counts down to ``top``
        if n not in numbers:
            return n
    return next(n for n in range(1, 65536) if n not in numbers)


class Fixer:
    """Vendor-neutral wording of every fix intent. ``device`` (the DeviceConfig) lets a vendor fixer name new
    objects with a free number/name; ``algs`` = Alibaba's (encryption, integrity, DH group), used when a
    lifetime fix must add a new IKE proposal (so it equals the one an algorithm fix adds); likewise ``pfs`` (the
    PFS group Alibaba uses, or SAME) and ``esp`` (Alibaba's ESP encryption, integrity) for ESP/PFS fixes."""

    def ike_proposal(self, ep: Endpoint, enc: str, integ: str, dh: int, life: int, device=None) -> Fix:
        return advice(_("add an IKE ({version}) proposal with encryption {enc}, integrity {integ}, DH group {dh}, "
                        "lifetime {life} s").format(version=ep.ike.version, enc=enc, integ=integ, dh=dh, life=life))

    def ipsec_proposal(self, ep: Endpoint, enc: str, integ: str, device=None, pfs=SAME) -> Fix:
        return advice(_("use one ESP tunnel-mode proposal with encryption {enc} and integrity {integ}").format(
            enc=enc, integ=integ))

    def pfs(self, ep: Endpoint, group: int | None, device=None, esp: tuple | None = None) -> Fix:
        return advice(_("disable PFS") if group is None else _("enable PFS with DH group {group}").format(group=group))

    def ipsec_lifetime(self, ep: Endpoint, seconds: int, device=None) -> Fix:
        return advice(_("set the IPsec SA lifetime to {seconds} s").format(seconds=seconds))

    def ike_lifetime(self, ep: Endpoint, seconds: int, device=None, algs: tuple | None = None) -> Fix:
        return advice(_("set the IKE SA lifetime to {seconds} s").format(seconds=seconds))

    def no_volume_lifetime(self, ep: Endpoint, device=None) -> Fix:
        return advice(_("remove the traffic-based (kilobytes) SA lifetime"))

    def psk(self, ep: Endpoint) -> Fix:
        return advice(_("set the pre-shared key for peer {peer} to the value of Alibaba's Psk").format(
            peer=ep.peer_address))

    def local_id(self, ep: Endpoint, ident: Identity) -> Fix:
        return advice(_("set the local IKE identity to {identity}").format(identity=ident))

    def remote_id(self, ep: Endpoint, ident: Identity) -> Fix:
        return advice(_("expect the peer IKE identity {identity}").format(identity=ident))

    def mode(self, ep: Endpoint, mode: str) -> Fix:
        return advice(_("use IKEv1 {mode} mode towards {peer}").format(mode=mode, peer=ep.peer_address))

    def version(self, ep: Endpoint, version: str, device=None) -> Fix:
        return advice(_("use {version} for the tunnel to {peer}").format(version=version, peer=ep.peer_address))

    def dpd(self, ep: Endpoint, enabled: bool) -> Fix:
        return advice(_("enable DPD") if enabled else _("disable DPD"))

    def natt(self, ep: Endpoint, enabled: bool) -> Fix:
        return advice(_("enable NAT traversal") if enabled else _("disable NAT traversal"))

    def selectors(self, ep: Endpoint, pairs: list[SelectorPair], device=None) -> Fix:
        return advice(_("protect exactly: {flows}").format(flows="; ".join(str(p) for p in pairs)))

    def mtu(self, ep: Endpoint, mtu: int, mss: int) -> Fix:
        return advice(_("set the tunnel MTU to {mtu} and the TCP MSS to {mss}").format(mtu=mtu, mss=mss))

    def nat_exempt(self, ep: Endpoint, acl: str | None, pairs: list[SelectorPair], device=None) -> Fix:
        return advice(_("exempt VPN traffic from source NAT: {flows}").format(flows="; ".join(str(p) for p in pairs)))

    def permit_ike(self, ep: Endpoint, acl: str, gateway: str) -> Fix:
        return advice(_("permit UDP 500 and 4500 (and ESP) from {gateway} in access-list {acl}").format(
            gateway=gateway, acl=acl))

    def peer(self, ep: Endpoint, address: str) -> Fix:
        return advice(_("set the peer address to {address}").format(address=address))

    def bgp_neighbor(self, ep: Endpoint, local_asn, neighbor: str, remote_asn) -> Fix:
        return advice(_("add BGP neighbor {neighbor} remote-as {remote_asn} under router bgp {local_asn}").format(
            neighbor=neighbor, remote_asn=remote_asn, local_asn=local_asn or _("(your ASN)")))

    def esp_tunnel(self, ep: Endpoint) -> Fix:
        return advice(_("use ESP in tunnel mode"))


def with_device(method, *args, device=None) -> Fix:
    """``method(*args, device=device)``, or ``method(*args)`` for a vendor fixer whose method does not take the
    device (yet): the device lets a fixer pick free names for the objects it adds."""
    if "device" in inspect.signature(method).parameters:
        return method(*args, device=device)
    return method(*args)


_cache: dict[str, Fixer] = {}


def fixer_for(vendor: str) -> Fixer:
    if vendor not in _cache:
        module = _FIXERS.get(vendor)
        _cache[vendor] = importlib.import_module(module).Fixer() if module else Fixer()
    return _cache[vendor]
