"""The live Alibaba API through the official SDK (issue 14). CONTRACT (owned by the API helper); the SDK is
imported inside the functions only (cold start of `check` without --connection must not import it).

fetch(connection_id: str | None, regions: list[str]) -> tuple[list[AlibabaTunnel], list[InputError], list[str]]
    connection_id given: that connection (DescribeVpnConnection(s)) in regions[0]; None: every connection of
    every region (all pages). Gateway and customer-gateway addresses are resolved with DescribeVpnGateway /
    DescribeCustomerGateway. Returns (tunnels, errors, notes). Raises ApiUnavailable (message says how to
    install the extra) when the SDK is missing, and ApiError (a message naming the region, the action and,
    for access denied, the RAM action needed; never a key) when the API refuses."""
from __future__ import annotations


class ApiUnavailable(Exception):
    pass


class ApiError(Exception):
    pass


def fetch(connection_id, regions):
    raise ApiUnavailable("issue 14: analyzer/alibaba_api.py is not built yet")
