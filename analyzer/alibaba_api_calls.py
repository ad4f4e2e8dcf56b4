"""One region's read-only calls to the Alibaba VPC API through the SDK (used by analyzer.alibaba_api): every
page of DescribeVpnConnections, one description per gateway, retries on throttling within a wait budget, a
deadline per call, and error messages built from the region, the action, the error code and the request ID
only (the SDK's exception texts quote the response, which may quote the AccessKey ID). Imports no SDK
module itself: the client classes are handed in."""
from __future__ import annotations

import json
import os
import re
import threading
import time
from urllib.parse import urlsplit

ENDPOINT_ENV = "IPSEC_PREFLIGHT_ALIBABA_ENDPOINT"  # https://host[:port], or http://127.0.0.1:PORT (tests)
TIMEOUT_ENV = "IPSEC_PREFLIGHT_ALIBABA_TIMEOUT"  # read timeout in seconds (default 10)
PAGE_SIZE = 50  # DescribeVpnConnections PageSize: 1 to 50
MAX_PAGES = 200  # 10,000 connections: a server that never says "last page" cannot loop us forever
TRIES = 4  # throttled calls: 3 retries after 0.5 s, 1 s, 2 s
BACKOFF_S = (0.5, 1.0, 2.0)
MAX_WAIT_S = 8.0  # all retry waits of one call together
FETCH_WAIT_S = 60.0  # all retry waits of one fetch (every region and gateway) together
DEADLINE_FACTOR = 3  # a whole call (connect, send, every read) ends after 3 x the read timeout
CONNECT_TIMEOUT_S = 5
READ_TIMEOUT_S = 10
_sleep = time.sleep  # tests replace it

RAM_ACTIONS = {"DescribeVpnConnections": "vpc:DescribeVpnConnections",
               "DescribeVpnGateway": "vpc:DescribeVpnGateway",
               "DescribeCustomerGateway": "vpc:DescribeCustomerGateway"}
_THROTTLED = {"Throttling", "Throttling.User", "Throttling.Api", "Throttling.Resource", "ServiceUnavailable"}
_TRANSIENT_STATUS = {502, 503, 504}  # a proxy's or load balancer's error page (HTML): worth another try
# RAM's access-denied codes: NoPermission, Forbidden.RAM, NotAuthorized (alibabacloud.com/help/en/ram/support/
# how-to-troubleshoot-an-access-denied-error)
_DENIED = re.compile(r"^(Forbidden|NoPermission|NotAuthorized|AccessDenied)")
_BAD_CREDENTIALS = re.compile(r"^(InvalidAccessKeyId|SignatureDoesNotMatch|IncompleteSignature|"
                              r"InvalidSecurityToken|SignatureNonceUsed|InvalidTimeStamp)")
_CODE = re.compile(r"^[A-Za-z][A-Za-z0-9._-]{0,79}$")
_REQUEST_ID = re.compile(r"^[A-Za-z0-9-]{1,64}$")
_NO_CREDENTIALS = ("no usable Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID and "
                   "ALIBABA_CLOUD_ACCESS_KEY_SECRET, configure a profile (~/.alibabacloud/credentials.ini or the "
                   "aliyun CLI's ~/.aliyun/config.json; a ram_role_arn profile's AssumeRole must succeed), or run "
                   "on an instance with a RAM role")
_NOT_JSON = "the API answered with something that is not the API's JSON"


class ApiError(Exception):
    @property
    def detail(self) -> str:
        """The message without "region R, Action: ", for an error filed under api:R/Action."""
        return re.sub(r"^region [a-z0-9-]+, [A-Za-z]+: ", "", str(self))


class Fatal(ApiError):
    """No call can succeed (credentials): the whole fetch stops."""


class NotFound(ApiError):
    """A gateway a connection names does not exist (any more)."""


class Note(str):
    """A note of the fetch: the text "<file>: <message>", with its parts; ``partial``: that file's list of
    connections was cut short (the report marks it as the file path's one-page-of-several export)."""
    file: str
    message: str
    partial: bool

    def __new__(cls, file: str, message: str, partial: bool = False) -> "Note":
        note = super().__new__(cls, f"{file}: {message}")
        note.file, note.message, note.partial = file, message, partial
        return note


class Budget:
    """The retry waits of one fetch, all regions and gateways together."""

    def __init__(self):
        self.waited = 0.0


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
    # never echo the value: a proxy URL pasted here may carry a password or a token (`https://:pw@host`, `?key=`)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path not in ("", "/") \
            or parts.query or parts.fragment or "@" in parts.netloc:
        raise ApiError(f"{ENDPOINT_ENV}: not an endpoint: give https://host[:port] only, with no user, password, "
                       "path or query (the value is not shown)")
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
        raise ApiError(f"{TIMEOUT_ENV}: {shown(value)} is not a number of seconds (0 to 600)")
    return max(1, int(seconds * 1000))


class Region:
    """One region's client: paged connections, gateway descriptions cached per ID, retries on throttling."""

    def __init__(self, sdk, region: str, budget: Budget):
        self.sdk, self.region, self.budget = sdk, region, budget
        endpoint, protocol = _endpoint()
        self.timeout_ms = _read_timeout_ms()
        try:
            config = sdk.config(credential=sdk.credentials(), region_id=region, endpoint=endpoint,
                                protocol=protocol, connect_timeout=CONNECT_TIMEOUT_S * 1000,
                                read_timeout=self.timeout_ms)
            if endpoint and endpoint.startswith("127.0.0.1"):
                config.no_proxy = "127.0.0.1"
            self.client = _raw_client(sdk.client, config)
        except Exception as exc:  # noqa: BLE001 - a profile file it cannot read...; its text may quote keys
            kind = type(exc).__name__
        else:
            kind = None
        if kind and "CredentialException" in kind:
            raise Fatal(f"region {region}: {_NO_CREDENTIALS}")
        if kind:
            raise Fatal(f"region {region}: the Alibaba Cloud SDK client could not be set up ({kind}); check the "
                         "credentials profile and the SDK installation")
        self.cache: dict[tuple, dict] = {}

    def connections(self, connection_id: str | None) -> tuple[dict, list[Note]]:
        """Every connection of the region (or the one asked) as one DescribeVpnConnections page. A full page
        is followed by the next one whatever TotalCount says; without TotalCount only an empty page ends the
        list (the server's page size may be below ours); a page adding nothing new ends it too."""
        where = f"api:{self.region}/DescribeVpnConnections"
        items, seen, total, request_id, notes = [], set(), None, None, []
        filters = {"VpnConnectionId": connection_id} if connection_id else {}
        for number in range(1, MAX_PAGES + 1):
            body = self.call("DescribeVpnConnections", PageNumber=number, PageSize=PAGE_SIZE, **filters)
            request_id = request_id or body.get("RequestId")
            count = _count(body.get("TotalCount"))  # the largest said: an empty last page may say 0
            total = count if total is None or (count is not None and count > total) else total
            page = _page(body)
            fresh = 0
            for conn in page:  # a connection created while paging shifts the pages: each one once
                key = _identity(conn)
                if key not in seen:
                    seen.add(key)
                    items.append(conn)
                    fresh += 1
            if not page:
                break
            if not fresh:
                if total is None or len(items) < total:
                    notes.append(Note(where, f"page {number} repeated connections of earlier pages (the API may "
                                             "ignore PageNumber): paging stopped there", partial=True))
                break
            full = len(page) >= min(PAGE_SIZE, _count(body.get("PageSize")) or PAGE_SIZE)
            if total is not None and len(items) >= total and not full:
                break
        else:
            notes.append(Note(where, f"stopped after {MAX_PAGES} pages ({len(items)} connections); any others were "
                                     "not checked", partial=True))
        if total is not None and len(items) < total:
            notes.append(Note(where, f"the API listed {len(items)} of {total} connections (TotalCount); the others "
                                     "were not checked", partial=True))
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
        for attempt in range(1, TRIES + 1):
            failure = body = None
            try:
                body = self._within_deadline(lambda: method(request, self.sdk.runtime()))
            except Exception as exc:  # noqa: BLE001 - the SDK raises its own types and requests' ones
                failure = exc
            if failure is None:
                if not isinstance(body, dict):
                    raise ApiError(f"region {self.region}, {action}: {_NOT_JSON} (HTTP 200)")
                return body
            delay, why = self._retry_delay(failure, attempt, waited)
            if delay is None:
                error = self._error(action, failure, attempt, why)
                del failure  # raised outside the handler: the SDK exception (it quotes the response) is no context
                raise error
            _sleep(delay)
            waited += delay
            self.budget.waited += delay
        raise AssertionError("unreachable")  # the last attempt returns or raises

    def _within_deadline(self, call):
        """The call's raw body; the read timeout holds per socket read only, so an answer trickled a few bytes
        at a time would never end: the call runs in a daemon thread, abandoned at the deadline."""
        done, result = threading.Event(), {}

        def run():
            try:
                call()
                result["body"] = self.client.local.last
            except BaseException as exc:  # noqa: BLE001 - handed to the caller's thread
                result["error"] = exc
            done.set()

        threading.Thread(target=run, name="alibaba-api-call", daemon=True).start()
        if not done.wait(DEADLINE_FACTOR * self.timeout_ms / 1000):
            raise _DeadlinePassed()
        if "error" in result:
            raise result.pop("error")
        return (result["body"] or {}).get("body") if isinstance(result["body"], dict) else None

    def _retry_delay(self, exc: Exception, attempt: int, waited: float) -> tuple[float | None, str]:
        """(seconds to wait before trying again, None when not to retry; why not, when it says more)."""
        code, status = _code(exc), _status(exc)
        if status == 403 or (code and (_DENIED.match(code) or _BAD_CREDENTIALS.match(code))):
            return None, ""
        if not _throttled(exc) and _answer_status(exc) not in _TRANSIENT_STATUS:
            return None, ""
        if attempt >= TRIES:
            return None, ""
        delay = BACKOFF_S[min(attempt - 1, len(BACKOFF_S) - 1)]
        retry_after = getattr(exc, "retry_after", None)  # x-acs-retry-after, milliseconds
        if isinstance(retry_after, int) and retry_after > 0:
            delay = max(delay, retry_after / 1000)
        if waited + delay > MAX_WAIT_S:
            return None, f"the API asked to wait {delay:g} s more (x-acs-retry-after); the retries of one call " \
                         f"wait {MAX_WAIT_S:g} s at most"
        if self.budget.waited + delay > FETCH_WAIT_S:
            return None, f"the retries of this run have waited {self.budget.waited:g} s, their limit " \
                         f"{FETCH_WAIT_S:g} s"
        return delay, ""

    def _error(self, action: str, exc: Exception, tries: int, why: str) -> ApiError:
        where = f"region {self.region}, {action}"
        code, status, request_id = _code(exc), _status(exc), _request_id(exc)
        said = ", ".join(x for x in (code, f"HTTP {status}" if status else "",
                                     f"request ID {request_id}" if request_id else "") if x)
        said = f" ({said})" if said else ""
        why = f"; {why}" if why else ""
        if status == 403 or (code and _DENIED.match(code)):
            return ApiError(f"{where}: access denied{said}: the RAM policy of these credentials needs the action "
                            f"{RAM_ACTIONS.get(action, 'vpc:' + action)} (docs/api.md lists the read-only policy)")
        if code and _BAD_CREDENTIALS.match(code):
            return Fatal(f"{where}: the credentials were refused{said}: check the AccessKey pair (or the "
                          "profile / instance role) the default credential chain picked")
        if _throttled(exc):
            return ApiError(f"{where}: still throttled after {tries} {'try' if tries == 1 else 'tries'}{said}"
                            f"{why}; try again later")
        if isinstance(exc, _DeadlinePassed):
            return ApiError(f"{where}: no complete answer within {DEADLINE_FACTOR * self.timeout_ms / 1000:g} s "
                            f"({DEADLINE_FACTOR} x the read timeout; {TIMEOUT_ENV} sets it)")
        inner = getattr(exc, "inner_exception", exc)
        kind = type(inner).__name__
        if "CredentialException" in kind or "CredentialException" in type(exc).__name__:
            return Fatal(f"{where}: {_NO_CREDENTIALS}")
        if _timed_out(exc):
            return ApiError(f"{where}: no answer within {self.timeout_ms / 1000:g} s (timeout; "
                            f"{TIMEOUT_ENV} sets it)")
        if (answered := _answer_status(exc)) is not None:
            tried = f" ({tries} tries)" if tries > 1 else ""
            return ApiError(f"{where}: {_NOT_JSON} (HTTP {answered}){tried}{why}")
        if code.endswith(".NotFound") and action in RAM_ACTIONS and action != "DescribeVpnConnections":
            return NotFound(f"{where}: not found{said}")
        if code or status:
            return ApiError(f"{where}: the API refused the call{said}")
        host = getattr(self.client, "_endpoint", None) or "?"
        return ApiError(f"{where}: the API at {shown(host)} could not be reached ({kind}); network down, or a "
                        "region this SDK has no endpoint for?")


class _DeadlinePassed(Exception):
    pass


def _raw_client(client_class, config):
    """The SDK client, keeping each call's raw JSON body (per thread: an abandoned call may still end): the
    SDK models drop fields they do not know (VpnBgpConfig.EnableBgp in a DescribeVpnConnections entry), the
    parser reads them all."""
    class RawClient(client_class):
        local = threading.local()

        def call_api(self, params, request, runtime):
            self.local.last = None
            self.local.last = super().call_api(params, request, runtime)
            return self.local.last

    return RawClient(config)


def _page(body: dict) -> list:
    conns = body.get("VpnConnections")
    page = conns.get("VpnConnection") if isinstance(conns, dict) else None
    return page if isinstance(page, list) else []


def _identity(conn) -> str:
    """A connection's ID, or its whole text when it has none (so a repeated page of ID-less entries adds
    nothing)."""
    key = conn.get("VpnConnectionId") if isinstance(conn, dict) else None
    return key if isinstance(key, str) else "\0" + json.dumps(conn, sort_keys=True, default=str)


def _answer_status(exc: BaseException) -> int | None:
    """The HTTP status of an answer the SDK could not read as JSON (it raises RuntimeError or, for deep
    nesting, RecursionError without the status; the SDK's frame still holds the response)."""
    inner = getattr(exc, "inner_exception", None)
    if isinstance(inner, BaseException) and inner is not exc:
        return _answer_status(inner) or _answer_status_of(exc)
    return _answer_status_of(exc)


def _answer_status_of(exc: BaseException) -> int | None:
    if not isinstance(exc, (RuntimeError, RecursionError, ValueError)):
        return None
    tb = exc.__traceback__
    status = None
    while tb is not None:
        response = tb.tb_frame.f_locals.get("_response") if tb.tb_frame.f_code.co_name.startswith("do_") else None
        value = getattr(response, "status_code", None)
        if isinstance(value, int) and 100 <= value < 600:
            status = value
        tb = tb.tb_next
    return status


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


def shown(value) -> str:
    """User input echoed in a message: quoted, printable, short."""
    text = "".join(c if c.isprintable() else "?" for c in str(value))[:80]
    return repr(text)
