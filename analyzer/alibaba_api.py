"""The live Alibaba API through the official SDK (issue 14). CONTRACT (owned by the API helper); the SDK is
imported inside the functions only (cold start of `check` without --connection must not import it).

fetch(connection_id: str | None, regions: list[str]) -> tuple[list[AlibabaTunnel], list[InputError], list[str]]
    connection_id given: that connection (DescribeVpnConnection(s)) in regions[0]; None: every connection of
    every region (all pages). Gateway and customer-gateway addresses are resolved with DescribeVpnGateway /
    DescribeCustomerGateway. Returns (tunnels, errors, notes). Raises ApiUnavailable (message says how to
    install the extra) when the SDK is missing, and ApiError (a message naming the region, the action and,
    for access denied, the RAM action needed; never a key) when the API refuses.

Read-only calls only (docs/api.md has the RAM policy). Nothing the SDK says is passed on as text: its
exceptions quote the response (and the signature-mismatch message quotes the string to sign, with the
AccessKey ID), so messages are built from the region, the action, and the error code / request ID when
they have the shape of one."""
from __future__ import annotations

import json
import logging
import os
import re
import time
from urllib.parse import urlsplit

ENDPOINT_ENV = "IPSEC_PREFLIGHT_ALIBABA_ENDPOINT"  # https://host[:port], or http://127.0.0.1:PORT (tests)
TIMEOUT_ENV = "IPSEC_PREFLIGHT_ALIBABA_TIMEOUT"  # read timeout in seconds (default 10)
INSTALL_HINT = "pip install 'ipsec-preflight[api]'"
PAGE_SIZE = 50  # DescribeVpnConnections PageSize: 1 to 50
MAX_PAGES = 200  # 10,000 connections: a server that never says "last page" cannot loop us forever
TRIES = 4  # throttled calls: 3 retries after 0.5 s, 1 s, 2 s
BACKOFF_S = (0.5, 1.0, 2.0)
MAX_WAIT_S = 8.0  # all retry waits of one call together
CONNECT_TIMEOUT_S = 5
READ_TIMEOUT_S = 10
_sleep = time.sleep  # tests replace it

RAM_ACTIONS = {"DescribeVpnConnections": "vpc:DescribeVpnConnections",
               "DescribeVpnGateway": "vpc:DescribeVpnGateway",
               "DescribeCustomerGateway": "vpc:DescribeCustomerGateway"}
_THROTTLED = {"Throttling", "Throttling.User", "Throttling.Api", "Throttling.Resource", "ServiceUnavailable"}
# RAM's access-denied codes: NoPermission, Forbidden.RAM, NotAuthorized (alibabacloud.com/help/en/ram/support/
# how-to-troubleshoot-an-access-denied-error)
_DENIED = re.compile(r"^(Forbidden|NoPermission|NotAuthorized|AccessDenied)")
# Some Describe APIs answered a missing permission with an empty list (HTTP 200) before their authentication
# upgrade (ECS: 2025-12-20); VPC's behaviour is not documented: an empty answer says it may be that.
_EMPTY_MAY_BE_DENIED = "(or these credentials may not see it: RAM action vpc:DescribeVpnConnections)"
_BAD_CREDENTIALS = re.compile(r"^(InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature|"
                              r"InvalidSecurityToken|SignatureNonceUsed|InvalidTimeStamp)")
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,79}$")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_REGION = re.compile(r"^[a-z]{2,}(-[a-z0-9]+){1,5}$")
_ID = re.compile(r"^[a-z]{2,5}-[a-z0-9]{4,60}$")  # vco-..., vpn-..., cgw-...


class ApiUnavailable(Exception):
    pass


class ApiError(Exception):
    pass


class _NotFound(ApiError):
    """A gateway a connection names does not exist (any more)."""


_GATEWAYS = (("DescribeVpnGateway", "VpnGatewayId", "VPN gateway"),
             ("DescribeCustomerGateway", "CustomerGatewayId", "customer gateway"))


def fetch(connection_id, regions):
    """See the module docstring."""
    sdk = _sdk()
    from parsers import alibaba
    from parsers.common import InputError

    if not regions:
        raise ApiError("the Alibaba API needs a region (--region cn-hangzhou)")
    for region in regions:
        if not isinstance(region, str) or not _REGION.match(region):
            raise ApiError(f"{_shown(region)} is not an Alibaba Cloud region ID (like cn-hangzhou)")
    if connection_id is not None and not _ID.match(str(connection_id)):
        raise ApiError(f"{_shown(connection_id)} is not a VPN connection ID (like vco-bp1...)")
    tunnels, errors, notes = [], [], []
    for region in regions[:1] if connection_id else regions:
        api = _Region(sdk, region)
        name = f"api:{region}/DescribeVpnConnections"
        page, page_notes = api.connections(connection_id)
        notes += page_notes
        items = page["VpnConnections"]["VpnConnection"]
        if not items:
            if connection_id:
                errors.append(InputError(name, f"connection {connection_id} not found in region {region} "
                                               f"{_EMPTY_MAY_BE_DENIED}"))
            else:
                notes.append(f"{name}: region {region} has no VPN connection {_EMPTY_MAY_BE_DENIED}")
            continue
        lookups = alibaba.Lookups()
        for action, key, what in _GATEWAYS:
            for gw_id in _ids(items, key):
                where = f"api:{region}/{action}"
                try:
                    lookups.absorb(api.call(action, **{key: gw_id}), where)
                except _NotFound:  # deleted since: the parser says the address is unknown where it matters
                    notes.append(f"{where}: {what} {gw_id} not found; its address stays unknown")
        # the "one --vpn-gateway file given" fallbacks would lend a found gateway's address to one not found
        lookups.single_vpngw = lookups.single_cgw_ip = None
        errors += lookups.problems
        try:
            tunnels += alibaba.load(name, lookups, errors, text=json.dumps(page))
        except InputError as exc:
            errors.append(exc)
    if not connection_id and not tunnels and not errors:
        errors.append(InputError(f"api:{','.join(regions)}", "no VPN connection in any region asked: "
                                 f"nothing to compare (wrong --region? {_EMPTY_MAY_BE_DENIED[1:]}"))
    return tunnels, errors, notes


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
    # DEBUG=sdk makes the SDK log every request and response: the AccessKey ID and the connections' keys
    for name in ("darabonba-core", "alibabacloud-tea"):
        logging.getLogger(name).disabled = True
    return _Sdk(Credentials, Config, models, Client, RuntimeOptions)


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


def _endpoint() -> tuple[str | None, str]:
    """(endpoint host, protocol): the override from the environment, or (None, https) for the SDK's own."""
    value = os.environ.get(ENDPOINT_ENV, "").strip()
    if not value:
        return None, "https"
    parts = urlsplit(value if "://" in value else f"https://{value}")
    try:
        parts.port  # noqa: B018 - raises on a port that is not a number
    except ValueError:
        parts = parts._replace(netloc="")
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.username:
        raise ApiError(f"{ENDPOINT_ENV}: {_shown(value)} is not an endpoint (https://host[:port])")
    if parts.scheme == "http" and parts.hostname != "127.0.0.1":
        raise ApiError(f"{ENDPOINT_ENV}: plain http is allowed only for 127.0.0.1 (a local test server); use https")
    return parts.netloc, parts.scheme


def _read_timeout_ms() -> int:
    value = os.environ.get(TIMEOUT_ENV, "").strip()
    if not value:
        return READ_TIMEOUT_S * 1000
    try:
        seconds = float(value)
    except ValueError:
        seconds = -1
    if not 0 < seconds <= 600:
        raise ApiError(f"{TIMEOUT_ENV}: {_shown(value)} is not a number of seconds (0 to 600)")
    return max(1, int(seconds * 1000))


class _Region:
    """One region's client: paged connections, gateway descriptions cached per ID, retries on throttling."""

    def __init__(self, sdk: _Sdk, region: str):
        self.sdk, self.region = sdk, region
        endpoint, protocol = _endpoint()
        timeout_ms = _read_timeout_ms()
        try:
            config = sdk.config(credential=sdk.credentials(), region_id=region, endpoint=endpoint,
                                protocol=protocol, connect_timeout=CONNECT_TIMEOUT_S * 1000, read_timeout=timeout_ms)
            if endpoint and endpoint.startswith("127.0.0.1"):
                config.no_proxy = "127.0.0.1"
            self.client = _raw_client(sdk.client, config)
        except Exception as exc:  # noqa: BLE001 - a profile file it cannot read...; its text may quote keys
            kind = type(exc).__name__
        else:
            kind = None
        if kind:
            raise ApiError(f"region {region}: the Alibaba Cloud SDK client could not be set up ({kind}); check the "
                           "credentials profile and the SDK installation")
        self.cache: dict[tuple, dict] = {}

    def connections(self, connection_id: str | None) -> tuple[dict, list[str]]:
        """Every connection of the region (or the one asked) as one DescribeVpnConnections page."""
        items, seen, total, request_id, notes = [], set(), 0, None, []
        for number in range(1, MAX_PAGES + 1):
            filters = {"VpnConnectionId": connection_id} if connection_id else {}
            body = self.call("DescribeVpnConnections", PageNumber=number, PageSize=PAGE_SIZE, **filters)
            request_id = request_id or body.get("RequestId")
            total = _count(body.get("TotalCount"))
            page = (body.get("VpnConnections") or {}).get("VpnConnection") if isinstance(
                body.get("VpnConnections"), dict) else None
            page = page if isinstance(page, list) else []
            for conn in page:  # a connection created while paging shifts the pages: each one once
                key = conn.get("VpnConnectionId") if isinstance(conn, dict) else None
                if key is None or key not in seen:
                    seen.add(key)
                    items.append(conn)
            if not page or (len(items) >= total if total is not None else len(page) < PAGE_SIZE):
                break
        else:
            notes.append(f"api:{self.region}/DescribeVpnConnections: stopped after {MAX_PAGES} pages")
        where = f"api:{self.region}/DescribeVpnConnections"
        if total is not None and len(items) < total:
            notes.append(f"{where}: the API listed {len(items)} of {total} connections (TotalCount); the others "
                         "were not checked")
        page = {"RequestId": request_id, "TotalCount": len(items), "PageNumber": 1, "PageSize": len(items),
                "VpnConnections": {"VpnConnection": items}}
        return page, notes

    def call(self, action: str, **params) -> dict:
        """The raw response body of a read-only action (cached per parameters), or ApiError."""
        key = (action, tuple(sorted(params.items())))
        if key not in self.cache:
            self.cache[key] = self._call(action, params)
        return self.cache[key]

    def _call(self, action: str, params: dict) -> dict:
        fields = {_snake(k): v for k, v in params.items()}
        request = getattr(self.sdk.models, f"{action}Request")(region_id=self.region, **fields)
        method = getattr(self.client, f"{_snake(action)}_with_options")
        waited = 0.0
        for attempt in range(TRIES):
            failure = None
            try:
                method(request, self.sdk.runtime())
            except Exception as exc:  # noqa: BLE001 - the SDK raises its own types and requests' ones
                failure = exc
            if failure is None:
                body = (self.client.last or {}).get("body")
                if not isinstance(body, dict):
                    raise ApiError(f"region {self.region}, {action}: the API answered with no JSON object")
                return body
            delay = self._retry_delay(failure, attempt, waited)
            if delay is None:
                error = self._error(action, failure)
                del failure  # raised outside the handler: the SDK exception (it quotes the response) is no context
                raise error
            _sleep(delay)
            waited += delay
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _retry_delay(self, exc: Exception, attempt: int, waited: float) -> float | None:
        """Seconds to wait before trying again after a throttling answer, None when not to retry."""
        if not _throttled(exc) or attempt + 1 >= TRIES:
            return None
        delay = BACKOFF_S[min(attempt, len(BACKOFF_S) - 1)]
        retry_after = getattr(exc, "retry_after", None)  # x-acs-retry-after, milliseconds
        if isinstance(retry_after, int) and retry_after > 0:
            delay = max(delay, retry_after / 1000)
        if waited + delay > MAX_WAIT_S:
            return None
        return delay

    def _error(self, action: str, exc: Exception) -> ApiError:
        where = f"region {self.region}, {action}"
        code, status, request_id = _code(exc), _status(exc), _request_id(exc)
        said = ", ".join(x for x in (code, f"HTTP {status}" if status else "",
                                     f"request ID {request_id}" if request_id else "") if x)
        said = f" ({said})" if said else ""
        if _throttled(exc):
            return ApiError(f"{where}: still throttled after {TRIES} tries{said}; try again later")
        if status == 403 or (code and _DENIED.match(code)):
            return ApiError(f"{where}: access denied{said}: the RAM policy of these credentials needs the action "
                            f"{RAM_ACTIONS.get(action, 'vpc:' + action)} (docs/api.md lists the read-only policy)")
        if code and _BAD_CREDENTIALS.match(code):
            return ApiError(f"{where}: the credentials were refused{said}: check the AccessKey pair (or the "
                            "profile / instance role) the default credential chain picked")
        inner = getattr(exc, "inner_exception", exc)
        kind = type(inner).__name__
        if "CredentialException" in kind or "CredentialException" in type(exc).__name__:
            return ApiError(f"{where}: no Alibaba Cloud credentials found: set ALIBABA_CLOUD_ACCESS_KEY_ID and "
                            "ALIBABA_CLOUD_ACCESS_KEY_SECRET, configure a profile (~/.alibabacloud/credentials.ini "
                            "or the aliyun CLI's ~/.aliyun/config.json), or run on an instance with a RAM role")
        if _timed_out(exc):
            return ApiError(f"{where}: no answer within {_read_timeout_ms() / 1000:g} s (timeout; "
                            f"{TIMEOUT_ENV} sets it)")
        if code.endswith(".NotFound") and action in RAM_ACTIONS and action != "DescribeVpnConnections":
            return _NotFound(f"{where}: not found{said}")
        if code or status:
            return ApiError(f"{where}: the API refused the call{said}")
        host = getattr(self.client, "_endpoint", None) or "?"
        return ApiError(f"{where}: the API at {_shown(host)} could not be reached ({kind}); network down, or a "
                        "region this SDK has no endpoint for?")


def _raw_client(client_class, config):
    """The SDK client, keeping each call's raw JSON body: the SDK models drop fields they do not know
    (VpnBgpConfig.EnableBgp in a DescribeVpnConnections entry), the parser reads them all."""
    class RawClient(client_class):
        last = None

        def call_api(self, params, request, runtime):
            self.last = None
            self.last = super().call_api(params, request, runtime)
            return self.last

    return RawClient(config)


def _snake(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", "_", name).lower()


def _count(value) -> int | None:
    if isinstance(value, str) and value.isdigit():
        value = int(value)
    return value if isinstance(value, int) and not isinstance(value, bool) and value >= 0 else None


def _code(exc: Exception) -> str:
    code = getattr(exc, "code", None)
    return code if isinstance(code, str) and _CODE.match(code) and code != "None" else ""


def _status(exc: Exception) -> int | None:
    status = getattr(exc, "status_code", None)
    return status if isinstance(status, int) and 100 <= status < 600 else None


def _request_id(exc: Exception) -> str:
    value = getattr(exc, "request_id", None)
    return value if isinstance(value, str) and _REQUEST_ID.match(value) else ""


def _throttled(exc: Exception) -> bool:
    return _code(exc) in _THROTTLED or _status(exc) in (429, 503) or \
        type(exc).__name__ == "ThrottlingException"


def _timed_out(exc: Exception) -> bool:
    inner = getattr(exc, "inner_exception", None)
    text = type(inner).__name__ + " " + str(getattr(inner, "message", ""))
    return "timed out" in text.lower() or "timeout" in text.lower()


def _shown(value) -> str:
    """User input echoed in a message: quoted, printable, short."""
    text = "".join(c if c.isprintable() else "?" for c in str(value))[:80]
    return repr(text)
