"""The live Alibaba API through the official SDK (issue 14). CONTRACT (owned by the API helper); the SDK is
imported inside the functions only (cold start of `check` without --connection must not import it).

fetch(connection_id: str | None, regions: list[str]) -> tuple[list[AlibabaTunnel], list[InputError], list[Note]]
    connection_id given: that connection (DescribeVpnConnection(s)) in regions[0]; None: every connection of
    every region (all pages). Gateway and customer-gateway addresses are resolved with DescribeVpnGateway /
    DescribeCustomerGateway. Returns (tunnels, errors, notes). A region the API refuses (access denied, still
    throttled, no answer, not JSON) is an error naming the region, the action and, for access denied, the RAM
    action; the other regions are still read. A gateway that cannot be described leaves its address unknown,
    with a note. Each note is a `Note` (a str "<source>: <message>" with .file, .message and .partial: the list
    of that source was cut short). Raises ApiUnavailable (how to install the extra) when the SDK is missing,
    and ApiError when no call can succeed: bad arguments, no usable credentials, credentials refused.

Read-only calls only (docs/api.md has the RAM policy). Nothing the SDK says is passed on as text: its
exceptions quote the response (and the signature-mismatch message quotes the string to sign, with the
AccessKey ID), so messages are built from the region, the action, and the error code / request ID when
they have the shape of one. The SDK's own loggers are switched off for the same reason."""
from __future__ import annotations

import json
import logging
import re

from analyzer.alibaba_api_calls import ENDPOINT_ENV, TIMEOUT_ENV, ApiError, Budget, Fatal, NotFound, Note, Region, shown

__all__ = ["ENDPOINT_ENV", "TIMEOUT_ENV", "ApiError", "ApiUnavailable", "Note", "fetch"]

INSTALL_HINT = "pip install 'ipsec-preflight[api]'"
# Some Describe APIs answered a missing permission with an empty list (HTTP 200) before their authentication
# upgrade (ECS: 2025-12-20); VPC's behaviour is not documented: an empty answer says it may be that.
_EMPTY_MAY_BE_DENIED = "(or these credentials may not see it: RAM action vpc:DescribeVpnConnections)"
_REGION = re.compile(r"^[a-z]{2,}(-[a-z0-9]+){1,5}$")
_ID = re.compile(r"^[a-z]{2,5}-[a-z0-9]{4,60}$")  # vco-..., vpn-..., cgw-...
# Loggers of the SDK and what it runs on. `credentials` has its own stderr handler and logs the STS answer
# (which quotes the AccessKey ID) with tracebacks; the others may log URLs (an RPC query holds the key ID).
_SDK_LOGGERS = ("credentials", "darabonba-core", "alibabacloud-tea", "apscheduler", "urllib3", "requests", "aiohttp")


class ApiUnavailable(Exception):
    pass


_GATEWAYS = (("DescribeVpnGateway", "VpnGatewayId", "VPN gateway"),
             ("DescribeCustomerGateway", "CustomerGatewayId", "customer gateway"))


def fetch(connection_id, regions):
    """See the module docstring."""
    sdk = _sdk()
    from parsers.common import InputError

    if not regions:
        raise ApiError("the Alibaba API needs a region (--region cn-hangzhou)")
    for region in regions:
        if not isinstance(region, str) or not _REGION.match(region):
            raise ApiError(f"{shown(region)} is not an Alibaba Cloud region ID (like cn-hangzhou)")
    if connection_id is not None and not _ID.match(str(connection_id)):
        raise ApiError(f"{shown(connection_id)} is not a VPN connection ID (like vco-bp1...)")
    tunnels, errors, notes = [], [], []
    budget = Budget()  # retry waits of every region together
    for region in regions[:1] if connection_id else regions:
        api = Region(sdk, region, budget)
        name = f"api:{region}/DescribeVpnConnections"
        try:
            page, page_notes = api.connections(connection_id)
        except Fatal:  # credentials: no region can be read
            raise
        except ApiError as exc:  # this region refused or failed: the others are still read
            errors.append(InputError(name, exc.detail))
            continue
        notes += page_notes
        if cut := [n.message for n in page_notes if n.partial]:  # the notes mark the list partial (audit)
            errors.append(InputError(name, "; ".join(cut)))  # a run that left connections unread is not a pass
        items = page["VpnConnections"]["VpnConnection"]
        if connection_id:
            items[:] = _only_the_one_asked(items, connection_id, name, errors, notes)
        elif not items:
            notes.append(Note(name, f"region {region} has no VPN connection {_EMPTY_MAY_BE_DENIED}"))
        if items:
            tunnels += _tunnels(api, page, errors, notes)
    if not connection_id and not tunnels and not errors:
        errors.append(InputError(f"api:{','.join(regions)}", "no VPN connection in any region asked: "
                                 f"nothing to compare (wrong --region? {_EMPTY_MAY_BE_DENIED[1:]}"))
    return tunnels, errors, notes


def _only_the_one_asked(items: list, connection_id: str, name: str, errors: list, notes: list) -> list:
    """The entries that are the connection asked: an API (or a proxy) may ignore the VpnConnectionId filter."""
    from parsers.common import InputError

    asked = [c for c in items if isinstance(c, dict) and c.get("VpnConnectionId") == connection_id]
    others = len(items) - len(asked)
    if not asked:
        why = f"(the API answered with {others} other connection(s), not checked)" if others else \
            _EMPTY_MAY_BE_DENIED
        region = name[4:].split("/")[0]
        errors.append(InputError(name, f"connection {connection_id} not found in region {region} {why}"))
    elif others:
        notes.append(Note(name, f"the API answered the VpnConnectionId filter with {others} other connection(s) "
                                "too; not checked"))
    return asked


def _tunnels(api: Region, page: dict, errors: list, notes: list) -> list:
    """The tunnels of a region's connections, with their gateways' addresses where they can be described."""
    from parsers import alibaba
    from parsers.common import InputError

    lookups = alibaba.Lookups()
    for action, key, what in _GATEWAYS:
        where = f"api:{api.region}/{action}"
        failure, unknown = None, []
        for gw_id in _ids(page["VpnConnections"]["VpnConnection"], key):
            if failure is not None:  # denied (or failing) for one: the others would be too
                unknown.append(gw_id)
                continue
            try:
                lookups.absorb(api.call(action, **{key: gw_id}), where)
            except NotFound:  # deleted since: the parser says the address is unknown where it matters
                notes.append(Note(where, f"{what} {gw_id} not found; its address stays unknown"))
            except Fatal:
                raise
            except ApiError as exc:
                failure = exc
                unknown.append(gw_id)
        if failure is not None:
            notes.append(Note(where, f"{failure.detail}; {what} {', '.join(unknown)}: address unknown (the "
                                     "connections are still checked)"))
    # the "one --vpn-gateway file given" fallbacks would lend a found gateway's address to one not found
    lookups.single_vpngw = lookups.single_cgw_ip = None
    errors += lookups.problems
    name = f"api:{api.region}/DescribeVpnConnections"
    try:
        return alibaba.load(name, lookups, errors, text=json.dumps(page))
    except InputError as exc:
        errors.append(exc)
        return []


def _sdk():
    """The SDK modules, or ApiUnavailable saying how to install them."""
    try:
        from alibabacloud_credentials.client import Client as Credentials
        from alibabacloud_tea_openapi.utils_models import Config
        from alibabacloud_vpc20160428 import models
        from alibabacloud_vpc20160428.client import Client
        from darabonba.runtime import RuntimeOptions
    except ImportError:
        raise ApiUnavailable("reading connections from the Alibaba API needs the Alibaba Cloud SDK: "
                             f"{INSTALL_HINT}") from None
    _mute_sdk_logs()
    return _Sdk(Credentials, Config, models, Client, RuntimeOptions)


def _mute_sdk_logs() -> None:
    """Switch the SDK's loggers off (DEBUG=sdk would also dump every request and response: the AccessKey ID
    and the connections' keys). ``disabled`` drops a logger's own records whatever handler it has; the level
    above CRITICAL reaches child loggers (apscheduler.scheduler...), also ones created later."""
    for name in _SDK_LOGGERS:
        logger = logging.getLogger(name)
        logger.disabled = True
        logger.propagate = False
        logger.setLevel(logging.CRITICAL + 1)


class _Sdk:
    def __init__(self, credentials, config, models, client, runtime):
        self.credentials, self.config, self.models, self.client, self.runtime = \
            credentials, config, models, client, runtime


def _ids(items: list, key: str) -> list[str]:
    """The gateway IDs connections (and their tunnels) name, each once, in order."""
    found: dict[str, None] = {}
    for conn in items:
        if not isinstance(conn, dict):
            continue
        spec = conn.get("TunnelOptionsSpecification")
        options = spec.get("TunnelOptions") if isinstance(spec, dict) else None
        for obj in [conn] + (options if isinstance(options, list) else []):
            value = obj.get(key) if isinstance(obj, dict) else None
            if isinstance(value, str) and _ID.match(value):
                found[value] = None
    return list(found)
