"""The round trip (issue 15, part 2): for random valid Alibaba connections (tests/alibaba_strategies.py), what
`generate` writes for a vendor, read back by that vendor's parser, passes `check` with no error finding and no
input error. A writer that writes what its own parser misreads is a bug in one of them.

Where a writer refuses (GenerateRefused), the refused field and value must be one the vendor is known to lack
(REFUSALS below, kept in step with the writers); any other refusal fails. A vendor whose writer does not exist yet
is skipped with the missing module's name, never passed.

Profile as tests/test_fuzz.py: derandomized, no example database; IPSEC_PREFLIGHT_FUZZ_EXAMPLES examples per
property (default 60 here too). A campaign with random seeds: IPSEC_PREFLIGHT_FUZZ_PROFILE=local
IPSEC_PREFLIGHT_FUZZ_EXAMPLES=1000; what it finds becomes a fixed regression test in the writer's own test file.
"""
from __future__ import annotations

import importlib.util
import json
import os
import re
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from alibaba_strategies import Case, cases
from conftest import FIXTURES
from analyzer.checker import check
from analyzer.generate import generate
from parsers.common import InputError
from parsers.generation import PSK_PLACEHOLDER, STYLES, GenerateRefused
from parsers.registry import VENDORS, parse_device
from parsers.values import is_ipv4

_LOCAL = os.environ.get("IPSEC_PREFLIGHT_FUZZ_PROFILE", "ci") == "local"  # a campaign: random seeds, no database
ROUND_TRIP = settings(derandomize=not _LOCAL, database=None, print_blob=True,
                      max_examples=int(os.environ.get("IPSEC_PREFLIGHT_FUZZ_EXAMPLES", "60")),
                      deadline=int(os.environ.get("IPSEC_PREFLIGHT_FUZZ_DEADLINE_MS", "20000")),
                      suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


class Ctx:
    """What a refusal may depend on besides its value: the style asked for and the connection's tunnels."""

    def __init__(self, style: str, tunnels: list):
        self.style, self.tunnels = style, tunnels
        self.ikev1 = any(t.endpoint.ike.version == "ikev1" for t in tunnels)
        self.bgp = any(t.endpoint.bgp is not None for t in tunnels)
        self.flows = any(t.routing_mode == "protected-flows" for t in tunnels)


def _one_of(*values):
    return lambda value, ctx: value in values


def _below(limit: int):
    return lambda value, ctx: 0 < int(value) < limit


def _ikev1_with(*values):
    return lambda value, ctx: ctx.ikev1 and value in values


def _tunnel_interface_ikev1(value, ctx) -> bool:
    """A tunnel interface negotiates 0.0.0.0/0 and IKEv1 selectors must equal Alibaba's flows exactly: route style
    (or BGP, which needs a tunnel interface) with IKEv1 and protected flows cannot pass TrafficSelectorMismatch."""
    return ctx.ikev1 and ctx.flows and (ctx.style == "route" or ctx.bgp)


def _aggressive_groups_differ(value, ctx) -> bool:
    """IOS proposes one DH group in IKEv1 aggressive mode (the writer's reading, unverified): two aggressive-mode
    tunnels with different groups cannot both be written."""
    groups = {t.endpoint.ike.proposals[0].dh_groups[0] for t in ctx.tunnels
              if t.endpoint.ike.version == "ikev1" and t.endpoint.ike.mode == "aggressive"}
    return len(groups) > 1


def _ikev1_fqdns_differ(value, ctx) -> bool:
    """IKEv1 on IOS presents one FQDN (hostname.domain-name) to every peer: tunnels presenting different FQDNs."""
    fqdns = {t.endpoint.ike.remote_id.value for t in ctx.tunnels
             if t.endpoint.ike.version == "ikev1" and t.endpoint.ike.remote_id.type == "fqdn"}
    return not is_ipv4(value) and len(fqdns) > 1


_SM_ALL = {"IkeEncAlg": _one_of("sm4"), "IpsecEncAlg": _one_of("sm4"), "IkeAuthAlg": _one_of("sm3"),
           "IpsecAuthAlg": _one_of("sm3")}
_SHA2 = ("sha256", "sha384", "sha512")

# What each vendor lacks among the values the strategy draws: Alibaba key -> when(value, ctx) (the value as the
# JSON holds it). Kept in step with the writers' refusals (parsers/*/generate.py, parsers/*_generation.py); a refusal
# outside this table fails the round trip.
REFUSALS = {
    # lifetimes out of range: clamped and noted, not refused
    "cisco-ios": {**_SM_ALL, "LocalSubnet": _tunnel_interface_ikev1, "IkePfs": _aggressive_groups_differ,
                  "RemoteId": _ikev1_fqdns_differ},
    "cisco-asa": {**_SM_ALL, "LocalSubnet": _tunnel_interface_ikev1,
                  # IKEv1 `hash` md5|sha and IKEv1 transform sets esp-md5-hmac|esp-sha-hmac only
                  "IkeAuthAlg": lambda v, ctx: v == "sm3" or (ctx.ikev1 and v in _SHA2),
                  "IpsecAuthAlg": lambda v, ctx: v == "sm3" or (ctx.ikev1 and v in _SHA2),
                  # a LAN-to-LAN tunnel-group is named by the peer address: an FQDN LocalId cannot be expected
                  "LocalId": lambda v, ctx: not is_ipv4(v),
                  # `crypto isakmp identity` is global: tunnels presenting different identities
                  "RemoteId": lambda v, ctx: len({str(t.endpoint.ike.remote_id) for t in ctx.tunnels}) > 1},
    # SM algorithms documented for ESP only; ike `sa duration` 60-604800, `sa duration time-based` 30-604800
    "huawei-vrp": {"IkeEncAlg": _one_of("sm4"), "IkeAuthAlg": _one_of("sm3"), "LocalSubnet": _tunnel_interface_ikev1,
                   "IkeLifetime": _below(60), "IpsecLifetime": _below(30)},
    # ike `sa duration` 60-604800 (IKEv2 profile 120-86400); `sa duration time-based` 180-604800 is clamped
    "h3c-comware": {**_SM_ALL, "LocalSubnet": _tunnel_interface_ikev1, "IkeLifetime": _below(120)},
}


def _writer_or_skip(vendor: str) -> None:
    module = f"{VENDORS[vendor]}.generate"
    if importlib.util.find_spec(module) is None:
        pytest.skip(f"no writer for {vendor} yet: module {module} is missing")


def _key_of(field: str) -> str:
    """`TunnelOptionsSpecification.TunnelOptions[0].TunnelIkeConfig.IkeEncAlg` -> `IkeEncAlg`; of two fields
    (`LocalSubnet, RemoteSubnet`) the first."""
    return re.sub(r"\[[0-9]+\]", "", re.split(r",\s*| x ", field)[0]).rsplit(".", 1)[-1]


def _same_value(json_value: str, refused: str) -> bool:
    """The refused value as the writer names it (canonical: aes128, 14) against the JSON one (aes, group14)."""
    def norm(v: str) -> str:
        v = str(v).strip().lower()
        return {"aes": "aes128"}.get(v, v.removeprefix("group"))
    return norm(json_value) == norm(refused)


def assert_known_refusal(exc: GenerateRefused, case: Case, vendor: str, ctx: Ctx) -> None:
    key = _key_of(exc.field)
    assert exc.vendor == vendor, f"{vendor}: the refusal names vendor {exc.vendor!r}"
    lacks = REFUSALS[vendor].get(key)
    assert lacks is not None, f"{vendor} refused {exc.field} = {exc.value} ({exc.why}): not a field it is known to lack"
    in_case = [v for v in case.values(key) if _same_value(v, exc.value)]
    assert in_case, f"{vendor} refused {exc.field} = {exc.value}, a value the connection does not hold"
    assert any(lacks(v, ctx) for v in in_case), \
        f"{vendor}/{ctx.style} refused {exc.field} = {exc.value} ({exc.why}), a value it offers"


def _placeholder_psk(finding, device) -> bool:
    """PskMismatch because the device holds generate's placeholder (the user has not pasted the key yet): an error
    by design (analyzer/rules/ike.py), and the one error a generated config is expected to have."""
    if finding.code != "PskMismatch":
        return False
    if PSK_PLACEHOLDER in finding.message:
        return True
    keys = [k for ep in device.endpoints for k in (ep.ike.psk, ep.ike.psk_remote) if k is not None]
    return "differs" in finding.message and all(
        k.secret is not None and k.secret.get_secret_value() == PSK_PLACEHOLDER for k in keys)


def round_trip(case: Case, vendor: str, style: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        tunnels = case.load(Path(folder))
    try:
        text = generate(tunnels, vendor, style)
    except GenerateRefused as exc:
        assert_known_refusal(exc, case, vendor, Ctx(style, tunnels))
        return
    for key in case.psks:
        assert key not in text, f"{vendor}/{style}: a pre-shared key of the connection is in the generated text"
    assert PSK_PLACEHOLDER in text, f"{vendor}/{style}: no {PSK_PLACEHOLDER} in the generated text"
    try:
        device = parse_device(text, "generated.cfg")  # auto-detected, as `check` reads it
    except InputError as exc:
        pytest.fail(f"{vendor}/{style}: the generated config is an input error: {exc}\n{text}")
    assert device.vendor == vendor, f"{vendor}/{style}: the generated config reads as {device.vendor}\n{text}"
    errors = [f for r in check(tunnels, device) for f in r.findings
              if f.severity == "error" and not _placeholder_psk(f, device)]
    assert not errors, f"{vendor}/{style}: " + "; ".join(f"{f.code}: {f.message}" for f in errors) + f"\n{text}"


@pytest.mark.parametrize("style", STYLES)
@pytest.mark.parametrize("vendor", list(VENDORS))
def test_generated_config_passes_check(vendor, style):
    _writer_or_skip(vendor)

    @ROUND_TRIP
    @given(case=cases())
    def prop(case):
        round_trip(case, vendor, style)

    prop()


@ROUND_TRIP
@given(case=cases())
def test_strategy_draws_connections_the_loader_reads_whole(case):
    """Every drawn connection loads with both addresses and both identities known, so that a round-trip failure
    is the writer's or the parser's, not the strategy's."""
    with tempfile.TemporaryDirectory() as folder:
        tunnels = case.load(Path(folder))
    assert len(tunnels) == (2 if "TunnelOptionsSpecification" in case.connection else 1)
    for t in tunnels:
        ep = t.endpoint
        assert ep.local_address and ep.peer_address and ep.ike.local_id and ep.ike.remote_id
        assert not t.unknown
        assert not (ep.ike.version == "ikev1" and ep.ike.mode == "main"
                    and "fqdn" in (ep.ike.local_id.type, ep.ike.remote_id.type))
        assert ep.ike.psk.secret is not None


def test_strategy_covers_every_shape():
    """The shapes the round trip is meant to cover all occur among the examples drawn."""
    seen: set[str] = set()

    @settings(ROUND_TRIP, max_examples=200)
    @given(case=cases())
    def collect(case):
        c = case.connection
        dual = "TunnelOptionsSpecification" in c
        ikes = [o["TunnelIkeConfig"] for o in c["TunnelOptionsSpecification"]["TunnelOptions"]] if dual \
            else [c["IkeConfig"]]
        seen.add("dual" if dual else "single")
        seen.add("bgp" if (c.get("EnableTunnelsBgp") if dual else c["VpnBgpConfig"]["EnableBgp"] == "true")
                 else "no-bgp")
        seen.add("destination" if c["LocalSubnet"] == "0.0.0.0/0" else "protected-flows")
        seen.update(ike["IkeVersion"] for ike in ikes)
        seen.update(f"mode-{ike['IkeMode']}" for ike in ikes)
        seen.update("fqdn" for ike in ikes for key in ("LocalId", "RemoteId") if key in ike and not is_ipv4(ike[key]))
        seen.update(ike["IkeEncAlg"] for ike in ikes)
        seen.add(f"subnets-{max(len(c['LocalSubnet'].split(',')), len(c['RemoteSubnet'].split(',')))}")

    collect()
    want = {"dual", "single", "bgp", "no-bgp", "destination", "protected-flows", "ikev1", "ikev2", "mode-main",
            "mode-aggressive", "fqdn", "aes", "aes192", "aes256", "des", "3des", "sm4", "subnets-3"}
    assert want <= seen, f"never drawn: {sorted(want - seen)}"


# --- the real CLI path: generate to a file, then check that file --------------------------------------------

EXAMPLE = FIXTURES / "example" / "connection.json"
EXAMPLE_KEY = json.loads(EXAMPLE.read_text())["IkeConfig"]["Psk"]


def _cli(*args) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-c", "from analyzer.cli import main; main()", *map(str, args)],
                          capture_output=True, text=True, timeout=120)


@pytest.mark.parametrize("vendor", list(VENDORS))
def test_cli_check_of_generated_example_has_no_error(vendor, tmp_path):
    """`ipsec-preflight generate` then `ipsec-preflight check` on the example fixture: once the user has pasted
    the key, exit 0, or 1 with warnings only (--fail-on warning); before, the only error is the key itself."""
    _writer_or_skip(vendor)
    generated = tmp_path / f"generated.{vendor}.cfg"
    r = _cli("generate", EXAMPLE, "--vendor", vendor, "-o", generated)
    assert r.returncode == 0, r.stderr
    assert EXAMPLE_KEY not in r.stdout + r.stderr + generated.read_text()

    r = _cli("check", EXAMPLE, generated, "--format", "json")
    assert r.returncode in (0, 1), r.stderr
    errors = [f for p in json.loads(r.stdout)["pairs"] for f in p["findings"] if f["severity"] == "error"]
    assert {f["code"] for f in errors} <= {"PskMismatch"}, errors
    assert EXAMPLE_KEY not in r.stdout + r.stderr

    generated.write_text(generated.read_text().replace(PSK_PLACEHOLDER, EXAMPLE_KEY))  # what the user does
    r = _cli("check", EXAMPLE, generated, "--format", "json", "--fail-on", "warning")
    findings = [f for p in json.loads(r.stdout)["pairs"] for f in p["findings"]]
    assert not [f for f in findings if f["severity"] == "error"], findings
    assert r.returncode == (1 if any(f["severity"] == "warning" for f in findings) else 0), r.stderr
