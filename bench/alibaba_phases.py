"""The Alibaba side of an audit, one phase at a time, for instruction counts (issue 16; analyzer/audit_tunnels.py).

    PYTHONHASHSEED=0 valgrind --tool=cachegrind --cache-sim=no .venv/bin/python bench/alibaba_phases.py PHASE

PHASE: imports | load (audit.load_alibaba of the set's JSON pages into a Spool) | roundtrip (load, then every
model unpickled once) | cross (load, then the cross-connection rules over every related group, as
audit._cross_findings runs them, on the spool's records) | parse (load, then N device files parsed and paired) |
check (parse, then checker.check_pair per pair). A phase's cost is its count minus the previous phase's."""
from __future__ import annotations

import argparse
import glob
import os

HERE = os.path.dirname(os.path.abspath(__file__))


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("phase", choices=("imports", "load", "roundtrip", "cross", "parse", "check"))
    ap.add_argument("--set", default=os.path.join(HERE, ".data", "audit-1000"))
    ap.add_argument("--devices", type=int, default=100, help="device files parsed (every k-th: all vendors)")
    args = ap.parse_args()

    from analyzer import audit
    from analyzer.audit_tunnels import Spool, related_groups
    from analyzer.checker import Pair, check_pair, finding_of, narrow
    from analyzer.fixes import fixer_for
    from analyzer.rules import all_rules
    from analyzer.rules.cross import AuditView
    from parsers.common import read_text
    from parsers.registry import detect_vendor, parse_device

    rules = all_rules()
    if args.phase == "imports":
        return
    spool = Spool()
    refs, _problems = audit.load_alibaba(sorted(glob.glob(os.path.join(args.set, "alibaba", "*.json"))), spool=spool)
    spool.freeze()
    print(len(refs), "tunnels")
    if args.phase == "roundtrip":
        for r in refs:
            spool._cache.clear()
            spool.load(r)
    elif args.phase == "cross":
        records = getattr(spool, "cross_records", spool.load_all)  # load_all: before the records existed
        found = [finding_of(r, hit) for r in rules if r.scope == "audit" and r.check.__module__ == "analyzer.rules.cross"
                 for group in related_groups(refs) for hit in r.check(AuditView(records(group), {}))]
        print(len(found), "cross findings")
    elif args.phase in ("parse", "check"):
        devices = sorted(glob.glob(os.path.join(args.set, "devices", "*", "*", "*")))
        devices = devices[::max(1, len(devices) // args.devices)][:args.devices]
        by_gateway: dict = {}
        for r in refs:
            by_gateway.setdefault(r.local_address, []).append(r)
        pairs = []
        for path in devices:
            text = read_text(path)
            dev = parse_device(text, path, detect_vendor(text))
            for ep in dev.endpoints:
                found = narrow(ep, spool.load_all(by_gateway.get(ep.peer_address, [])))
                if len(found) == 1:
                    pairs.append(Pair(found[0], dev, ep, "peer", fixer_for(dev.vendor), dev.endpoints))
        print(len(pairs), "pairs")
        if args.phase == "check":
            print(sum(len(check_pair(p, rules).findings) for p in pairs), "findings")


if __name__ == "__main__":
    main()
