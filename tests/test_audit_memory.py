"""What the audit's parent keeps per device while the report streams (issue 16, memory flat in N): the counts per
device and connection and the paired-tunnel map stay small, and the JSON summary written from them is byte for
byte what pydantic writes for the same counts."""
import io
import tracemalloc
from types import SimpleNamespace

from analyzer.audit import PairedMap, Tally
from analyzer.findings import AuditSummary, Counts, Report
from analyzer.reporters.stream import Filtered, JsonWriter
from analyzer.reporters.terminal import json_safe
from analyzer.rules.cross import PairedWith

# names as an export's file names can make them (display_path keeps any UTF-8): quotes, backslashes, controls,
# characters json_safe escapes after pydantic (DEL, C1, line separators, bidi), a `##[` workflow command
ODD = ['a"b.cfg', "back\\slash.cfg", "tab\tand\nnewline.cfg", "del\x7f.cfg", "c1\x85.cfg", "ls\u2028ps\u2029.cfg",
       "bidi\u202e.cfg", "##[group]x.cfg", "中文/设备.cfg", "plain/branch-0001.cfg", ""]


def _finding(severity: str, suppressed: bool = False, code: str = "AlgorithmMismatch", related=(), device=None):
    return SimpleNamespace(severity=severity, suppressed=suppressed, code=code, related=list(related), device=device)


def _pair(device: str, connection: str | None, findings: list):
    return SimpleNamespace(device=device, connection=connection, alibaba_file="a.json" if connection else None,
                           findings=findings)


def _pairs():
    out = []
    for i, name in enumerate(ODD):
        findings = [_finding("error")] * (i % 3) + [_finding("warning")] * (i % 2) + [_finding("info", i % 4 == 0)]
        out.append(_pair(name, f"vco-{name}" if i % 5 else None, findings))
    out.append(_pair(ODD[0], "vco-again", [_finding("error", True)]))  # a device with two pairs
    return out


def _expected(pairs, cross) -> AuditSummary:
    """The counts as pydantic Counts, counted the way the summary defines them."""
    by_code, by_device, by_connection, totals = {}, {}, {}, Counts()
    for p in pairs:
        dev = by_device.setdefault(p.device, Counts())
        conn = by_connection.setdefault(p.connection or "?", Counts()) if p.alibaba_file else None
        for f in p.findings:
            for c in (by_code.setdefault(f.code, Counts()), totals, dev, *([conn] if conn else [])):
                c.add(f)
    for f in cross:
        for c in (by_code.setdefault(f.code, Counts()), totals):
            c.add(f)
        for k in f.related:
            by_connection.setdefault(k, Counts()).add(f)
        if f.device:
            by_device.setdefault(f.device.file, Counts()).add(f)
    return AuditSummary(mode="pair", files=1, devices=1, alibaba_files=1, connections=1, tunnels=1, pairs=1,
                        by_code=dict(sorted(by_code.items())), by_device=by_device,
                        by_connection=dict(sorted(by_connection.items())), totals=totals)


def _cross():
    return [_finding("warning", code="UnpairedDeviceTunnel", device=SimpleNamespace(file="tab\tand\nnewline.cfg")),
            _finding("error", code="CustomerGatewayConsistency", related=["vco-zz", 'vco-a"b.cfg'])]


def _tallied(pairs, cross) -> Tally:
    tally = Tally()
    for p in pairs:
        tally.pair(p)
    tally.cross(cross)
    return tally


def test_counts_into_a_summary_are_the_pydantic_counts():
    pairs, cross = _pairs(), _cross()
    summary = AuditSummary(mode="pair", files=1, devices=1, alibaba_files=1, connections=1, tunnels=1, pairs=1)
    _tallied(pairs, cross).into(summary)
    assert summary == _expected(pairs, cross)
    assert list(summary.by_device) == list(_expected(pairs, cross).by_device)  # order too (the JSON lists it)


def test_streamed_json_summary_is_what_pydantic_writes():
    pairs, cross = _pairs(), _cross()
    expected = Report(version="9", audit=_expected(pairs, cross))
    report = Report(version="9", audit=AuditSummary(mode="pair", files=1, devices=1, alibaba_files=1,
                                                    connections=1, tunnels=1, pairs=1))
    tally = _tallied(pairs, cross)
    tally.into(report.audit, "none")  # as the streamed audit does: JsonWriter writes the lists
    assert not report.audit.by_device and not report.audit.by_connection
    out = io.StringIO()
    writer = JsonWriter(Filtered(out, json_safe), "9")
    writer.finish(report, tally)
    assert out.getvalue() == json_safe(expected.model_dump_json(indent=2)) + "\n"


def test_streamed_json_summary_of_no_device():
    report = Report(version="9", audit=AuditSummary(mode="lint", files=0, devices=0, alibaba_files=0,
                                                    connections=0, tunnels=0, pairs=0))
    out = io.StringIO()
    JsonWriter(out, "9").finish(report, Tally())
    assert out.getvalue() == report.model_dump_json(indent=2) + "\n"


def test_paired_map_reads_as_the_dict_it_replaces():
    paired = PairedMap()
    device = "devices/asa-1.cfg"
    paired.add("vco-1/tun-1", PairedWith("devices/asa-1.cfg", "cisco-asa", "crypto map m 10", "policy"), device)
    paired.add("vco-2/-", PairedWith("other.cfg", "huawei-vrp", "ipsec policy p 1", "route"), device)
    assert dict(paired) == {"vco-1/tun-1": PairedWith(device, "cisco-asa", "crypto map m 10", "policy"),
                            "vco-2/-": PairedWith("other.cfg", "huawei-vrp", "ipsec policy p 1", "route")}
    assert "vco-1/tun-1" in paired and "vco-3/-" not in paired and paired.get("vco-3/-") is None
    assert len(paired) == 2 and bool(paired) and not PairedMap()
    assert paired["vco-1/tun-1"].device is device  # the parent's own string, not the worker's copy


def test_parent_keeps_little_per_device():
    """The counts and the paired map of 3,000 devices (one pair and one finding each, the bench's shape) take
    well under what a pydantic Counts per device and connection took (~1.3 KiB per device with the PairedWith)."""
    n = 3000
    names = [f"bench/.data/audit-{n}/devices/cisco-ios/site{i // 100:03d}/branch-{i:06d}.cfg" for i in range(n)]
    ids = [f"vco-bench{i:08d}" for i in range(n)]
    keys = [f"{c}/-" for c in ids]
    ends = [f"crypto map outside_map {i % 50 + 1}" for i in range(n)]
    finding = _finding("error")
    tracemalloc.start()
    try:
        before = tracemalloc.get_traced_memory()[0]
        tally, paired = Tally(), PairedMap()
        for name, conn, key, end in zip(names, ids, keys, ends):
            tally.pair(_pair(name, conn, [finding]))
            paired.add(key, PairedWith(name, "cisco-ios", end, "policy"), name)
        kept = tracemalloc.get_traced_memory()[0] - before
    finally:
        tracemalloc.stop()
    assert kept / n < 400, f"{kept / n:.0f} bytes kept per device"


def test_quick_json_safe_is_json_safe():
    from hypothesis import given, strategies as st

    from analyzer.reporters.stream import json_safe_quick

    alphabet = st.sampled_from(list("ab #[\\\"\n{}") + ["\x7f", "\x85", "\x9f", "\u061c", "\u200e", "\u2028",
                                                        "\u202e", "\u2066", "\u2069", "中", "é"])

    @given(st.text(alphabet, max_size=40))
    def same(text):
        assert json_safe_quick(text) == json_safe(text)

    same()
