"""The normalized, vendor-independent IKE/IPsec model: the contract between parsers and rules.

Units are explicit in field names (``_s`` seconds, ``_kb`` kilobytes). Algorithm names are canonical
(see ``analyzer.algorithms``). Every value a parser resolved carries a :class:`Source` in the owning
object's ``src`` map, so a finding can point at the file and line, or say that a vendor default applied.
"""
from __future__ import annotations

import re
from typing import Annotated, Literal

from netaddr import IPNetwork
from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, PlainSerializer, SecretStr

from analyzer.redact import shown


_IPV4_RE = re.compile(r"(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])){3}")


def is_ipv4(text: object) -> bool:
    """Dotted-quad IPv4, four decimal parts (no prefix, no leading zeros, no short forms like 10.1): what
    ``local_address`` / ``peer_address`` hold when they are addresses (a peer may also be a host name)."""
    return isinstance(text, str) and _IPV4_RE.fullmatch(text) is not None


def _to_network(value: object) -> IPNetwork:
    return value if isinstance(value, IPNetwork) else IPNetwork(str(value))


Network = Annotated[IPNetwork, BeforeValidator(_to_network), PlainSerializer(str, return_type=str)]


def _shown(value: object) -> object:
    return shown(value) if isinstance(value, str) else value


# A config line kept for display. Parsers mask key material where they read the line; this makes the
# model enforce it too, so no code path can put a key into a string that reaches output.
ShownLine = Annotated[str, BeforeValidator(_shown)]


def new_list() -> list:
    # not the builtin `list`: pydantic inspects a default factory's signature, and a builtin's costs a
    # tokenizer compile (~14 ms of every start)
    return []


def new_dict() -> dict:
    return {}


class _Model(BaseModel):
    # defer_build: a class's validator is built when the run first uses it (a forward reference such as
    # Endpoint.notes resolves then), so importing this module builds none (no model_rebuild() here)
    model_config = ConfigDict(arbitrary_types_allowed=True, defer_build=True)


# Said in a Source's note when the vendor default it applies is not backed by a vendor document (written
# by parsers.defaults; a finding pointing at such a default shows the note, so the output says so).
UNVERIFIED_DEFAULT = "not verified in a vendor document"


class Source(_Model):
    """Where a value came from: a device line, an Alibaba JSON field, or a vendor default."""

    file: str | None = None
    line: int | None = None
    text: ShownLine | None = None  # the device line, key material masked (analyzer.redact)
    field: str | None = None  # JSON path for Alibaba inputs, e.g. "IkeConfig.IkeEncAlg"
    defaulted: bool = False  # True when the vendor default applies because the line is absent
    note: str | None = None  # why/which default, with its documentation source (or UNVERIFIED_DEFAULT)

    @classmethod
    def default_at(cls, file: str, at: "Source | None", note: str) -> "Source":
        """A vendor default, located at the block it applies to (``at``: its header line) when there is one."""
        return cls(file=file, line=at.line if at else None, text=at.text if at else None, defaulted=True, note=note)


class Sourced(_Model):
    """An object whose attributes each may have their own source line."""

    origin: Source | None = None  # the header line of the block that defined the object
    src: dict[str, Source] = Field(default_factory=new_dict)

    def at(self, attr: str) -> Source | None:
        return self.src.get(attr) or self.origin


class Identity(_Model):
    type: Literal["ip", "fqdn", "user-fqdn", "dn", "key-id", "any"]
    value: str | None = None

    def __str__(self) -> str:
        return "any" if self.type == "any" else f"{self.type}:{self.value}"


class PresharedKey(_Model):
    """A PSK. ``secret`` holds comparable plaintext only (Cisco type 7 is decoded in memory)."""

    form: Literal["plain", "reversible", "encrypted", "masked", "missing"]
    secret: SecretStr | None = None
    source: Source | None = None


class IkeProposal(Sourced):
    """One phase-1 proposal. Lists hold every value the device offers in this proposal."""

    name: str
    encryption: list[str] = Field(default_factory=new_list)
    integrity: list[str] = Field(default_factory=new_list)
    prf: list[str] = Field(default_factory=new_list)
    dh_groups: list[int] = Field(default_factory=new_list)
    auth_method: str = "pre-share"
    lifetime_s: int | None = None


class Dpd(_Model):
    enabled: bool = False
    mode: Literal["periodic", "on-demand"] | None = None
    interval_s: int | None = None
    retry_s: int | None = None
    payload_order: Literal["hash-notify", "notify-hash"] | None = None


class Ike(Sourced):
    version: Literal["ikev1", "ikev2", "any"]
    mode: Literal["main", "aggressive", "any"] = "main"
    proposals: list[IkeProposal] = Field(default_factory=new_list)
    psk: PresharedKey = Field(default_factory=lambda: PresharedKey(form="missing"))  # the key this side sends
    psk_remote: PresharedKey | None = None  # the key it expects from the peer, when configured separately
    local_id: Identity | None = None
    remote_id: Identity | None = None  # what this side expects the peer to present
    dpd: Dpd = Field(default_factory=Dpd)
    nat_traversal: bool = True
    commit_bit: bool = False
    # a built-in proposal the device falls back to only when none of `proposals` matches (H3C's default IKE
    # proposal); kept apart so it neither counts as a configured value nor hides which one mismatches
    fallback: IkeProposal | None = None


class IpsecProposal(Sourced):
    name: str
    protocol: Literal["esp", "ah", "ah-esp"] = "esp"
    encryption: list[str] = Field(default_factory=new_list)
    integrity: list[str] = Field(default_factory=new_list)
    mode: Literal["tunnel", "transport"] = "tunnel"


class Ipsec(Sourced):
    proposals: list[IpsecProposal] = Field(default_factory=new_list)
    pfs_group: int | None = None  # None = PFS off
    lifetime_s: int | None = None
    lifetime_kb: int | None = None  # None = no volume-based lifetime
    # HMAC-SHA-2 ESP/AH integrity in the RFC 4868 form (SHA-256 ICV of 128 bits). False: the vendor's own form
    # (Huawei without `ipsec authentication sha2 compatible enable`); None: not applicable or not known.
    sha2_rfc4868: bool | None = None


class SelectorPair(_Model):
    local: Network
    remote: Network
    protocol: str = "ip"
    source: Source | None = None

    def __str__(self) -> str:
        return f"{self.local} <-> {self.remote}"


class Bgp(_Model):
    local_asn: int | None = None
    peer_asn: int | None = None
    local_ip: str | None = None
    peer_ip: str | None = None
    tunnel_cidr: str | None = None
    auth_key: bool = Field(default=False, exclude=True)  # Alibaba: its BGP config has an MD5 AuthKey (whether only)
    source: Source | None = None


class Endpoint(Sourced):
    """One IPsec tunnel as configured on one side: IKE + IPsec + addresses + selectors."""

    name: str
    kind: Literal["policy", "route", "dynamic"]
    local_address: str | None = None
    peer_address: str | None = None  # None for dynamic (any-peer) entries
    interface: str | None = None  # the outside interface the tunnel leaves through
    ike: Ike
    ipsec: Ipsec
    selectors: list[SelectorPair] = Field(default_factory=new_list)
    per_pair_sas: bool = False  # vendor negotiates one SA per selector pair (Cisco crypto-map ACL lines)
    bgp: Bgp | None = None
    tunnel_mtu: int | None = None  # MTU of the tunnel interface (route-based), what user traffic must fit
    wan_mtu: int | None = None  # MTU of the outside interface: an input to the limit (Alibaba: min(WAN, path) - 101)
    tcp_mss: int | None = None
    notes: list["Diagnostic"] = Field(default_factory=new_list)


class AclEntry(_Model):
    action: Literal["permit", "deny"]
    protocol: str = "ip"  # ip | udp | tcp | esp | icmp | <number>
    src: Network
    dst: Network
    dst_ports: list[tuple[int, int]] | None = None  # inclusive port ranges; None = any port
    source: Source | None = None


class AccessList(_Model):
    name: str
    entries: list[AclEntry] = Field(default_factory=new_list)
    source: Source | None = None


class Interface(_Model):
    name: str
    address: str | None = None
    network: Network | None = None
    acl_in: str | None = None
    nat_outside: bool = False
    mtu: int | None = None
    tcp_mss: int | None = None
    source: Source | None = None


class NatRule(_Model):
    """A source-NAT rule that translates traffic matched by ``acl`` (first-match semantics)."""

    acl: str | None  # None = matches everything (e.g. Huawei `nat enable`)
    interface: str | None = None
    exempt: bool = False  # an explicit no-NAT rule
    source: Source | None = None


class Diagnostic(_Model):
    """Something a parser could not understand or resolve; surfaced as a finding, never dropped."""

    severity: Literal["error", "warning", "info"]
    message: str
    file: str | None = None
    line: int | None = None
    text: ShownLine | None = None


class Suppression(_Model):
    """An inline `! ipsec-preflight: disable=CODE[,CODE]` comment (`#` on Huawei/H3C). It covers the block
    that follows it (lines ``start``..``end``), or the whole file with `disable-file=`."""

    codes: list[str]
    line: int
    text: ShownLine
    start: int = 1
    end: int | None = None  # None = to the end of the file


class DeviceConfig(_Model):
    file: str
    vendor: str
    hostname: str | None = None
    endpoints: list[Endpoint] = Field(default_factory=new_list)
    interfaces: dict[str, Interface] = Field(default_factory=new_dict)
    acls: dict[str, AccessList] = Field(default_factory=new_dict)
    nat_rules: list[NatRule] = Field(default_factory=new_list)
    bgp_asn: int | None = None
    diagnostics: list[Diagnostic] = Field(default_factory=new_list)
    suppressions: list[Suppression] = Field(default_factory=new_list)
    # Every object name/number the text defines (ACLs, objects, proposals, profiles...), also those not parsed
    # because nothing IPsec uses them: a fix's new object must not take one (it would redefine it). Not shown.
    names_in_use: set[str] = Field(default_factory=set, exclude=True)


class HealthCheck(_Model):
    enabled: bool = False
    source_ip: str | None = None
    dest_ip: str | None = None
    interval_s: int | None = None
    retry: int | None = None


class AlibabaTunnel(_Model):
    """One tunnel of an Alibaba IPsec connection (single-tunnel connections have exactly one)."""

    file: str
    connection_id: str | None = None
    connection_name: str | None = None
    tunnel_id: str | None = None
    role: str | None = None
    vpn_gateway_id: str | None = None
    customer_gateway_id: str | None = None
    gateway_ip_origin: str | None = None  # how the Alibaba-side IP was learnt
    customer_ip_origin: str | None = None  # how the customer-gateway IP was learnt
    endpoint: Endpoint
    health_check: HealthCheck | None = None
    routing_mode: Literal["destination", "protected-flows"] = "protected-flows"
    local_subnets: list[Network] = Field(default_factory=new_list)
    remote_subnets: list[Network] = Field(default_factory=new_list)
    # Terraform inputs: the Alibaba fields (Source.field paths) whose value is not known - a plan's "known after
    # apply", an HCL expression that does not resolve to a literal. Findings on them are dropped, KnownAfterApply
    # says "cannot verify" instead.
    unknown: list[str] = Field(default_factory=new_list)
    plan_action: str | None = None  # Terraform plan: create / update / replace / no-op for this connection

    @property
    def connection_key(self) -> str:
        """The connection this tunnel belongs to (id, else name, else the file it came from)."""
        return self.connection_id or self.connection_name or self.file

    @property
    def label(self) -> str:
        base = self.connection_id or self.connection_name or "connection"
        return f"{base}/{self.tunnel_id}" if self.tunnel_id else base
