"""analyzer.alibaba_api: the real SDK against a local fake of the Alibaba VPC API (tests/fake_alibaba_api.py).

No test reaches the internet: every client is pointed at 127.0.0.1 through IPSEC_PREFLIGHT_ALIBABA_ENDPOINT,
and each test asserts the fake received the calls."""
from __future__ import annotations

import copy
import json
import os
import subprocess
import sys
import traceback
from pathlib import Path

import pytest

from analyzer import alibaba_api, alibaba_api_calls as calls
from fake_alibaba_api import FakeAlibabaApi
from parsers import alibaba

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
CLI = [sys.executable, "-m", "analyzer.cli"]
KEY_ID = "LTAI5tDistinctKeyId7Q3"  # distinctive: grepped for in every output
KEY_SECRET = "Zx9DistinctSecret4Kp2Wm8"
REGION = "cn-hangzhou"


def _json(path: str) -> dict:
    return json.loads((FIXTURES / path).read_text())


def _pair_api() -> FakeAlibabaApi:
    """The fixtures/pairs IKEv2 connection with its VPN and customer gateway, as the API serves them."""
    conn = _json("pairs/ikev2-map.json")
    conn.pop("RequestId")
    gw, cgw = _json("pairs/vpngw.json"), _json("pairs/cgw.json")
    return FakeAlibabaApi([conn], {gw["VpnGatewayId"]: gw}, {cgw["CustomerGatewayId"]: cgw})


def _many(count: int) -> list[dict]:
    """count connections of the recorded page shape, each with its own ID."""
    base = _json("alibaba/describe-vpn-connections-page.json")["VpnConnections"]["VpnConnection"]
    out = []
    for i in range(count):
        conn = copy.deepcopy(base[i % len(base)])
        conn["VpnConnectionId"] = f"vco-bp1paged{i:015d}"
        out.append(conn)
    return out


@pytest.fixture
def keys(monkeypatch, tmp_path):
    """Credentials from the environment (the credentials package reads it when imported: patch both)."""
    from alibabacloud_credentials.utils import auth_util

    values = {"ALIBABA_CLOUD_ACCESS_KEY_ID": KEY_ID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": KEY_SECRET,
              "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true"}
    for name, value in values.items():
        monkeypatch.setenv(name, value)
    monkeypatch.setattr(auth_util, "environment_access_key_id", KEY_ID)
    monkeypatch.setattr(auth_util, "environment_access_key_secret", KEY_SECRET)
    monkeypatch.setattr(auth_util, "environment_security_token", None)
    monkeypatch.setattr(auth_util, "environment_ecs_metadata_disabled", "true")
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in ("HTTP_PROXY", "http_proxy", "HTTPS_PROXY", "https_proxy", alibaba_api.TIMEOUT_ENV):
        monkeypatch.delenv(name, raising=False)
    sleeps: list[float] = []
    monkeypatch.setattr(calls, "_sleep", sleeps.append)
    return sleeps


def _serve(monkeypatch, api: FakeAlibabaApi) -> FakeAlibabaApi:
    monkeypatch.setenv(alibaba_api.ENDPOINT_ENV, api.endpoint)
    return api


def _comparable(tunnel) -> dict:
    """A tunnel without where its values were read (file names and JSON paths differ by design)."""
    def strip(value):
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in ("src", "source", "file", "gateway_ip_origin",
                                                                          "customer_ip_origin")}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return strip(tunnel.model_dump(mode="json"))


def test_one_connection_reads_the_same_tunnel_as_the_exported_files(keys, monkeypatch):
    with _serve(monkeypatch, _pair_api()) as api:
        tunnels, errors, notes = alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    lookups = alibaba.Lookups()
    lookups.add_vpn_gateway(FIXTURES / "pairs/vpngw.json")
    lookups.add_customer_gateway(FIXTURES / "pairs/cgw.json")
    expected = alibaba.load(FIXTURES / "pairs/ikev2-map.json", lookups)
    assert (errors, notes) == ([], [])
    assert [_comparable(t) for t in tunnels] == [_comparable(t) for t in expected]
    assert tunnels[0].file == f"api:{REGION}/DescribeVpnConnections"
    assert (tunnels[0].endpoint.local_address, tunnels[0].endpoint.peer_address) == \
        ("198.51.100.90", "203.0.113.90")  # from DescribeVpnGateway / DescribeCustomerGateway
    assert api.actions() == ["DescribeVpnConnections", "DescribeVpnGateway", "DescribeCustomerGateway"]
    params = api.calls[0][1]
    assert params["VpnConnectionId"] == "vco-bp1pairs0ikev2map0001" and params["RegionId"] == REGION
    assert api.calls[1][1]["VpnGatewayId"] == "vpn-bp1pairs0gateway00001"


def test_every_page_is_read_and_each_gateway_described_once(keys, monkeypatch):
    conns = _many(120)
    with _serve(monkeypatch, FakeAlibabaApi(conns)) as api:
        tunnels, errors, notes = alibaba_api.fetch(None, [REGION])
    pages = [p for a, p, _ in api.calls if a == "DescribeVpnConnections"]
    assert [(p["PageNumber"], p["PageSize"]) for p in pages] == [("1", "50"), ("2", "50"), ("3", "50")]
    assert {t.connection_id for t in tunnels} == {c["VpnConnectionId"] for c in conns}
    assert errors == []
    gateways = [p["VpnGatewayId"] for a, p, _ in api.calls if a == "DescribeVpnGateway"]
    assert sorted(gateways) == sorted(set(gateways)) and len(gateways) == 2
    # the fake knows no gateway: said by name, not silently left out
    assert any("vpn-gw8bvv722zwjht7ia3k4l not found" in n for n in notes)
    assert not any("of 120 connections" in n for n in notes)  # every page read: no "one page of several" note


def test_fewer_connections_than_total_count_is_said(keys, monkeypatch):
    conns = _many(3)
    with _serve(monkeypatch, FakeAlibabaApi(conns)) as api:
        api.fail["DescribeVpnConnections"] = [("status", 200, {"RequestId": "A1", "TotalCount": 5, "PageNumber": 1,
                                                              "PageSize": 50,
                                                              "VpnConnections": {"VpnConnection": conns}}),
                                              ("status", 200, {"RequestId": "A2", "TotalCount": 5, "PageNumber": 2,
                                                              "PageSize": 50, "VpnConnections": {"VpnConnection": []}})]
        tunnels, _, notes = alibaba_api.fetch(None, [REGION])
    assert len({t.connection_id for t in tunnels}) == 3
    [note] = [n for n in notes if "listed 3 of 5 connections" in n and "not checked" in n]
    assert note.partial and note.file == f"api:{REGION}/DescribeVpnConnections"


def test_an_empty_last_page_saying_a_smaller_total_count_does_not_hide_the_gap(keys, monkeypatch):
    conns = _many(3)
    with _serve(monkeypatch, FakeAlibabaApi(conns)) as api:  # its own page 2: empty, TotalCount 3
        api.fail["DescribeVpnConnections"] = [("status", 200, {"RequestId": "A1", "TotalCount": 5,
                                                              "VpnConnections": {"VpnConnection": conns}})]
        _, _, notes = alibaba_api.fetch(None, [REGION])
    assert api.actions().count("DescribeVpnConnections") == 2
    assert any("listed 3 of 5 connections" in n and n.partial for n in notes)


def test_pages_without_total_count_are_read_until_an_empty_one(keys, monkeypatch):
    conns = _many(60)

    def page(items):
        return ("status", 200, {"RequestId": "A3", "VpnConnections": {"VpnConnection": items}})

    with _serve(monkeypatch, FakeAlibabaApi(conns)) as api:
        api.fail["DescribeVpnConnections"] = [page(conns[:50]), page(conns[50:])]
        tunnels, _, notes = alibaba_api.fetch(None, [REGION])
    # without TotalCount a short page may be the server's own page size: only an empty page ends the list
    assert api.actions().count("DescribeVpnConnections") == 3
    assert len({t.connection_id for t in tunnels}) == 60 and not any(n.partial for n in notes)


def test_throttling_is_retried_with_backoff(keys, monkeypatch):
    with _serve(monkeypatch, _pair_api()) as api:
        api.fail["DescribeVpnConnections"] = [("throttle",), ("throttle503",)]
        tunnels, errors, _ = alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert len(tunnels) == 1 and errors == []
    assert api.actions().count("DescribeVpnConnections") == 3
    assert keys == [0.5, 1.0]


def _only_error(errors) -> str:
    assert len(errors) == 1, errors
    return str(errors[0])


def test_throttling_gives_up_after_bounded_tries(keys, monkeypatch):
    with _serve(monkeypatch, _pair_api()) as api:
        api.fail["DescribeVpnConnections"] = [("throttle",)] * 10
        tunnels, errors, _ = alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert api.actions().count("DescribeVpnConnections") == calls.TRIES
    assert sum(keys) <= calls.MAX_WAIT_S
    assert tunnels == []
    assert f"api:cn-hangzhou/DescribeVpnConnections: still throttled after {calls.TRIES} tries " \
           "(Throttling.User" in _only_error(errors)


def test_a_denied_gateway_lookup_leaves_its_address_unknown_with_a_note(keys, monkeypatch):
    with _serve(monkeypatch, _pair_api()) as api:
        api.fail["DescribeCustomerGateway"] = [("deny",)]
        tunnels, errors, notes = alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert errors == [] and len(tunnels) == 1  # the connection is still checked
    assert tunnels[0].endpoint.local_address == "198.51.100.90"  # DescribeVpnGateway was allowed
    assert tunnels[0].endpoint.peer_address != "203.0.113.90"
    [note] = notes
    assert note.file == "api:cn-hangzhou/DescribeCustomerGateway" and not note.partial
    assert "access denied (Forbidden.RAM, HTTP 403" in note and "needs the action vpc:DescribeCustomerGateway" \
        in note and "customer gateway cgw-bp1pairs0gzbranch00001: address unknown" in note
    assert api.actions()[-1] == "DescribeCustomerGateway"


def test_timeout_names_region_and_action(keys, monkeypatch):
    monkeypatch.setenv(alibaba_api.TIMEOUT_ENV, "0.3")
    with _serve(monkeypatch, _pair_api()) as api:
        api.fail["DescribeVpnConnections"] = [("sleep", 1.5)]
        _, errors, _ = alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert "api:cn-hangzhou/DescribeVpnConnections: no answer within 0.3 s (timeout" in _only_error(errors)
    assert api.actions() == ["DescribeVpnConnections"]  # a timeout is not retried (4 x the timeout)


def test_a_trickled_answer_ends_at_the_overall_deadline(keys, monkeypatch):
    """Each read returns a few bytes before the read timeout: only a deadline for the whole call ends it."""
    monkeypatch.setenv(alibaba_api.TIMEOUT_ENV, "0.3")
    with _serve(monkeypatch, _pair_api()) as api:
        api.fail["DescribeVpnConnections"] = [("drip", 0.1)]
        tunnels, errors, _ = alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert tunnels == []
    assert "api:cn-hangzhou/DescribeVpnConnections: no complete answer within 0.9 s" in _only_error(errors)


def test_unreachable_endpoint_names_it(keys, monkeypatch):
    with FakeAlibabaApi([]) as api:
        endpoint = api.endpoint  # a port that was just closed
    monkeypatch.setenv(alibaba_api.ENDPOINT_ENV, endpoint)
    _, errors, _ = alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert f"api:cn-hangzhou/DescribeVpnConnections: the API at '{endpoint[7:]}' could not be reached" \
        in _only_error(errors)


def test_refused_signature_does_not_echo_the_server_message(keys, monkeypatch):
    quoted_request = {"RequestId": "B2", "Code": "SignatureDoesNotMatch", "HostId": "vpc.aliyuncs.com",
                      "Message": f"Specified signature is not matched with our calculation. server string to sign "
                                 f"is:POST&%2F&AccessKeyId%3D{KEY_ID}%26Action%3DDescribeVpnConnections {KEY_SECRET}"}
    with _serve(monkeypatch, _pair_api()) as api:
        api.fail["DescribeVpnConnections"] = [("status", 400, quoted_request)]
        with pytest.raises(alibaba_api.ApiError) as exc:
            alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    message = "".join(traceback.format_exception(exc.value, chain=True)) + repr(exc.value)
    assert "credentials were refused (SignatureDoesNotMatch, HTTP 400" in message
    assert KEY_ID not in message and KEY_SECRET not in message
    assert exc.value.__context__ is None  # the SDK exception (which quotes the response) is not chained


def test_sdk_setup_failure_is_an_api_error_without_its_text(keys, monkeypatch):
    def broken(*_):
        raise ValueError(f"cannot parse profile: access_key_secret = {KEY_SECRET}")

    monkeypatch.setattr(calls, "_raw_client", broken)
    with pytest.raises(alibaba_api.ApiError) as exc:
        alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert "region cn-hangzhou: the Alibaba Cloud SDK client could not be set up (ValueError)" in str(exc.value)
    assert KEY_SECRET not in "".join(traceback.format_exception(exc.value, chain=True))


def test_unknown_connection_is_an_input_error(keys, monkeypatch):
    with _serve(monkeypatch, _pair_api()):
        tunnels, errors, _ = alibaba_api.fetch("vco-bp1doesnotexist00001", [REGION])
    assert tunnels == []
    assert [str(e) for e in errors] == [f"api:{REGION}/DescribeVpnConnections: connection "
                                        f"vco-bp1doesnotexist00001 not found in region {REGION} (or these "
                                        "credentials may not see it: RAM action vpc:DescribeVpnConnections)"]


def test_each_region_is_read_and_an_empty_one_is_said(keys, monkeypatch):
    conn = _json("pairs/ikev2-map.json")
    with _serve(monkeypatch, FakeAlibabaApi({REGION: [conn], "cn-shanghai": []})) as api:
        tunnels, errors, notes = alibaba_api.fetch(None, [REGION, "cn-shanghai"])
    assert [t.connection_id for t in tunnels] == ["vco-bp1pairs0ikev2map0001"] and errors == []
    assert any(n.startswith("api:cn-shanghai/DescribeVpnConnections: region cn-shanghai has no VPN connection (or")
               for n in notes)
    assert {p["RegionId"] for a, p, _ in api.calls if a == "DescribeVpnConnections"} == {REGION, "cn-shanghai"}


def test_no_connection_anywhere_is_an_error(keys, monkeypatch):
    with _serve(monkeypatch, FakeAlibabaApi([])):
        tunnels, errors, _ = alibaba_api.fetch(None, [REGION])
    assert tunnels == [] and "nothing to compare" in str(errors[0])


@pytest.mark.parametrize("endpoint", ["http://vpc.aliyuncs.com", "http://10.0.0.1:8080", "ftp://127.0.0.1:21",
                                      "https://vpc.aliyuncs.com/path?x=1", "https://vpc.aliyuncs.com:port"])
def test_endpoint_override_refuses_plain_http_off_loopback(keys, monkeypatch, endpoint):
    monkeypatch.setenv(alibaba_api.ENDPOINT_ENV, endpoint)
    with pytest.raises(alibaba_api.ApiError, match=alibaba_api.ENDPOINT_ENV):
        alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])


@pytest.mark.parametrize("endpoint", ["https://proxyuser:PwMark3r1@vpc-proxy.example.com",
                                      "https://:PwMark3r2@127.0.0.1:9", "https://vpc.example.com/?AccessKeySecret=PwMark3r3",
                                      "https://vpc.example.com:PwMark3r4"])
def test_an_endpoint_holding_credentials_is_refused_without_showing_them(keys, monkeypatch, endpoint):
    monkeypatch.setenv(alibaba_api.ENDPOINT_ENV, endpoint)
    with pytest.raises(alibaba_api.ApiError, match=alibaba_api.ENDPOINT_ENV) as exc:
        alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert "PwMark3r" not in str(exc.value)


@pytest.mark.parametrize("region, conn", [("cn hangzhou", None), ("", None), (REGION, "vco-x\n"), (REGION, "../x")])
def test_bad_region_or_id_is_refused_before_any_call(keys, monkeypatch, region, conn):
    with _serve(monkeypatch, _pair_api()) as api:
        with pytest.raises(alibaba_api.ApiError, match="is not"):
            alibaba_api.fetch(conn, [region])
    assert api.calls == []


def test_missing_sdk_says_how_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "alibabacloud_vpc20160428", None)  # import fails as when not installed
    monkeypatch.setitem(sys.modules, "alibabacloud_vpc20160428.client", None)
    with pytest.raises(alibaba_api.ApiUnavailable, match=r"pip install 'ipsec-preflight\[api\]'"):
        alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])


# --- through the CLI, in a fresh process (the credentials package reads the environment once) --------------

def _cli_env(tmp_path, endpoint: str, **extra) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith("ALIBABA_CLOUD_") and "PROXY" not in k.upper()}
    env.update({"HOME": str(tmp_path), "ALIBABA_CLOUD_ECS_METADATA_DISABLED": "true",
                "ALIBABA_CLOUD_CLI_PROFILE_DISABLED": "true", alibaba_api.ENDPOINT_ENV: endpoint,
                "DEBUG": "sdk",  # the SDK's request/response dump must stay off
                "PYTHONPATH": str(ROOT)})
    env.update(extra)
    return env


def _check(tmp_path, api, cfg="fixtures/example/branch-router.cfg", conn="vco-bp1example0shanghai01",
           with_keys=True, **extra):
    creds = {"ALIBABA_CLOUD_ACCESS_KEY_ID": KEY_ID, "ALIBABA_CLOUD_ACCESS_KEY_SECRET": KEY_SECRET} if with_keys else {}
    return subprocess.run(CLI + ["check", "--connection", conn, "--region", "cn-shanghai", cfg], cwd=ROOT,
                          env=_cli_env(tmp_path, api.endpoint, **creds, **extra), capture_output=True, text=True,
                          timeout=120)


def _example_api() -> FakeAlibabaApi:
    conn = _json("example/connection.json")
    return FakeAlibabaApi([conn], {conn["VpnGatewayId"]: {"VpnGatewayId": conn["VpnGatewayId"],
                                                          "InternetIp": "198.51.100.77"}},
                          {conn["CustomerGatewayId"]: {"CustomerGatewayId": conn["CustomerGatewayId"],
                                                       "IpAddress": "203.0.113.12"}})


def _assert_no_secret(result) -> None:
    psk = _json("example/connection.json")["IkeConfig"]["Psk"]
    for secret in (KEY_ID, KEY_SECRET, psk):
        assert secret not in result.stdout and secret not in result.stderr, "a key reached the output"


@pytest.mark.parametrize("trouble, expected", [
    (None, "DhGroupMismatch"),
    (("deny",), "vpc:DescribeVpnConnections"),
    (("status", 400, {"Code": "SignatureDoesNotMatch", "Message": f"string to sign AccessKeyId={KEY_ID}",
                      "RequestId": "C3"}), "credentials were refused"),
    (("throttle",), "DhGroupMismatch"),  # retried, then the findings
])
def test_cli_check_from_the_api_never_shows_a_key(tmp_path, trouble, expected):
    with _example_api() as api:
        if trouble:
            api.fail["DescribeVpnConnections"] = [trouble]
        result = _check(tmp_path, api)
    assert expected in result.stdout + result.stderr
    assert result.returncode == (1 if expected == "DhGroupMismatch" else 2), result.stderr
    assert "Traceback" not in result.stderr
    assert api.calls and all(h.get("host", "").startswith("127.0.0.1:") for _, _, h in api.calls)
    _assert_no_secret(result)


def test_cli_check_from_the_api_gives_the_findings_of_the_exported_files(tmp_path):
    with _pair_api() as api:
        result = _check(tmp_path, api, cfg="fixtures/pairs/ikev2-map.cfg", conn="vco-bp1pairs0ikev2map0001")
    from_files = subprocess.run(CLI + ["check", "fixtures/pairs/ikev2-map.json", "fixtures/pairs/ikev2-map.cfg",
                                       "--vpn-gateway", "fixtures/pairs/vpngw.json", "--customer-gateway",
                                       "fixtures/pairs/cgw.json"], cwd=ROOT, capture_output=True, text=True,
                                env=_cli_env(tmp_path, ""), timeout=120)
    assert result.returncode == from_files.returncode == 0, result.stderr
    assert "no findings" in result.stdout and result.stdout.split("Summary:")[1] == \
        from_files.stdout.split("Summary:")[1]


def test_cli_without_credentials_says_where_they_are_looked_for(tmp_path):
    with _example_api() as api:
        result = _check(tmp_path, api, with_keys=False)
    assert result.returncode == 2
    assert "no usable Alibaba Cloud credentials: set ALIBABA_CLOUD_ACCESS_KEY_ID" in result.stderr
    assert api.calls == []


def test_check_without_connection_does_not_import_the_api_module(tmp_path):
    code = ("import sys, runpy\n"
            "sys.argv = ['ipsec-preflight', 'check', 'fixtures/pairs/ikev2-map.json', 'fixtures/pairs/ikev2-map.cfg']\n"
            "from analyzer import cli\n"
            "try:\n    cli.main()\nexcept SystemExit:\n    pass\n"
            "loaded = [m for m in sys.modules if m.startswith(('analyzer.alibaba_api', 'alibabacloud', 'darabonba'))]\n"
            "print('LOADED', loaded)\n")
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120,
                            env=_cli_env(tmp_path, ""))
    assert "Summary: 0 error(s)" in result.stdout
    assert "LOADED []" in result.stdout, result.stdout


def test_cli_audit_from_the_api_gives_the_findings_of_the_exported_page(tmp_path):
    page = _json("audit/alibaba/describe-vpn-connections.json")
    with FakeAlibabaApi({"cn-hangzhou": page["VpnConnections"]["VpnConnection"]}) as api:
        result = subprocess.run(CLI + ["audit", "--from-api", "--region", "cn-hangzhou", "fixtures/audit/devices/hz"],
                                cwd=ROOT, capture_output=True, text=True, timeout=120,
                                env=_cli_env(tmp_path, api.endpoint, ALIBABA_CLOUD_ACCESS_KEY_ID=KEY_ID,
                                             ALIBABA_CLOUD_ACCESS_KEY_SECRET=KEY_SECRET))
    from_file = subprocess.run(CLI + ["audit", "fixtures/audit/alibaba/describe-vpn-connections.json",
                                      "fixtures/audit/devices/hz"], cwd=ROOT, capture_output=True, text=True,
                               timeout=120, env=_cli_env(tmp_path, ""))

    def by_code(out: str) -> str:
        return out.split("by code:")[1].split("devices with")[0]

    assert result.returncode == from_file.returncode == 1, result.stderr
    assert "DhGroupMismatch" in by_code(result.stdout) and by_code(result.stdout) == by_code(from_file.stdout)
    # the fake knows no gateway: each one is named, not silently skipped
    assert "VPN gateway vpn-audit0gw0hz00001 not found; its address stays unknown" in result.stderr
    assert api.actions()[0] == "DescribeVpnConnections"
    psks = [c["IkeConfig"]["Psk"] for c in page["VpnConnections"]["VpnConnection"] if "IkeConfig" in c]
    for secret in [KEY_ID, KEY_SECRET] + psks:
        assert secret not in result.stdout + result.stderr


def test_a_gateway_not_found_never_lends_another_gateways_address(keys, monkeypatch):
    first = _json("pairs/ikev2-map.json")
    second = copy.deepcopy(first)
    second.update(VpnConnectionId="vco-bp1pairs0othergw00001", VpnGatewayId="vpn-bp1pairs0deleted000001")
    second["IkeConfig"].pop("LocalId", None)
    gw = _json("pairs/vpngw.json")
    with _serve(monkeypatch, FakeAlibabaApi([first, second], {gw["VpnGatewayId"]: gw})):
        tunnels, _, notes = alibaba_api.fetch(None, [REGION])
    by_id = {t.connection_id: t for t in tunnels}
    assert by_id["vco-bp1pairs0ikev2map0001"].endpoint.local_address == "198.51.100.90"
    assert by_id["vco-bp1pairs0othergw00001"].endpoint.local_address != "198.51.100.90"
    assert any("vpn-bp1pairs0deleted000001 not found" in n for n in notes)


# --- review R1: per-region failures, paging, malformed answers, retries, SDK logs --------------------------

def test_a_denied_region_is_an_error_and_the_others_are_still_read(keys, monkeypatch):
    conn = _json("pairs/ikev2-map.json")
    with _serve(monkeypatch, FakeAlibabaApi({"cn-shanghai": [], REGION: [conn]})) as api:
        api.fail["DescribeVpnConnections"] = [("deny",)]  # the first region asked
        tunnels, errors, _ = alibaba_api.fetch(None, ["cn-shanghai", REGION])
    assert [t.connection_id for t in tunnels] == ["vco-bp1pairs0ikev2map0001"]
    assert errors[0].file == "api:cn-shanghai/DescribeVpnConnections"
    assert "api:cn-shanghai/DescribeVpnConnections: access denied (Forbidden.RAM, HTTP 403" in \
        _only_error(errors) and "needs the action vpc:DescribeVpnConnections" in _only_error(errors)


def test_the_connection_asked_is_the_only_one_checked(keys, monkeypatch):
    asked, other = _json("pairs/ikev2-map.json"), _json("pairs/ikev2-map.json")
    other["VpnConnectionId"] = "vco-bp1someoneelse0000001"

    def unfiltered(_):  # an API (or proxy) that ignores the VpnConnectionId filter
        return 200, {"RequestId": "R", "TotalCount": 2, "VpnConnections": {"VpnConnection": [other, asked]}}

    with _serve(monkeypatch, _pair_api()) as api:
        api.fail["DescribeVpnConnections"] = [("fn", unfiltered)] * 2
        tunnels, errors, notes = alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert {t.connection_id for t in tunnels} == {"vco-bp1pairs0ikev2map0001"} and errors == []
    assert any("1 other connection(s)" in n and "not checked" in n for n in notes)


def test_a_filter_answered_with_other_connections_only_is_an_error(keys, monkeypatch):
    other = _json("pairs/ikev2-map.json")
    other["VpnConnectionId"] = "vco-bp1someoneelse0000001"
    with _serve(monkeypatch, FakeAlibabaApi([other])) as api:
        answer = {"RequestId": "R", "TotalCount": 1, "VpnConnections": {"VpnConnection": [other]}}
        api.fail["DescribeVpnConnections"] = [("fn", lambda _: (200, answer))] * 2
        tunnels, errors, _ = alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert tunnels == []
    assert "connection vco-bp1pairs0ikev2map0001 not found in region cn-hangzhou (the API answered with 1 other " \
           "connection(s), not checked)" in _only_error(errors)


def _pages(conns: list[dict], size: int, total=lambda n: n, same_page=False):
    def page(params):
        number = 1 if same_page else int(params["PageNumber"])
        body = {"RequestId": "R", "VpnConnections": {"VpnConnection": conns[(number - 1) * size:number * size]}}
        if total(len(conns)) is not None:
            body["TotalCount"] = total(len(conns))
        return 200, body
    return [("fn", page)] * (calls.MAX_PAGES + 5)


def test_full_pages_are_read_past_a_wrong_total_count(keys, monkeypatch):
    conns = _many(120)
    with _serve(monkeypatch, FakeAlibabaApi([])) as api:
        api.fail["DescribeVpnConnections"] = _pages(conns, 50, total=lambda n: 0)
        tunnels, _, notes = alibaba_api.fetch(None, [REGION])
    assert len({t.connection_id for t in tunnels}) == 120
    assert not any(n.partial for n in notes)


def test_a_server_page_size_below_ours_without_total_count_reads_every_page(keys, monkeypatch):
    conns = _many(30)
    with _serve(monkeypatch, FakeAlibabaApi([])) as api:
        api.fail["DescribeVpnConnections"] = _pages(conns, 10, total=lambda n: None)
        tunnels, _, _ = alibaba_api.fetch(None, [REGION])
    assert len({t.connection_id for t in tunnels}) == 30
    assert api.actions().count("DescribeVpnConnections") == 4


@pytest.mark.parametrize("with_ids", [True, False])
def test_a_page_with_nothing_new_ends_paging_with_a_note(keys, monkeypatch, with_ids):
    conns = _many(120)
    if not with_ids:
        for i, conn in enumerate(conns):
            conn.pop("VpnConnectionId")
            conn["Name"] = f"conn-{i}"
    with _serve(monkeypatch, FakeAlibabaApi([])) as api:
        api.fail["DescribeVpnConnections"] = _pages(conns, 50, same_page=True)  # PageNumber ignored
        tunnels, _, notes = alibaba_api.fetch(None, [REGION])
    assert api.actions().count("DescribeVpnConnections") == 2
    assert len({t.connection_id or t.connection_name for t in tunnels}) == 50
    [note] = [n for n in notes if "page 2 repeated" in n]
    assert note.partial and "listed 50 of 120 connections" in "".join(notes)


def test_paging_stops_after_max_pages_with_a_note(keys, monkeypatch):
    monkeypatch.setattr(calls, "MAX_PAGES", 3)
    conns = _many(200)
    with _serve(monkeypatch, FakeAlibabaApi([])) as api:
        api.fail["DescribeVpnConnections"] = _pages(conns, 50, total=lambda n: None)
        _, _, notes = alibaba_api.fetch(None, [REGION])
    assert api.actions().count("DescribeVpnConnections") == 3
    [note] = [n for n in notes if n.partial]
    assert "stopped after 3 pages (150 connections)" in note


_HTML = b"<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"


@pytest.mark.parametrize("status, body", [(502, _HTML), (200, _HTML), (200, b'{"RequestId": "R", "VpnConn'),
                                          (200, b"[" * 5000 + b"]" * 5000), (200, b'"a string"')])
def test_an_answer_that_is_not_the_apis_json_says_so(keys, monkeypatch, status, body):
    with _serve(monkeypatch, _pair_api()) as api:
        api.fail["DescribeVpnConnections"] = [("raw", status, body, {"content-type": "text/html"})] * 10
        tunnels, errors, _ = alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert tunnels == []
    assert f"api:cn-hangzhou/DescribeVpnConnections: the API answered with something that is not the API's " \
           f"JSON (HTTP {status})" in _only_error(errors)
    assert "could not be reached" not in _only_error(errors)


def test_a_503_html_page_is_retried(keys, monkeypatch):
    with _serve(monkeypatch, _pair_api()) as api:
        api.fail["DescribeVpnConnections"] = [("raw", 503, _HTML, {"content-type": "text/html"})]
        tunnels, errors, _ = alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert len(tunnels) == 1 and errors == [] and keys == [0.5]


def _throttled(retry_after: str):
    return ("raw", 400, json.dumps({"RequestId": "R", "Code": "Throttling.User", "Message": "flow control"}).encode(),
            {"x-acs-retry-after": retry_after})


def test_a_wait_longer_than_allowed_gives_up_at_once_and_says_so(keys, monkeypatch):
    with _serve(monkeypatch, _pair_api()) as api:
        api.fail["DescribeVpnConnections"] = [_throttled("600000")] * 10
        _, errors, _ = alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert api.actions().count("DescribeVpnConnections") == 1 and keys == []
    assert "still throttled after 1 try" in _only_error(errors)
    assert "asked to wait 600 s more (x-acs-retry-after)" in _only_error(errors)


def test_access_denied_is_not_retried_even_with_a_retry_after(keys, monkeypatch):
    deny = json.dumps({"RequestId": "R", "Code": "Forbidden.RAM", "Message": "no"}).encode()
    with _serve(monkeypatch, _pair_api()) as api:
        api.fail["DescribeVpnConnections"] = [("raw", 403, deny, {"x-acs-retry-after": "100"})] * 10
        _, errors, _ = alibaba_api.fetch("vco-bp1pairs0ikev2map0001", [REGION])
    assert api.actions().count("DescribeVpnConnections") == 1 and keys == []
    assert "access denied (Forbidden.RAM, HTTP 403" in _only_error(errors)


def test_retry_waits_share_one_budget_across_the_fetch(keys, monkeypatch):
    monkeypatch.setattr(calls, "FETCH_WAIT_S", 5.0)
    regions = [REGION, "cn-shanghai", "cn-beijing", "cn-shenzhen"]
    with _serve(monkeypatch, FakeAlibabaApi({r: [] for r in regions})) as api:
        api.fail["DescribeVpnConnections"] = [("throttle",)] * 100
        _, errors, _ = alibaba_api.fetch(None, regions)
    assert sum(keys) <= 5.0
    assert len(errors) == len(regions)
    assert "the retries of this run have waited 5 s, their limit" in str(errors[-1])


# the credentials package logs through its own stderr handler, with tracebacks and the STS answer (which quotes
# the AccessKey ID); run in a fresh process, the credential endpoints answered by a stub (no network)
_STUBBED_CLI = """
import sys
from Tea.core import TeaCore
class Answer:
    status_code = {status}
    headers = {{}}
    body = {body!r}
TeaCore.do_action = staticmethod(lambda request, options: Answer())
sys.argv = ["ipsec-preflight"] + {args!r}
from analyzer import cli
cli.main()
"""


@pytest.mark.parametrize("profile", ["ram_role_arn", "ecs_ram_role_chain"])
def test_the_sdk_credential_logs_never_reach_stderr(tmp_path, profile):
    extra = {"ALIBABA_CLOUD_ECS_METADATA_DISABLED": None}
    status, body = 404, b"not found"
    if profile == "ram_role_arn":
        (tmp_path / ".alibabacloud").mkdir()
        (tmp_path / ".alibabacloud/credentials.ini").write_text(
            f"[default]\ntype = ram_role_arn\naccess_key_id = {KEY_ID}\naccess_key_secret = {KEY_SECRET}\n"
            "role_arn = acs:ram::123456789012:role/preflight-readonly\n")
        status, body = 400, (b'{"RequestId":"X","Code":"SignatureDoesNotMatch","Message":"server string to sign is:'
                             b'GET&%2F&AccessKeyId%3D' + KEY_ID.encode() + b'%26Action%3DAssumeRole"}')
    args = ["check", "--connection", "vco-bp1example0shanghai01", "--region", "cn-shanghai",
            "fixtures/example/branch-router.cfg"]
    with _example_api() as api:
        env = {k: v for k, v in _cli_env(tmp_path, api.endpoint).items() if k not in extra}
        result = subprocess.run([sys.executable, "-c", _STUBBED_CLI.format(status=status, body=body, args=args)],
                                cwd=ROOT, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 2
    assert "Traceback" not in result.stderr and "Refresh credentials failed" not in result.stderr
    assert "no usable Alibaba Cloud credentials" in result.stderr
    _assert_no_secret(result)
    assert api.calls == []


def test_cli_audit_with_a_denied_region_reports_the_other_and_exits_2(tmp_path):
    page = _json("audit/alibaba/describe-vpn-connections.json")["VpnConnections"]["VpnConnection"]
    with FakeAlibabaApi({"cn-hangzhou": page, "cn-shanghai": []}) as api:
        api.fail["DescribeVpnConnections"] = [("deny",)]  # cn-shanghai, asked first
        result = subprocess.run(CLI + ["audit", "--from-api", "--region", "cn-shanghai", "--region", "cn-hangzhou",
                                       "fixtures/audit/devices/hz", "--format", "json"],
                                cwd=ROOT, capture_output=True, text=True, timeout=120,
                                env=_cli_env(tmp_path, api.endpoint, ALIBABA_CLOUD_ACCESS_KEY_ID=KEY_ID,
                                             ALIBABA_CLOUD_ACCESS_KEY_SECRET=KEY_SECRET))
    assert result.returncode == 2, result.stderr
    report = json.loads(result.stdout)
    assert any("DhGroupMismatch" == f["code"] for p in report["pairs"] for f in p["findings"])
    assert any(e["file"] == "api:cn-shanghai/DescribeVpnConnections" and "vpc:DescribeVpnConnections" in e["message"]
               for e in report["errors"])


def test_cli_audit_reports_a_region_list_cut_short_in_its_notes(tmp_path):
    page = _json("audit/alibaba/describe-vpn-connections.json")["VpnConnections"]["VpnConnection"]
    short = {"RequestId": "R", "TotalCount": len(page) + 7, "VpnConnections": {"VpnConnection": page}}
    with FakeAlibabaApi({"cn-hangzhou": page}) as api:
        api.fail["DescribeVpnConnections"] = [("status", 200, short)]  # then the fake's own empty page 2
        result = subprocess.run(CLI + ["audit", "--from-api", "--region", "cn-hangzhou", "fixtures/audit/devices/hz",
                                       "--format", "json"], cwd=ROOT, capture_output=True, text=True, timeout=120,
                                env=_cli_env(tmp_path, api.endpoint, ALIBABA_CLOUD_ACCESS_KEY_ID=KEY_ID,
                                             ALIBABA_CLOUD_ACCESS_KEY_SECRET=KEY_SECRET))
    notes = json.loads(result.stdout)["audit"]["notes"]
    assert {"file": "api:cn-hangzhou/DescribeVpnConnections",
            "message": f"the API listed {len(page)} of {len(page) + 7} connections (TotalCount); the others were not "
                       "checked"} in [{k: n[k] for k in ("file", "message")} for n in notes]


def test_a_region_listed_in_part_is_an_error_with_its_tunnels_kept(keys, monkeypatch):
    conns = _many(3)
    with _serve(monkeypatch, FakeAlibabaApi(conns)) as api:
        api.fail["DescribeVpnConnections"] = [("status", 200, {"RequestId": "A1", "TotalCount": 8, "PageNumber": 1,
                                                              "PageSize": 50,
                                                              "VpnConnections": {"VpnConnection": conns}})] * 3
        tunnels, errors, notes = alibaba_api.fetch(None, [REGION])
    assert len({t.connection_id for t in tunnels}) == 3
    [error] = errors
    assert error.file == f"api:{REGION}/DescribeVpnConnections"
    assert "listed 3 of 8 connections" in error.message and "not checked" in error.message
    assert any(n.partial for n in notes)  # still marks the region's list partial for the audit
