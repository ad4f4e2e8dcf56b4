"""The audit's Alibaba side kept small (analyzer/audit_tunnels.py): a tunnel model comes back from the spool equal,
dumping the same, with the same fields set and the key still masked; the cross-connection rules read the compact
records the spool keeps and find exactly what they find on the models; TunnelRef gives back what it was given."""
import json
import marshal

import pytest
from hypothesis import HealthCheck, given, settings
from pydantic import BaseModel, SecretStr

from alibaba_strategies import cases
from analyzer.audit import load_alibaba
from analyzer.audit_tunnels import Spool, TunnelRef, related_groups
from analyzer.checker import finding_of
from analyzer.rules import all_rules
from analyzer.rules.cross import AuditView, PairedWith, cross_tunnel, tunnel_key
from conftest import FIXTURES
from parsers import alibaba
from parsers.common import InputError

_JSON = sorted(p for p in FIXTURES.rglob("*.json"))


def _fixture_tunnels():
    out = []
    for path in _JSON:
        try:
            out += alibaba.load(path, alibaba.Lookups(), [])
        except InputError:  # not a connection (a device description, a report...)
            continue
    return out


def _fields_set(m) -> list:
    """Every model's fields set, walking the model depth first."""
    out = []
    if isinstance(m, BaseModel):
        out.append((type(m).__name__, sorted(m.model_fields_set)))
        m = m.__dict__
    if isinstance(m, dict):
        for v in m.values():
            out += _fields_set(v)
    elif isinstance(m, (list, tuple)):
        for v in m:
            out += _fields_set(v)
    return out


def _assert_round_trip(tunnels):
    spool = Spool()
    refs = [spool.add(t) for t in tunnels]
    spool.freeze()
    for t, ref in zip(tunnels, refs):
        spool._cache.clear()  # a real load, not the object added
        back = spool.load(ref)
        assert back is not t
        assert back == t
        assert back.model_dump() == t.model_dump()
        assert back.model_dump_json() == t.model_dump_json()
        assert _fields_set(back) == _fields_set(t)
        assert back.endpoint.selectors == t.endpoint.selectors
        assert [str(s) for s in back.endpoint.selectors] == [str(s) for s in t.endpoint.selectors]
        for psk in (t.endpoint.ike.psk, back.endpoint.ike.psk):
            assert psk.secret is None or isinstance(psk.secret, SecretStr)
        if t.endpoint.ike.psk.secret is not None:
            key = t.endpoint.ike.psk.secret.get_secret_value()
            assert back.endpoint.ike.psk.secret.get_secret_value() == key
            assert key not in repr(back) and key not in str(back.endpoint.ike.psk)
            assert key.encode() not in marshal.dumps(tuple(cross_tunnel(t)))  # the parent's records hold no key
        assert spool.cross_record(ref) == cross_tunnel(t)
    return refs


def test_every_fixture_connection_comes_back_from_the_spool_as_it_went_in():
    tunnels = _fixture_tunnels()
    assert len(tunnels) > 40 and any(t.endpoint.ike.psk.secret for t in tunnels)
    _assert_round_trip(tunnels)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(case=cases())
def test_generated_connections_come_back_from_the_spool_as_they_went_in(case, tmp_path_factory):
    _assert_round_trip(case.load(tmp_path_factory.mktemp("case")))


def test_tunnel_ref_gives_back_its_values():
    values = ("vco-1", "name \u00e9", None, "master", "a.json", "vpn-1", "cgw-1", "1.2.3.4", None, 123456789, 321)
    ref = TunnelRef(*values)
    assert (ref.connection_id, ref.connection_name, ref.tunnel_id, ref.role, ref.file, ref.vpn_gateway_id,
            ref.customer_gateway_id, ref.local_address, ref.peer_address, ref.offset, ref.size) == values
    assert ref.key == "vco-1/-" and ref.dedup == "vco-1/-/master" and ref.connection_key == "vco-1"
    assert ref == TunnelRef(*values) and hash(ref) == hash(TunnelRef(*values))
    empty = TunnelRef(None, "", "t-1", None, "b.json", None, None, None, None, 0, 0)
    assert (empty.connection_id, empty.connection_name, empty.tunnel_id, empty.key) == (None, "", "t-1", "b.json/t-1")


def _cross(groups, load, paired):
    out = []
    for r in all_rules():
        if r.scope == "audit" and r.check.__module__ == "analyzer.rules.cross":
            for group in groups:
                out += [finding_of(r, hit).model_dump_json() for hit in r.check(AuditView(load(group), paired))]
    return out


def _edge_page(folder) -> None:
    """Connections of one gateway whose flows differ only in host bits (equal networks), several CIDRs per side,
    a destination-routed one, and IKE settings and identities that disagree on one customer gateway."""
    base = json.loads((FIXTURES / "audit" / "alibaba" / "describe-vpn-connections.json").read_text())
    first = base["VpnConnections"]["VpnConnection"][0]
    flows = [("10.60.0.1/16", "172.20.8.0/22"), ("10.60.0.0/16", "172.20.9.7/22"),
             ("10.60.0.0/17,10.61.0.0/16", "172.20.8.0/24,192.168.1.0/24"), ("0.0.0.0/0", "0.0.0.0/0"),
             ("10.70.0.0/16", "172.30.0.0/16")]
    conns = []
    for i, (local, remote) in enumerate(flows):
        c = json.loads(json.dumps(first))
        c.update(VpnConnectionId=f"vco-edge{i}", Name=f"edge-{i}", LocalSubnet=local, RemoteSubnet=remote)
        c["IkeConfig"]["IkeLifetime"] = 86400 - 600 * (i % 2)
        c["IkeConfig"]["RemoteId"] = f"203.0.113.{60 + i % 2}"
        conns.append(c)
    base["VpnConnections"]["VpnConnection"] = conns
    base["TotalCount"] = len(conns)
    (folder / "edge.json").write_text(json.dumps(base))


@pytest.mark.parametrize("folder", ["audit/alibaba", "alibaba", "edge"])
def test_cross_rules_find_the_same_on_the_records_as_on_the_models(folder, tmp_path):
    spool = Spool()
    if folder == "edge":
        _edge_page(tmp_path)
    files = sorted(str(p) for p in (tmp_path if folder == "edge" else FIXTURES / folder).glob("*.json"))
    refs, _problems = load_alibaba(files, spool=spool)
    spool.freeze()
    paired = {r.key: PairedWith("asa.cfg", "cisco-asa", "crypto map OUT 10", "policy") for r in refs}
    groups = related_groups(refs)
    on_models = _cross(groups, spool.load_all, paired)
    on_records = _cross(groups, spool.cross_records, paired)
    assert on_records == on_models
    if folder == "edge":  # host bits aside, vco-edge0 and vco-edge1 protect the same flow
        assert any("vco-edge0 (10.60.0.1/16 <-> 172.20.8.0/22) and vco-edge1 (10.60.0.0/16 <-> 172.20.9.7/22) protect "
                   "the same flow" in f for f in on_records)
        assert any('"code":"CustomerGatewayInconsistent"' in f for f in on_records)
    if folder == "audit/alibaba":  # the fixture is written to trip every cross rule
        assert {c for c in ("CustomerGatewayInconsistent", "OverlappingSelectors", "DualTunnelAlternation")
                if any(f'"code":"{c}"' in f for f in on_records)} == {
            "CustomerGatewayInconsistent", "OverlappingSelectors", "DualTunnelAlternation"}
    assert [spool.cross_record(r).key for r in refs] == [tunnel_key(spool.load(r)) for r in refs]
