"""Alibaba Cloud side: every JSON shape of an IPsec connection -> ``AlibabaTunnel`` objects.

Shapes (auto-detected, see shared/reference/alibaba/schema.md): DescribeVpnConnection (single and
dual tunnel), a DescribeVpnConnections page, CreateVpnConnection request parameters (sub-configs as
JSON strings), aliyun CLI output of those (same JSON, keys sorted), `terraform show -json` state with
``alicloud_vpn_connection`` resources, and DownloadVpnConnectionConfig (customer point of view, swapped).
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from pydantic import ValidationError
from typing import Any, Iterator

from analyzer.model import (AlibabaTunnel, Dpd, Endpoint, HealthCheck, Identity, Ike, IkeProposal, Ipsec,
                            IpsecProposal, PresharedKey, SelectorPair, Source, Bgp)
from parsers import terraform_plan
from parsers.common import InputError, read_text
from parsers.values import BadValue, clean_text, display_path, ipv4, ipv4_network, is_ipv4, quoted, uint

_ENC = {"aes": "aes128", "aes128": "aes128", "aes192": "aes192", "aes256": "aes256", "des": "des",
        "3des": "3des", "sm4": "sm4"}
_AUTH = {"md5": "md5", "sha1": "sha1", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512", "sm3": "sm3"}

# Keys only an IPsec connection has (schema.md §2.1, §4, §5, §7): a JSON object without one of them is not a
# connection, however its other keys look (package.json, `{}`, a gateway description, our own reports).
CONNECTION_KEYS = ("IkeConfig", "IpsecConfig", "TunnelOptionsSpecification", "LocalSubnet", "RemoteSubnet",
                   "TunnelsConfig")


class NotAConnection(InputError):
    """The file is valid JSON but holds no IPsec connection; ``what`` says what it looks like instead."""

    def __init__(self, file: str, what: str):
        self.what = what
        super().__init__(file, f"no IPsec connection found: {what} (expected DescribeVpnConnection(s), "
                               "CreateVpnConnection parameters, DownloadVpnConnectionConfig or terraform show -json)")


def is_connection(obj: Any) -> bool:
    return isinstance(obj, dict) and any(v in obj for key in CONNECTION_KEYS for v in _variants(key))


def has_connection(data: Any) -> bool:
    """Whether a parsed document holds at least one connection (in any supported shape)."""
    return any(is_connection(obj) for key in CONNECTION_KEYS for obj in objects_with(data, key)) \
        or any(True for _ in objects_with(data, "VpnConnectionConfig"))


def what_it_is(data: Any) -> str:
    """A short description of a JSON document that holds no connection (for the skip reason)."""
    if isinstance(data, dict):
        if terraform_plan.is_plan(data):
            return "a Terraform plan that creates, updates or keeps no alicloud_vpn_connection"
        if "runs" in data and "sarif" in str(data.get("$schema", "")) + str(data.get("version", "")):
            return "a SARIF report"
        if data.get("tool") == "ipsec-preflight":
            return "an ipsec-preflight report"
        if any(True for _ in objects_with(data, "InternetIp")):
            return "a VPN gateway description"
        if any(True for _ in objects_with(data, "IpAddress")):
            return "a customer gateway description"
        if not data:
            return "an empty JSON object"
    elif isinstance(data, list) and not data:
        return "an empty JSON list"
    return "no connection fields (" + ", ".join(CONNECTION_KEYS[:5]) + ")"


def meant_as_connection(data: Any) -> str | None:
    """Why a document that holds no connection was still meant as a connection export (an input problem, not
    a file to skip): an empty DescribeVpnConnections page (wrong region or filter) or an API error response
    (RequestId, HostId, Code, Message: https://www.alibabacloud.com/help/doc-detail/25932.htm)."""
    if not isinstance(data, dict):
        return None
    code, message = data.get("Code"), data.get("Message")
    if isinstance(code, str) and isinstance(message, str) and not has_connection(data):
        return f"an Alibaba Cloud API error response, not a connection export (Code {quoted(code[:80])}: " \
               f"{quoted(message[:160])})"
    page = data.get("VpnConnections")
    if isinstance(page, (dict, list)) and not has_connection(data):
        total = data.get("TotalCount")
        region = f" (TotalCount {total})" if isinstance(total, int) else ""
        return (f"an empty DescribeVpnConnections page{region}: no connection listed; exported from the wrong "
                "region or with a filter?")
    return None


def _count(value: Any) -> int | None:
    """A page counter as the API or a CLI prints it (5 or "5"); None when it is not a plausible count."""
    if isinstance(value, str) and value.strip().isascii() and value.strip().isdigit():
        value = int(value.strip())
    return value if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10 ** 9 else None


def page_note(data: Any) -> str | None:
    """A DescribeVpnConnections page that lists fewer connections than its TotalCount: the export holds one page
    of several (PageSize: default 10, valid 1 to 50; TotalCount: all entries, per
    https://www.alibabacloud.com/help/en/vpc/developer-reference/api-vpc-2016-04-28-describevpnconnections)."""
    if not isinstance(data, dict) or not isinstance(data.get("VpnConnections"), dict):
        return None
    items = data["VpnConnections"].get("VpnConnection")
    total, number, size = (_count(data.get(k)) for k in ("TotalCount", "PageNumber", "PageSize"))
    if not isinstance(items, list) or total is None or len(items) >= total:
        return None
    page = ""
    if isinstance(number, int) and isinstance(size, int) and size > 0:
        page = f"page {number} of {-(-total // size)}: "
    return (f"{page}{len(items)} of {total} connections; pairing may pick a wrong connection (export every page, "
            "or PageSize up to 50)")


# API create defaults (schema.md §2.2/§2.3/§8): applied when a key is absent, and marked defaulted.
_DEFAULTS = {"IkeVersion": "ikev1", "IkeMode": "main", "IkeEncAlg": "aes", "IkeAuthAlg": "md5", "IkePfs": "group2",
             "IkeLifetime": 86400, "IpsecEncAlg": "aes", "IpsecAuthAlg": "md5", "IpsecPfs": "group2",
             "IpsecLifetime": 86400, "EnableDpd": True, "EnableNatTraversal": True}


@lru_cache(maxsize=None)  # a few dozen distinct keys, looked up for every connection of a bulk audit
def _variants(key: str) -> tuple[str, ...]:
    return tuple(dict.fromkeys((key, _snake(key), key[:1].lower() + key[1:], key.lower())))


def _snake(key: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", key).lower()


class Known:
    """What a Terraform reader knows of a connection beyond its values: the fields whose value is not known
    (path -> why: "known after apply", or an HCL expression that does not resolve) and where each field is
    written (path -> (.tf file, line)). Paths are the ones ``_Node`` builds (``a.ike_config[0].ike_pfs``)."""

    def __init__(self, unknown: dict[str, str] | None = None, where: dict[str, tuple[str, int]] | None = None,
                 plan_action: str | None = None):
        self.unknown = unknown or {}
        self.where = where or {}
        self.plan_action = plan_action

    def why_unknown(self, path: str) -> str | None:
        """Why the value at path (or the block holding it) is not known; None when it is known or absent."""
        for i, ch in enumerate(path + "."):
            if ch in ".[" and path[:i] in self.unknown:
                return self.unknown[path[:i]]
        return None


class _Node:
    """A JSON object with its path; looks keys up in PascalCase, then snake_case (Terraform), and
    unwraps JSON-encoded strings (CreateVpnConnection) and lists of one object (Terraform blocks)."""

    def __init__(self, data: dict, path: str, file: str, known: Known | None = None):
        self.data, self.path, self.file, self.known = data, path, file, known

    def unknown_at(self, *keys: str) -> str | None:
        """The Terraform path of the first key whose value is not known (plan or unresolved HCL), else None."""
        if self.known is None:
            return None
        for key in keys:
            path = f"{self.path}.{_snake(key)}" if self.path else _snake(key)
            if self.known.why_unknown(path):
                return path
        return None

    def _find(self, keys: tuple[str, ...]) -> tuple[Any, str] | tuple[None, None]:
        for key in keys:
            for variant in _variants(key):
                if variant in self.data:
                    return self.data[variant], f"{self.path}.{variant}" if self.path else variant
        return None, None

    def child(self, *keys: str) -> "_Node | None":
        value, path = self._find(keys)
        if isinstance(value, str) and value.strip().startswith("{"):
            try:
                value = json.loads(value)
            except json.JSONDecodeError as exc:
                raise InputError(self.file, f"{path}: invalid JSON string ({exc.msg})") from None
            except RecursionError:
                raise InputError(self.file, f"{path}: JSON string nested too deeply") from None
        if isinstance(value, list) and len(value) == 1 and isinstance(value[0], dict):
            value, path = value[0], f"{path}[0]"
        if value not in (None, "", [], {}) and not isinstance(value, dict):  # not "absent": API defaults would apply
            raise InputError(self.file, f"{path}: expected an object, got {type(value).__name__}")
        if isinstance(value, dict) and value:
            return _Node(value, path, self.file, self.known)
        missing = self.unknown_at(*keys) or self._unknown_inside(keys, path)
        # a block known after apply (whole, or each of its fields): its fields are unknown, not defaulted
        return _Node({}, missing, self.file, self.known) if missing else None

    def _unknown_inside(self, keys: tuple[str, ...], path: str | None) -> str | None:
        """The path of an empty or absent block some of whose fields are not known (plan: after ``[{}]`` with
        after_unknown ``[{field: true}]``; HCL: every argument an unset variable), else None."""
        if self.known is None:
            return None
        here = [path] if path else [f"{self.path}.{_snake(k)}" if self.path else _snake(k) for k in keys]
        for block in here:
            for candidate in (block, f"{block}[0]") if not block.endswith("]") else (block,):
                if any(p.startswith(candidate + ".") for p in self.known.unknown):
                    return candidate
        return None

    def get(self, *keys: str) -> tuple[Any, str | None]:
        value, path = self._find(keys)
        if value == "" or value is None:
            return None, path
        # a lone surrogate (\\ud800 in the JSON; ASCII text holds none). The value is not quoted: it may be the Psk
        if isinstance(value, str) and not value.isascii() and clean_text(value) is not value:
            raise InputError(self.file, f"{path}: not valid Unicode (a lone UTF-16 surrogate escape)")
        return value, path

    def src(self, path: str | None, default_note: str | None = None) -> Source:
        file, line = self.known.where.get(path or "", (self.file, None)) if self.known else (self.file, None)
        if default_note:
            return Source(file=file, line=line, field=path, defaulted=True, note=default_note)
        return Source(file=file, line=line, field=path)

    def unknown_src(self, path: str) -> Source:
        """The Source of a value that is not known: never a stand-in presented as a value."""
        file, line = self.known.where.get(path, (self.file, None)) if self.known else (self.file, None)
        return Source(file=file, line=line, field=path, note=f"not known: {self.known.why_unknown(path)}")


def _as_bool(value: Any, path: str, file: str) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().lower() in ("true", "false"):
        return value.strip().lower() == "true"
    raise InputError(file, f"{path}: expected true/false, got {value!r}")


def _as_int(value: Any, path: str, file: str) -> int:
    try:
        return uint(value)
    except BadValue as exc:
        raise InputError(file, f"{path}: {exc}") from None


def _text(value: Any, path: str | None, file: str) -> str:
    """A JSON scalar used as text (ids, identities, CIDRs): strings, and numbers written as such."""
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float)) and not isinstance(value, bool) and abs(value) < 10 ** 15:
        return str(value)
    raise InputError(file, f"{path or 'value'}: expected a string, got {quoted(value)}")


def _secret(value: Any, path: str | None, file: str) -> str:
    """The Psk: a JSON string. Unlike every other field, a wrong value is never quoted in the message."""
    if isinstance(value, str):
        return value
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value < 10 ** 128:
        return str(value)  # an all-digit key written as a JSON number
    kind = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}
    raise InputError(file, f"{path or 'Psk'}: expected a string, got {kind.get(type(value), 'another type')} "
                           "(the value is not shown: it is a key)")


def _key(value: Any) -> str:
    """An id used only to look gateways up: any JSON value, never failing."""
    return value if isinstance(value, str) else quoted(value, 200)


def _choice(value: Any, table: dict, path: str, file: str) -> Any:
    key = value.strip().lower() if isinstance(value, str) else None
    if key not in table:
        raise InputError(file, f"{path}: unknown value {quoted(value)} (expected one of {', '.join(sorted(table))})")
    return table[key]


def _group(value: Any, path: str, file: str, allow_disabled: bool) -> int | None:
    text = value.strip().lower() if isinstance(value, str) else ""
    if allow_disabled and text in ("disabled", "disable", "none"):
        return None
    m = re.fullmatch(r"group([0-9]{1,3})", text)
    if not m:
        raise InputError(file, f"{path}: unknown DH group {quoted(value)} (expected group1/2/5/14"
                               f"{' or disabled' if allow_disabled else ''})")
    return int(m.group(1))


def _identity(value: str) -> Identity:
    return Identity(type="ip" if is_ipv4(value) else "fqdn", value=value)


def _subnets(value: Any, path: str, file: str) -> tuple[list[str], list]:
    """The CIDRs as written, and as networks (built once: the tunnel's subnets and its selectors share them)."""
    items = value if isinstance(value, list) else _text(value or "", path, file).split(",")
    out, nets = [], []
    for item in items:
        item = _text(item, path, file).strip()
        if item:
            try:
                nets.append(ipv4_network(item))
            except BadValue as exc:
                raise InputError(file, f"{path}: {exc}") from None
            out.append(item)
    return out, nets


class Lookups:
    """Optional extra inputs: customer gateways (id -> IP) and VPN gateways (id -> IPs).

    Only gateway descriptions are taken (a connection's own InternetIp is its tunnel's, read with it), and only
    well-formed addresses: a malformed one is a located problem (``problems``) and the gateway stays unknown,
    instead of failing every connection that refers to it."""

    def __init__(self) -> None:
        self.cgw_ip: dict[str, str] = {}
        self.vpngw_ips: dict[str, tuple[str | None, str | None]] = {}
        self.single_cgw_ip: str | None = None
        self.single_vpngw: tuple[str | None, str | None] | None = None
        self.problems: list[InputError] = []
        # what a Terraform read deliberately left out (a remote module, count = 0): to be shown as notes
        self.notes: list[InputError] = []

    def add_customer_gateway(self, path: str) -> set[str]:
        """The customer gateway IDs the file describes ("" for one without an ID); none: an InputError."""
        return self._add(path, self._customer_gateways, self.cgw_ip, "customer gateway description (IpAddress)")

    def add_vpn_gateway(self, path: str) -> set[str]:
        """The VPN gateway IDs the file describes ("" for one without an ID); none: an InputError."""
        return self._add(path, self._vpn_gateways, self.vpngw_ips, "VPN gateway description (InternetIp)")

    def _add(self, path: str, take, table: dict, kind: str) -> set[str]:
        before, known = len(self.problems), set(table)
        data = load_json(path)
        take(data, display_path(path))
        if len(self.problems) > before:
            raise self.problems[before]
        found = set(table) - known
        if not found:  # swapped files, a connection, package.json: used silently, it would change nothing
            what = "an IPsec connection" if has_connection(data) else what_it_is(data)
            raise InputError(display_path(path), f"not a {kind}" + (f": it is {what}" if what.startswith("a") else ""))
        return found

    def absorb(self, data: Any, file: str = "?") -> None:
        """Take whatever customer-gateway and VPN-gateway descriptions a parsed JSON document holds. A Terraform
        plan's gateways are read with its connections (``terraform_plan.Gateways``): its ``configuration``,
        ``after_unknown`` and ``after_sensitive`` trees hold the same keys with references and flags as values."""
        if terraform_plan.is_plan(data):
            return
        found = objects_with_any(data, ("IpAddress", "InternetIp"))
        self._customer_gateways(data, file, found["IpAddress"])
        self._vpn_gateways(data, file, found["InternetIp"])

    def _address(self, obj: dict, keys: tuple[str, str], what: str, file: str) -> str | None:
        value = obj.get(keys[0], obj.get(keys[1]))
        if value in (None, ""):
            return None
        if isinstance(value, str) and is_ipv4(value):
            return value
        self.problems.append(InputError(file, f"{what} {keys[0]}: {quoted(value)} is not an IPv4 address; the "
                                              "gateway's address stays unknown"))
        return None

    def _customer_gateways(self, data: Any, file: str, objects: list[dict] | None = None) -> None:
        for obj in objects_with(data, "IpAddress") if objects is None else objects:
            if is_connection(obj):
                continue
            cgw_id = _key(obj.get("CustomerGatewayId") or obj.get("id") or "")
            ip = self._address(obj, ("IpAddress", "ip_address"), f"customer gateway {cgw_id}".rstrip(), file)
            if ip is None:
                continue
            self.cgw_ip[cgw_id] = ip
            self.single_cgw_ip = ip

    def _vpn_gateways(self, data: Any, file: str, objects: list[dict] | None = None) -> None:
        for obj in objects_with(data, "InternetIp") if objects is None else objects:
            if is_connection(obj) or "TunnelIkeConfig" in obj or "tunnel_ike_config" in obj:
                continue  # a connection's or a tunnel's own address, not a gateway description
            gw_id = _key(obj.get("VpnGatewayId") or obj.get("id") or "")
            what = f"VPN gateway {gw_id}".rstrip()
            first = self._address(obj, ("InternetIp", "internet_ip"), what, file)
            second = self._address(obj, ("DisasterRecoveryInternetIp", "disaster_recovery_internet_ip"), what, file)
            if first is None and second is None:
                continue
            self.vpngw_ips[gw_id] = (first, second)
            self.single_vpngw = (first, second)


def read_gateway_files(lookups: "Lookups", customer_gateway, vpn_gateway, errors: list) -> dict:
    """`--customer-gateway` / `--vpn-gateway` files read into ``lookups`` (as check and generate take them):
    "cgw"/"vpn" -> (file, the gateway IDs it describes); a file that cannot be read is appended to ``errors``."""
    given = {}
    for kind, path, add in (("cgw", customer_gateway, lookups.add_customer_gateway),
                            ("vpn", vpn_gateway, lookups.add_vpn_gateway)):
        if path is not None:
            try:
                given[kind] = (path, add(str(path)))
            except InputError as exc:
                errors.append(exc)
    return given


def unrelated_gateways(given: dict, tunnels: list[AlibabaTunnel]) -> list[tuple[str, str]]:
    """(file, why) for each file of ``read_gateway_files`` that describes no gateway of ``tunnels``."""
    return [(str(path), why) for kind, (path, ids) in given.items()
            if (why := unrelated_gateway(kind, ids, tunnels))]


def unrelated_gateway(kind: str, ids: set[str], tunnels: list[AlibabaTunnel]) -> str | None:
    """Why a --vpn-gateway ("vpn") / --customer-gateway ("cgw") file describing ``ids`` is not the gateway of any of
    the connections (swapped or stale files would otherwise change nothing, or pin a wrong address, unsaid);
    None when it is, or when the connections name no gateway (the one file given is then theirs)."""
    used = {t.vpn_gateway_id if kind == "vpn" else t.customer_gateway_id for t in tunnels} - {None, ""}
    named = ids - {""}
    if not used or not named or named & used:
        return None
    what = "VPN gateway" if kind == "vpn" else "customer gateway"
    return (f"{what} {', '.join(sorted(named))} is not the {what} of any connection of the input "
            f"({', '.join(sorted(used))}); wrong file?")


def objects_with(data: Any, key: str) -> Iterator[dict]:
    """Every object holding key, depth first in document order. An explicit stack: no depth limit."""
    snake = _snake(key)
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if key in node or snake in node:
                yield node
            stack.extend(reversed(node.values()))
        elif isinstance(node, list):
            stack.extend(reversed(node))


def objects_with_any(data: Any, keys: tuple[str, ...]) -> dict[str, list[dict]]:
    """For each key, every object holding it (PascalCase or snake_case), depth first in document order: one walk
    of the document for all the keys."""
    wanted = [(key, key, _snake(key)) for key in keys]
    found: dict[str, list[dict]] = {key: [] for key in keys}
    stack = [data]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            for key, pascal, snake in wanted:
                if pascal in node or snake in node:
                    found[key].append(node)
            stack.extend(reversed(node.values()))
        elif isinstance(node, list):
            stack.extend(reversed(node))
    return found


def load_json(path: str | Path, text: str | None = None) -> Any:
    """The decoded document, or an InputError naming the file (and the line of a syntax error)."""
    text = read_text(path) if text is None else text  # text: the file already read once (a pipe)
    name = display_path(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(name, f"invalid JSON: {exc.msg} (column {exc.colno})", line=exc.lineno) from None
    except RecursionError:  # the C decoder recurses once per nesting level
        raise InputError(name, "JSON nested too deeply") from None
    except ValueError:  # a number of more than 4,300 digits (Python's int conversion limit)
        m = re.search(r"[0-9]{4301,}", text)
        line = text.count("\n", 0, m.start()) + 1 if m else None
        raise InputError(name, "invalid JSON: a number of more than 4,300 digits", line=line) from None


def load(path: str | Path, lookups: Lookups | None = None,
         errors: list[InputError] | None = None, text: str | None = None) -> list[AlibabaTunnel]:
    """Parse one Alibaba JSON file into tunnels (two per dual-tunnel connection).

    A connection with an invalid value is a located InputError (file, JSON path). Without ``errors`` the
    first one is raised; with a list, each bad connection's error is appended to it and the file's other
    connections are still returned (a DescribeVpnConnections page with one bad entry)."""
    file = display_path(path)
    lookups = lookups or Lookups()
    if Path(path).is_dir() or str(path).lower().endswith(".tf"):
        return _load_hcl(path, file, lookups, errors)
    data = load_json(path, text)
    tunnels: list[AlibabaTunnel] = []
    bad: list[InputError] = []
    try:
        for conn, swapped in _connections(data, file, lookups):
            try:
                if isinstance(conn, InputError):
                    raise conn
                tunnels.extend(_connection_tunnels(conn, file, lookups, swapped))
            except InputError as exc:
                if errors is None:
                    raise
                bad.append(exc)
    except RecursionError:  # our walkers recurse like the decoder; a document at its limit can exceed ours
        raise InputError(file, "JSON nested too deeply") from None
    if errors is not None:
        errors.extend(bad)
        if bad:
            return tunnels
    if not tunnels:
        meant = meant_as_connection(data)
        if meant:
            raise InputError(file, meant)
        raise NotAConnection(file, what_it_is(data))
    return tunnels


def _load_hcl(path: str | Path, file: str, lookups: Lookups, errors: list[InputError] | None) -> list[AlibabaTunnel]:
    """A Terraform folder (or a .tf file's folder): its connections, each located at its .tf file and lines."""
    from parsers import terraform_hcl

    problems: list[InputError] = []
    notes: list[InputError] = []
    try:
        found = terraform_hcl.read(path, lookups.cgw_ip, problems, notes)
    except RecursionError:
        raise InputError(file, "HCL nested too deeply") from None
    tunnels: list[AlibabaTunnel] = []
    for conn in found:
        try:
            node = _Node(conn.values, conn.path, conn.file, Known(conn.unknown, conn.where))
            found_tunnels = _connection_tunnels(node, conn.file, lookups, False)
            for t in found_tunnels:
                if t.connection_id is None and "[" in conn.path:  # a count / for_each instance: its address tells
                    t.connection_id = conn.path  # it from its siblings (they share the name)
            tunnels.extend(found_tunnels)
        except InputError as exc:
            problems.append(_located(exc, conn.where))
    if problems and errors is None:
        raise problems[0]
    if errors is not None:
        errors.extend(problems)
    lookups.notes += notes
    if not tunnels and not problems:
        left = "; ".join(f"{n.file}{f':{n.line}' if n.line else ''}: {n.message}" for n in notes[:5])
        raise NotAConnection(file, f"no {terraform_hcl.CONN} resource in its .tf files (or local modules)"
                                   + (f"; not read: {left}" if left else ""))
    return tunnels


def _located(exc: InputError, where: dict[str, tuple[str, int]]) -> InputError:
    """An error on a Terraform attribute path, moved to the .tf file and line where it is written."""
    path = exc.message.split(":", 1)[0]
    if exc.line is None and path in where:
        return InputError(where[path][0], exc.message, line=where[path][1])
    return exc


def _connection_tunnels(conn: _Node, file: str, lookups: Lookups, swapped: bool) -> list[AlibabaTunnel]:
    """The tunnels of one connection; any invalid value in it is an InputError naming the connection."""
    where = conn.path or "connection"
    try:
        return _tunnels_of(conn, file, lookups, swapped)
    except ValidationError as exc:  # a field of the wrong JSON type (object where a string belongs...)
        err = exc.errors()[0]
        loc = ".".join(str(x) for x in err.get("loc", ()))
        raise InputError(file, f"{where}: unexpected value type for {loc} ({err.get('msg', 'invalid')})") from None
    except BadValue as exc:  # a conversion without a more precise path
        raise InputError(file, f"{where}: {exc}") from None


def _connections(data: Any, file: str, lookups: Lookups) -> Iterator[tuple[_Node | InputError, bool]]:
    """(connection, swapped) for each connection of the document; an InputError in place of an entry that
    is meant as a connection but is not one (the document's other connections still come)."""
    if isinstance(data, list):
        for i, item in enumerate(data):
            if is_connection(item):
                yield _Node(item, f"[{i}]", file), False
        return
    if not isinstance(data, dict):
        raise NotAConnection(file, "the top level is not a JSON object")
    if "VpnConnectionConfig" in data:
        yield _Node(_dict(data["VpnConnectionConfig"]), "VpnConnectionConfig", file), True
        return
    if "format_version" in data and "values" in data:
        yield from _terraform(data, file, lookups)
        return
    if terraform_plan.is_plan(data):
        for conn in terraform_plan.connections(data, lookups.cgw_ip, lookups.vpngw_ips):
            yield _Node(conn.values, conn.path, file, Known(conn.unknown, plan_action=conn.action)), False
        return
    page = data.get("VpnConnections")
    if isinstance(page, list) and page and isinstance(page[0], dict) and "FailedReasonCode" in page[0]:
        raise NotAConnection(file, "this is a DiagnoseVpnConnections result, not a connection configuration; "
                                   "`ipsec-preflight explain FILE` explains it")
    if isinstance(page, dict):
        items = page.get("VpnConnection") or []
        for i, item in enumerate(items if isinstance(items, list) else []):
            where = f"VpnConnections.VpnConnection[{i}]"
            if is_connection(item):
                yield _Node(item, where, file), False
            else:  # in a page every entry is meant as a connection: a phantom one built from defaults would lie
                yield InputError(file, f"{where}: not a connection (none of {', '.join(CONNECTION_KEYS[:5])})"), False
        return
    if is_connection(data):
        yield _Node(data, "", file), False


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _terraform(data: dict, file: str, lookups: Lookups) -> Iterator[tuple[_Node, bool]]:
    def modules(mod: dict, path: str) -> Iterator[tuple[dict, str]]:
        yield mod, path
        for i, child in enumerate(_list(mod.get("child_modules"))):
            yield from modules(_dict(child), f"{path}.child_modules[{i}]")

    found = []
    for mod, path in modules(_dict(_dict(data["values"]).get("root_module")), "values.root_module"):
        for i, res in enumerate(_list(mod.get("resources"))):
            res = _dict(res)
            values = _dict(res.get("values"))
            rtype = res.get("type")
            if rtype == "alicloud_vpn_customer_gateway" and isinstance(values.get("ip_address"), str):
                lookups.cgw_ip.setdefault(_key(values.get("id")), values["ip_address"])
            elif rtype == "alicloud_vpn_gateway" and isinstance(values.get("internet_ip"), str):
                lookups.vpngw_ips.setdefault(_key(values.get("id")), (values.get("internet_ip"),
                                                                   values.get("disaster_recovery_internet_ip")))
            elif rtype == "alicloud_vpn_connection":
                found.append(_Node(values, f"{path}.resources[{i}].values", file))
    for node in found:
        yield node, False


def _tunnels_of(conn: _Node, file: str, lookups: Lookups, swapped: bool) -> list[AlibabaTunnel]:
    conn_id = conn.get("VpnConnectionId", "Id")[0]
    options: list[tuple[_Node, int]] = []
    raw_list, list_path = conn.get("TunnelOptionsSpecification", "TunnelsConfig")
    if isinstance(raw_list, dict):  # Describe: {"TunnelOptions": [...]}; Download: {"TunnelConfig": [...]}
        raw_list, list_path = _Node(raw_list, list_path, file).get("TunnelOptions", "TunnelConfig")
    if isinstance(raw_list, list):
        options = [(_Node(t, f"{list_path}[{i}]", file, conn.known), i) for i, t in enumerate(raw_list)
                   if isinstance(t, dict)]
    if not options:
        tunnel = _tunnel(conn, conn, None, file, lookups, swapped, conn_id)
        tos = conn.unknown_at("TunnelOptionsSpecification")
        if tos and conn.get("IkeConfig")[0] is None:  # a plan whose tunnels (one or two) come after apply
            _tunnels_unknown(tunnel, tos, file)
        return [tunnel]
    return [_tunnel(conn, opt, index, file, lookups, swapped, conn_id) for opt, index in options]


def _tunnels_unknown(tunnel: AlibabaTunnel, path: str, file: str) -> None:
    """Not a single-tunnel connection: which tunnels it has, and their gateway addresses, are known after apply.
    Its gateway address is dropped so that it pairs with no device tunnel as if it were the only one."""
    why = "known after apply (the connection's tunnels, one or two, and their addresses)"
    tunnel.endpoint.local_address = None
    tunnel.endpoint.src["local_address"] = Source(file=file, field=path, note=f"{path} (not known: {why})")
    tunnel.gateway_ip_origin = f"{path} (not known: {why})"
    tunnel.unknown.insert(0, path)


def _tunnel(conn: _Node, tun: _Node, index: int | None, file: str, lookups: Lookups, swapped: bool,
            conn_id: str | None) -> AlibabaTunnel:
    dual = index is not None
    ike_node = tun.child("TunnelIkeConfig", "IkeConfig") if dual else conn.child("IkeConfig")
    ipsec_node = tun.child("TunnelIpsecConfig", "IpsecConfig") if dual else conn.child("IpsecConfig")
    empty = _Node({}, (tun.path + "." if tun.path else "") + ("TunnelIkeConfig" if dual else "IkeConfig"), file)
    ike_node = ike_node or empty
    ipsec_node = ipsec_node or _Node({}, empty.path.replace("Ike", "Ipsec"), file)
    unknown: list[str] = []  # Terraform: fields not known (after apply / unresolved); never defaulted

    def not_known(node: _Node, *keys: str) -> Source | None:
        path = node.unknown_at(*keys)
        if path is None:
            return None
        unknown.append(path)
        return node.unknown_src(path)

    def field(node: _Node, key: str, *aliases: str) -> tuple[Any, Source]:
        value, path = node.get(key, *aliases)
        if value is None:
            missing = not_known(node, key, *aliases)
            if missing:  # a stand-in the model needs; the checker drops every finding on this field
                return _DEFAULTS.get(key), missing
            return _DEFAULTS.get(key), node.src(f"{node.path}.{key}", "Alibaba API default (key absent)")
        return value, node.src(path)

    ike_src: dict[str, Source] = {}
    ipsec_src: dict[str, Source] = {}
    version, ike_src["version"] = field(ike_node, "IkeVersion")
    version = _choice(version, {"ikev1": "ikev1", "ikev2": "ikev2"}, ike_src["version"].field, file)
    mode, ike_src["mode"] = field(ike_node, "IkeMode")
    mode = _choice(mode, {"main": "main", "aggressive": "aggressive"}, ike_src["mode"].field, file)
    enc, ike_src["encryption"] = field(ike_node, "IkeEncAlg")
    auth, ike_src["integrity"] = field(ike_node, "IkeAuthAlg")
    dh, ike_src["dh_groups"] = field(ike_node, "IkePfs")
    life, ike_src["lifetime_s"] = field(ike_node, "IkeLifetime")
    proposal = IkeProposal(
        name="alibaba",
        encryption=[_choice(enc, _ENC, ike_src["encryption"].field, file)],
        integrity=[_choice(auth, _AUTH, ike_src["integrity"].field, file)],
        prf=[_choice(auth, _AUTH, ike_src["integrity"].field, file)],
        dh_groups=[_group(dh, ike_src["dh_groups"].field, file, allow_disabled=False)],
        lifetime_s=_as_int(life, ike_src["lifetime_s"].field, file),
        src=dict(ike_src),
    )

    gw_ip, gw_origin, cgw_ip, cgw_origin = _addresses(conn, tun, index, lookups, swapped)
    gw_unknown = cgw_unknown = None  # Terraform: the address is known only after apply (a gateway it creates)
    if gw_ip is None and (not_known(conn, "VpnGatewayId") or not_known(tun if dual else conn, "InternetIp")):
        gw_unknown, gw_origin = unknown[-1], f"{unknown[-1]} (not known: {conn.known.why_unknown(unknown[-1])})"
    if cgw_ip is None and not_known(tun if dual else conn, "CustomerGatewayId"):
        cgw_unknown, cgw_origin = unknown[-1], f"{unknown[-1]} (not known: {conn.known.why_unknown(unknown[-1])})"
    local_key, remote_key = ("RemoteId", "LocalId") if swapped else ("LocalId", "RemoteId")
    local_id_raw, local_id_path = ike_node.get(local_key, "IkeLocalId")
    remote_id_raw, remote_id_path = ike_node.get(remote_key, "IkeRemoteId")
    if local_id_raw is None and not_known(ike_node, local_key, "IkeLocalId"):
        local_id, ike_src["local_id"] = None, ike_node.unknown_src(unknown[-1])
    elif local_id_raw is None:
        local_id = Identity(type="ip", value=gw_ip) if gw_ip else None
        ike_src["local_id"] = ike_node.src(f"{ike_node.path}.{local_key}", "default: the VPN gateway IP")
    else:
        local_id = _identity(_text(local_id_raw, local_id_path, file))
        ike_src["local_id"] = ike_node.src(local_id_path)
    if remote_id_raw is None and not_known(ike_node, remote_key, "IkeRemoteId"):
        remote_id, ike_src["remote_id"] = None, ike_node.unknown_src(unknown[-1])
    elif remote_id_raw is None:
        remote_id = Identity(type="ip", value=cgw_ip) if cgw_ip else None
        ike_src["remote_id"] = ike_node.src(f"{ike_node.path}.{remote_key}", "default: the customer gateway IP")
    else:
        remote_id = _identity(_text(remote_id_raw, remote_id_path, file))
        ike_src["remote_id"] = ike_node.src(remote_id_path)
    gw_path, cgw_path = gw_unknown or gw_origin, cgw_unknown or cgw_origin
    if gw_ip is None and local_id and local_id.type == "ip":
        gw_path = ike_src["local_id"].field
        gw_ip, gw_origin = local_id.value, f"{gw_path}, as no gateway IP is in the input"
    if cgw_ip is None and remote_id and remote_id.type == "ip":
        cgw_path = ike_src["remote_id"].field
        cgw_ip, cgw_origin = remote_id.value, f"{cgw_path}, as no customer gateway IP was given"
    for ip, where in ((gw_ip, gw_path), (cgw_ip, cgw_path)):
        if ip is not None and not (isinstance(ip, str) and is_ipv4(ip)):
            raise InputError(file, f"{where or 'connection'}: {quoted(ip)} is not an IPv4 address")

    psk_raw, psk_path = ike_node.get("Psk")
    psk_src = ike_node.src(psk_path) if psk_path else Source(file=file, field=f"{ike_node.path}.Psk")
    if psk_raw is None and not_known(ike_node, "Psk"):
        psk_src = ike_node.unknown_src(unknown[-1])
    psk = (PresharedKey(form="plain", secret=_secret(psk_raw, psk_path, file), source=psk_src)
           if psk_raw is not None else PresharedKey(form="missing", source=psk_src))
    ike_src["psk"] = psk_src

    dpd_raw, ike_src["dpd"] = field(tun, "EnableDpd")
    natt_raw, ike_src["nat_traversal"] = field(tun, "EnableNatTraversal")
    ike = Ike(version=version, mode=mode, proposals=[proposal], psk=psk, local_id=local_id, remote_id=remote_id,
              dpd=Dpd(enabled=_as_bool(dpd_raw, ike_src["dpd"].field, file)),
              nat_traversal=_as_bool(natt_raw, ike_src["nat_traversal"].field, file), src=ike_src)

    penc, ipsec_src["encryption"] = field(ipsec_node, "IpsecEncAlg")
    pauth, ipsec_src["integrity"] = field(ipsec_node, "IpsecAuthAlg")
    pfs, ipsec_src["pfs_group"] = field(ipsec_node, "IpsecPfs")
    plife, ipsec_src["lifetime_s"] = field(ipsec_node, "IpsecLifetime")
    ipsec = Ipsec(
        proposals=[IpsecProposal(name="alibaba", encryption=[_choice(penc, _ENC, ipsec_src["encryption"].field, file)],
                                 integrity=[_choice(pauth, _AUTH, ipsec_src["integrity"].field, file)],
                                 src=dict(ipsec_src))],
        pfs_group=_group(pfs, ipsec_src["pfs_group"].field, file, allow_disabled=True),
        lifetime_s=_as_int(plife, ipsec_src["lifetime_s"].field, file), src=ipsec_src)

    local_key, remote_key = ("RemoteSubnet", "LocalSubnet") if swapped else ("LocalSubnet", "RemoteSubnet")
    local_raw, local_path = conn.get(local_key)
    remote_raw, remote_path = conn.get(remote_key)
    locals_, local_nets = _subnets(local_raw, local_path or local_key, file)
    remotes, remote_nets = _subnets(remote_raw, remote_path or remote_key, file)
    for key, raw in ((local_key, local_raw), (remote_key, remote_raw)):
        if raw is None and not_known(conn, key):
            local_path, remote_path = (unknown[-1], remote_path) if key == local_key else (local_path, unknown[-1])
    try:
        selectors = [SelectorPair(local=lo, remote=re_, source=Source(file=file, field=f"{local_path} x {remote_path}"))
                     for lo in local_nets for re_ in remote_nets]
    except Exception as exc:  # netaddr rejects malformed CIDRs
        raise InputError(file, f"{local_path}/{remote_path}: invalid CIDR ({exc})") from None
    destination_mode = locals_ == ["0.0.0.0/0"] and remotes == ["0.0.0.0/0"]
    # an unknown subnet's Source (with why) for KnownAfterApply: the selectors' one names both fields
    subnets_unknown = {_snake(key): conn.unknown_src(p)
                       for key, p in ((local_key, local_path), (remote_key, remote_path)) if p and p in unknown}
    bgp, bgp_unknown = _bgp(conn, tun, dual, file, not_known)

    endpoint = Endpoint(name=conn_id or "alibaba", kind="route" if destination_mode else "policy",
                        local_address=gw_ip, peer_address=cgw_ip, ike=ike, ipsec=ipsec, selectors=selectors,
                        bgp=bgp, src={"local_address": Source(file=file, field=gw_path, note=gw_origin),
                                      "peer_address": Source(file=file, field=cgw_path, note=cgw_origin),
                                      "selectors": Source(file=file, field=f"{local_path}, {remote_path}"),
                                      **bgp_unknown, **subnets_unknown})
    name, _ = conn.get("Name", "VpnConnectionName")
    tunnel_id, _ = tun.get("TunnelId") if dual else (None, None)
    role, _ = tun.get("Role") if dual else (None, None)
    return AlibabaTunnel(
        file=file, connection_id=conn_id, connection_name=name, tunnel_id=tunnel_id,
        role=role or (f"tunnel{index + 1}" if dual else None),
        vpn_gateway_id=conn.get("VpnGatewayId")[0],
        customer_gateway_id=(tun.get("CustomerGatewayId")[0] if dual else None) or conn.get("CustomerGatewayId")[0],
        gateway_ip_origin=gw_origin, customer_ip_origin=cgw_origin, endpoint=endpoint,
        health_check=_health(conn, file), routing_mode="destination" if destination_mode else "protected-flows",
        local_subnets=local_nets, remote_subnets=remote_nets, unknown=list(dict.fromkeys(unknown)),
        plan_action=conn.known.plan_action if conn.known else None)


def _addresses(conn: _Node, tun: _Node, index: int | None, lookups: Lookups, swapped: bool):
    if swapped:  # DownloadVpnConnectionConfig: Local = customer gateway, Remote = Alibaba
        gw, gw_path = tun.get("Remote")
        cgw, cgw_path = tun.get("Local")
        return gw, gw_path, (cgw if is_ipv4(cgw) else None), cgw_path
    gw, gw_path = tun.get("InternetIp") if index is not None else conn.get("InternetIp")
    if gw is None and index is None:
        gw, gw_path = conn.get("InternetIp")
    if gw is None:
        gw_id = conn.get("VpnGatewayId")[0]
        ips = lookups.vpngw_ips.get(_key(gw_id)) or lookups.single_vpngw
        if ips:
            gw = ips[1] if index == 1 else ips[0]
            gw_path = f"VPN gateway {'DisasterRecoveryInternetIp' if index == 1 else 'InternetIp'} (--vpn-gateway)"
            if conn.known is not None and _key(gw_id) in lookups.vpngw_ips:  # Terraform: the plan's own gateway
                gw_path = f"{gw_id} {'disaster_recovery_internet_ip' if index == 1 else 'internet_ip'}"
    cgw_id = (tun.get("CustomerGatewayId")[0] if index is not None else None) or conn.get("CustomerGatewayId")[0]
    cgw = lookups.cgw_ip.get(_key(cgw_id)) if cgw_id else None
    cgw_path = f"customer gateway {cgw_id} IpAddress" if cgw else None
    if cgw is None and lookups.single_cgw_ip and len(lookups.cgw_ip) == 1 and "" in lookups.cgw_ip:
        cgw, cgw_path = lookups.single_cgw_ip, "customer gateway IpAddress (--customer-gateway)"
    return gw, gw_path, cgw, cgw_path


def _bgp(conn: _Node, tun: _Node, dual: bool, file: str, not_known) -> tuple[Bgp | None, dict[str, Source]]:
    """The BGP settings and, for Terraform, the Sources of those not known (by ``bgp_<key>``). When one is not
    known the Bgp's source is that field: the checker then drops every BGP finding (each would compare a stand-in)
    and KnownAfterApply names the fields instead."""
    node = tun.child("TunnelBgpConfig") if dual else conn.child("VpnBgpConfig", "BgpConfig")
    unknown: dict[str, Source] = {}

    def value(at: _Node | None, key: str, *aliases: str) -> tuple[Any, str | None]:
        if at is None:
            return None, None
        raw, path = at.get(key, *aliases)
        if raw is None and (src := not_known(at, key, *aliases)) is not None:
            unknown[f"bgp_{_snake(key)}"] = src
        return raw, path

    enabled_raw, path = value(conn, "EnableTunnelsBgp") if dual else (None, None)
    if enabled_raw is not None and not _as_bool(enabled_raw, path or "EnableTunnelsBgp", file):
        return None, {}
    if node is not None and not node.data and node.known and node.path in node.known.unknown:
        src = not_known(tun, "TunnelBgpConfig") if dual else not_known(conn, "VpnBgpConfig", "BgpConfig")
        if src is not None:  # the whole block is known after apply: said once
            return Bgp(source=src), {"bgp": src}
    if not dual:
        enabled_raw, path = value(node, "EnableBgp", "Enable")
    if node is None and not unknown:
        return None, {}
    cidr, cidr_path = value(node, "TunnelCidr")
    if cidr is not None:
        try:
            ipv4_network(cidr)
        except BadValue as exc:
            raise InputError(file, f"{cidr_path}: {exc}") from None
    if enabled_raw is not None and not _as_bool(enabled_raw, path or "EnableBgp", file):
        return None, {}
    if enabled_raw is None and not cidr and not unknown:
        return None, {}

    def num(key: str) -> int | None:
        raw, p = value(node, key)
        return _as_int(raw, p, file) if raw is not None else None

    def ip(key: str) -> str | None:
        value(node, key)  # records it when not known
        return _ip(node, key, file) if node is not None else None

    bgp = Bgp(local_asn=num("LocalAsn"), peer_asn=num("PeerAsn"), local_ip=ip("LocalBgpIp"), peer_ip=ip("PeerBgpIp"),
              tunnel_cidr=cidr, auth_key=bool(value(node, "AuthKey")[0]),  # only whether: it is a secret
              source=Source(file=file, field=node.path if node is not None else None))
    if unknown:
        bgp.source = next(iter(unknown.values()))
    return bgp, unknown


def _ip(node: _Node, key: str, file: str) -> str | None:
    """An optional IPv4 address field (BGP addresses, health-check addresses)."""
    value, path = node.get(key)
    if value is None:
        return None
    try:
        return ipv4(value)
    except BadValue as exc:
        raise InputError(file, f"{path}: {exc}") from None


def _health(conn: _Node, file: str) -> HealthCheck | None:
    node = conn.child("VcoHealthCheck", "HealthCheckConfig")
    if node is None:
        return None
    enabled_raw, path = node.get("Enable")
    if enabled_raw is None or not _as_bool(enabled_raw, path, file):
        return None
    return HealthCheck(enabled=True, source_ip=_ip(node, "Sip", file), dest_ip=_ip(node, "Dip", file))
