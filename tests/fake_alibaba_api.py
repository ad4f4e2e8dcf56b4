"""A local stand-in for the Alibaba Cloud VPC API (RPC style), for the SDK to talk to in tests.

The SDK (alibabacloud-tea-openapi, signature v3) POSTs to / with the action in the `x-acs-action` header and
the parameters in the query string; the older v2 signing puts `Action=` in the query. Both are read;
signatures are not checked. Bodies follow the API's JSON shapes (connections from our fixtures); errors
follow Alibaba's error format: {"RequestId", "HostId", "Code", "Message"} with the HTTP status.

Scripted trouble per action (`fail`): a list consumed one call at a time, each entry one of
("throttle",) -> HTTP 400 Throttling.User (as the API answers; the SDK raises it as a client error),
("throttle503",) -> HTTP 503 ServiceUnavailable, ("deny",) -> HTTP 403 Forbidden.RAM, ("sleep", seconds) ->
answer only after that long, ("status", code, body) -> any answer, ("raw", code, bytes, headers) -> a body that
is not JSON (an HTML error page of a proxy), ("drip", seconds) -> the normal answer sent a few bytes at a
time, that many seconds apart (a read timeout never fires), ("fn", callable) -> callable(params) answers."""
from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlsplit


class FakeAlibabaApi:
    def __init__(self, connections: list[dict] | dict[str, list[dict]], vpn_gateways: dict[str, dict] | None = None,
                 customer_gateways: dict[str, dict] | None = None):
        self.connections = connections
        self.vpn_gateways = vpn_gateways or {}
        self.customer_gateways = customer_gateways or {}
        self.fail: dict[str, list[tuple]] = {}
        self.calls: list[tuple[str, dict, dict]] = []  # (action, params, headers) in arrival order
        self.extra_queries: list[str] = []
        self._lock = threading.Lock()
        self.closing = threading.Event()  # ends a dripping answer when the test is done
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._server.daemon_threads = True
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def endpoint(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def actions(self) -> list[str]:
        return [action for action, _, _ in self.calls]

    def __enter__(self) -> "FakeAlibabaApi":
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.closing.set()
        self._server.shutdown()
        self._server.server_close()

    def answer(self, action: str, params: dict) -> tuple[int, dict]:
        with self._lock:
            queued = self.fail.get(action) or []
            trouble = queued.pop(0) if queued else None
        if trouble:
            kind = trouble[0]
            if kind == "sleep":
                time.sleep(trouble[1])
            elif kind == "throttle":
                return 400, _error("Throttling.User", "Request was denied due to user flow control.")
            elif kind == "throttle503":
                return 503, _error("ServiceUnavailable", "The request has failed due to a temporary failure of "
                                                         "the server.")
            elif kind == "deny":
                return 403, _error("Forbidden.RAM", "User not authorized to operate on the specified resource, "
                                                    "or this API doesn't support RAM.")
            elif kind == "status":
                return trouble[1], trouble[2]
            elif kind == "raw":
                return trouble[1], Raw(trouble[2], trouble[3] if len(trouble) > 3 else {})
            elif kind == "drip":
                status, payload = self.answer(action, params)
                return status, Raw(json.dumps(payload).encode(), {"content-type": "application/json"}, trouble[1])
            elif kind == "fn":
                return trouble[1](params)
        if action == "DescribeVpnConnections":
            return 200, self._page(params)
        if action == "DescribeVpnGateway":
            found = self.vpn_gateways.get(params.get("VpnGatewayId", ""))
            return (200, found) if found else (400, _error("InvalidVpnGatewayInstanceId.NotFound",
                                                           "The specified VPN gateway does not exist."))
        if action == "DescribeCustomerGateway":
            found = self.customer_gateways.get(params.get("CustomerGatewayId", ""))
            return (200, found) if found else (400, _error("InvalidCustomerGatewayInstanceId.NotFound",
                                                           "The specified customer gateway does not exist."))
        return 400, _error("InvalidAction.NotFound", f"Specified api is not found, please check your url and method.")

    def _page(self, params: dict) -> dict:
        items = self.connections  # one list for every region, or {region: list}
        if isinstance(items, dict):
            items = items.get(params.get("RegionId", ""), [])
        if params.get("VpnConnectionId"):
            items = [c for c in items if c.get("VpnConnectionId") == params["VpnConnectionId"]]
        number, size = int(params.get("PageNumber", 1)), int(params.get("PageSize", 10))
        return {"RequestId": "7A1C2B3D-0000-4E5F-8A9B-C0D1E2F3A4B5", "TotalCount": len(items),
                "PageNumber": number, "PageSize": size,
                "VpnConnections": {"VpnConnection": items[(number - 1) * size:number * size]}}

    def _handler(self):
        api = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self._serve()

            def do_GET(self):
                self._serve()

            def _serve(self):
                url = urlsplit(self.path)
                params = dict(parse_qsl(url.query))
                length = int(self.headers.get("content-length") or 0)
                body = self.rfile.read(length).decode() if length else ""
                if self.headers.get("content-type", "").startswith("application/x-www-form-urlencoded"):
                    params.update(parse_qsl(body))
                action = self.headers.get("x-acs-action") or params.get("Action", "")
                with api._lock:
                    api.calls.append((action, params, dict(self.headers)))
                status, payload = api.answer(action, params)
                raw = payload if isinstance(payload, Raw) else Raw(json.dumps(payload).encode(), {})
                try:
                    self.send_response(status)
                    headers = {"content-type": "application/json;charset=utf-8", **raw.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("content-length", str(len(raw.data)))
                    self.end_headers()
                    step = 8 if raw.drip else len(raw.data)
                    for start in range(0, len(raw.data), step):
                        self.wfile.write(raw.data[start:start + step])
                        self.wfile.flush()
                        if raw.drip:
                            if api.closing.wait(raw.drip):
                                break
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout test)
                    pass

            def log_message(self, *args):  # keep the test output clean
                pass

        return Handler


class Raw:
    """An answer sent as these bytes (not JSON-encoded), optionally a few bytes every ``drip`` seconds."""

    def __init__(self, data: bytes, headers: dict, drip: float = 0):
        self.data, self.headers, self.drip = data, headers, drip


def _error(code: str, message: str) -> dict:
    return {"RequestId": "9C8B7A6D-1111-4E5F-8A9B-C0D1E2F3A4B5", "HostId": "vpc.aliyuncs.com", "Code": code,
            "Message": message, "Recommend": "https://api.aliyun.com/troubleshoot?q=" + code}
