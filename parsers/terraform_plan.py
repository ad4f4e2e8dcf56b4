"""`terraform show -json PLAN`: the alicloud_vpn_connection resources a plan creates, updates or replaces.

Format: https://developer.hashicorp.com/terraform/internals/json-format ("Plan Representation"): each
``resource_changes`` entry has ``change.actions``, ``change.after`` (unknown values null or left out) and
``change.after_unknown`` (true where a value is known only after apply). Values are read from ``after``;
``after_unknown`` paths are never defaulted (``parsers.alibaba.Known``). Gateway addresses come from the plan's
gateways (``prior_state``, ``planned_values``, ``resource_changes``; the ``gateways`` list of the
``alicloud_vpn_gateways`` / ``alicloud_vpn_customer_gateways`` data sources, by id), found through the connection's
``configuration`` references (``expressions.customer_gateway_id.references``) when its id is not known yet.
"""
from __future__ import annotations

from typing import Any, Iterator

AFTER_APPLY = "known after apply"
CREATE_FIRST = "replace (create before destroy)"
_CGW, _VPNGW, _CONN = "alicloud_vpn_customer_gateway", "alicloud_vpn_gateway", "alicloud_vpn_connection"
_MAX_DEPTH = 64  # after / after_unknown / configuration nesting read; deeper is not a provider schema


def is_plan(data: Any) -> bool:
    return isinstance(data, dict) and "format_version" in data and (
        "resource_changes" in data or "planned_values" in data)


def action_of(actions: Any) -> str | None:
    """create / update / replace / CREATE_FIRST / no-op / read; None for a delete (the connection will not exist).
    The order of a replace is that of ``actions``: ["delete", "create"], or ["create", "delete"] with
    create_before_destroy (json-format "Change Representation")."""
    acts = [a for a in actions if isinstance(a, str)] if isinstance(actions, list) else []
    if acts == ["create", "delete"]:  # create_before_destroy: the new connection exists before the old goes
        return CREATE_FIRST
    if "delete" in acts and "create" in acts:
        return "replace"
    if acts == ["delete"] or not acts:
        return None
    return acts[0]


def _dict(value: Any) -> dict:
    return value if isinstance(value, dict) else {}


def _list(value: Any) -> list:
    return value if isinstance(value, list) else []


def _modules(mod: Any, depth: int = 0) -> Iterator[dict]:
    mod = _dict(mod)
    yield mod
    if depth < _MAX_DEPTH:
        for child in _list(mod.get("child_modules")):
            yield from _modules(child, depth + 1)


def _flatten(unknown: Any, path: str, out: dict[str, str], depth: int = 0) -> None:
    """Every path after_unknown marks true, as ``parsers.alibaba._Node`` spells paths."""
    if unknown is True:
        out[path] = AFTER_APPLY
    elif depth < _MAX_DEPTH and isinstance(unknown, dict):
        for key, value in unknown.items():
            _flatten(value, f"{path}.{key}", out, depth + 1)
    elif depth < _MAX_DEPTH and isinstance(unknown, list):
        for i, value in enumerate(unknown):
            _flatten(value, f"{path}[{i}]", out, depth + 1)


class Gateways:
    """The plan's gateways by address and by id: customer gateway -> ip_address, VPN gateway -> its two IPs."""

    def __init__(self, data: dict):
        self.cgw: dict[str, str | None] = {}
        self.vpngw: dict[str, tuple[Any, Any] | None] = {}
        states = [_dict(_dict(data.get("prior_state")).get("values")).get("root_module"),
                  _dict(data.get("planned_values")).get("root_module")]
        for root in states:
            for mod in _modules(root):
                for res in _list(mod.get("resources")):
                    res = _dict(res)
                    self._take(res.get("address"), res.get("type"), res.get("mode"), _dict(res.get("values")), {})
        for rc in _list(data.get("resource_changes")):  # last: what the plan will make of them
            rc, change = _dict(rc), _dict(_dict(rc).get("change"))
            if action_of(change.get("actions")) is not None:
                self._take(rc.get("address"), rc.get("type"), rc.get("mode"), _dict(change.get("after")),
                           _dict(change.get("after_unknown")))

    def _take(self, address: Any, rtype: Any, mode: Any, values: dict, unknown: dict) -> None:
        if mode == "data" and rtype in (_CGW + "s", _VPNGW + "s"):  # alicloud_vpn_(customer_)gateways: by id
            for gw in _list(values.get("gateways")):
                gw = _dict(gw)
                if isinstance(gw.get("id"), str):
                    self._take(gw["id"], rtype[:-1], "managed", gw, {})
            return
        if mode not in (None, "managed") or not isinstance(address, str):
            return
        if rtype == _CGW:
            ip = values.get("ip_address") if not unknown.get("ip_address") else None
            self.cgw[address] = ip if isinstance(ip, str) else None
            if isinstance(values.get("id"), str):
                self.cgw[values["id"]] = self.cgw[address]
        elif rtype == _VPNGW:
            ips = tuple(values.get(k) if isinstance(values.get(k), str) and not unknown.get(k) else None
                        for k in ("internet_ip", "disaster_recovery_internet_ip"))
            self.vpngw[address] = ips if any(ips) else None
            if isinstance(values.get("id"), str):
                self.vpngw[values["id"]] = self.vpngw[address]


def _config_module(data: dict, module_address: Any) -> dict:
    """The configuration block of a module instance address (module.a["x"].module.b -> calls a, then b)."""
    mod = _dict(_dict(data.get("configuration")).get("root_module"))
    if isinstance(module_address, str):
        for part in module_address.split(".")[1::2]:  # module.NAME[.module.NAME...]
            mod = _dict(_dict(_dict(mod.get("module_calls")).get(part.split("[")[0])).get("module"))
    return mod


def _expressions(data: dict, rc: dict, index: dict) -> dict:
    """The configuration expressions of a resource change; ``index`` (module address -> resources by type, name
    and mode) is filled in as modules are met: a plan of thousands of connections is read in linear time."""
    address = rc.get("module_address") if isinstance(rc.get("module_address"), str) else None
    if address not in index:
        by_key: dict[tuple, dict] = {}
        for res in _list(_config_module(data, address).get("resources")):
            res = _dict(res)
            key = tuple(res.get(k) if isinstance(res.get(k), str) else None for k in ("type", "name", "mode"))
            by_key.setdefault(key, _dict(res.get("expressions")))
        index[address] = by_key
    key = tuple(rc.get(k) if isinstance(rc.get(k), str) else None for k in ("type", "name", "mode"))
    return index[address].get(key, {})


def _referenced(data: dict, expr: Any, rtype: str, module_address: Any, depth: int = 0) -> str | None:
    """The address of the resource of type rtype an expression refers to (alicloud_vpn_gateway.x.id -> ...x),
    following a module's input variable to the module call's argument (var.x -> module "m" { x = ... })."""
    module_address = module_address if isinstance(module_address, str) else ""
    prefix = f"{module_address}." if module_address else ""
    for ref in _list(_dict(expr).get("references")):
        if isinstance(ref, str) and ref.startswith(rtype + "."):
            return prefix + ".".join(ref.split(".")[:2])
        if isinstance(ref, str) and ref.startswith("var.") and module_address and depth < _MAX_DEPTH:
            parent, _, call = module_address.rpartition(".module.") if ".module." in module_address else \
                ("", "", module_address.removeprefix("module."))
            calls = _dict(_config_module(data, parent or None).get("module_calls"))
            arg = _dict(_dict(calls.get(call.split("[")[0])).get("expressions")).get(ref.split(".")[1])
            found = _referenced(data, arg, rtype, parent, depth + 1)
            if found:
                return found
    return None


class PlanConnection:
    """One connection of the plan: its values (``after``), the root path, the unknown paths and the action."""

    def __init__(self, values: dict, path: str, unknown: dict[str, str], action: str):
        self.values, self.path, self.unknown, self.action = values, path, unknown, action


def connections(data: dict, cgw_ip: dict[str, str], vpngw_ips: dict[str, tuple]) -> Iterator[PlanConnection]:
    """The plan's connections (deleted ones left out); gateway addresses found are added to the two tables
    (``parsers.alibaba.Lookups``), keyed by the id the connection's values then hold."""
    gateways = Gateways(data)
    for k, ip in gateways.cgw.items():
        if ip:
            cgw_ip.setdefault(k, ip)
    for k, ips in gateways.vpngw.items():
        if ips:
            vpngw_ips.setdefault(k, ips)
    index: dict = {}
    for i, rc in enumerate(_list(data.get("resource_changes"))):
        rc = _dict(rc)
        change = _dict(rc.get("change"))
        action = action_of(change.get("actions"))
        if rc.get("type") != _CONN or rc.get("mode") not in (None, "managed") or action is None:
            continue
        path = rc.get("address") if isinstance(rc.get("address"), str) else f"resource_changes[{i}]"
        values = dict(_dict(change.get("after")))
        unknown: dict[str, str] = {}
        _flatten(change.get("after_unknown"), path, unknown)
        exprs = _expressions(data, rc, index)
        _resolve(data, values, f"{path}.vpn_gateway_id", exprs.get("vpn_gateway_id"), _VPNGW, gateways.vpngw,
                 unknown, rc)
        _resolve(data, values, f"{path}.customer_gateway_id", exprs.get("customer_gateway_id"), _CGW, gateways.cgw,
                 unknown, rc)
        tunnels = _list(values.get("tunnel_options_specification"))
        tunnel_exprs = _list(exprs.get("tunnel_options_specification"))
        for t, tunnel in enumerate(tunnels):
            if isinstance(tunnel, dict):
                tunnels[t] = tunnel = dict(tunnel)
                expr = _dict(tunnel_exprs[t]).get("customer_gateway_id") if t < len(tunnel_exprs) else None
                _resolve(data, tunnel, f"{path}.tunnel_options_specification[{t}].customer_gateway_id", expr, _CGW,
                         gateways.cgw, unknown, rc)
        yield PlanConnection(values, path, unknown, action)


def _resolve(data: dict, values: dict, path: str, expr: Any, rtype: str, table: dict, unknown: dict[str, str],
             rc: dict) -> None:
    """A gateway id not known yet (the gateway is created by this plan): the referenced resource's address
    stands for it when that resource's address is known; otherwise the field stays unknown, saying why."""
    if path not in unknown:
        return
    address = _referenced(data, expr, rtype, rc.get("module_address"))
    if address is None:
        return
    key = path.rsplit(".", 1)[1]
    if table.get(address):
        values[key] = address
        del unknown[path]
    else:
        unknown[path] = f"{AFTER_APPLY} ({address} has no address known before apply)"
