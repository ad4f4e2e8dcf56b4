"""Bulk audit: walk folders, tell Alibaba JSON from device configs by content, pair every device endpoint
with the Alibaba tunnel it peers with, check each pair on all cores, then run the cross-connection rules.

Work split: the main process reads the (few) Alibaba files and forks workers that inherit the loaded
tunnels; each worker parses one device file, pairs and checks it, and returns compact results."""
from __future__ import annotations

import fnmatch
import os
import stat
import sys
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from analyzer import bug_at
from analyzer.checker import Pair, check, check_pair, finding_of, sort_findings
from analyzer.findings import Finding, InputProblem, PairResult
from analyzer.fixes import fixer_for
from analyzer.model import AlibabaTunnel, DeviceConfig
from analyzer.rules import all_rules
from analyzer.rules.common import is_private
from analyzer.rules.cross import AuditView, PairedWith, tunnel_key
from parsers import alibaba
from parsers.common import InputError, read_text
from parsers.registry import looks_like_json, parse_device
from parsers.values import display_path

SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", ".venv", "node_modules"}


# --- discovery ---------------------------------------------------------------------------------------------

def discover(paths: list[str]) -> tuple[list[str], list[InputProblem]]:
    """Every regular file under the paths (recursively), sorted; loops and unreadable folders are reported."""
    files: list[str] = []
    problems: list[InputProblem] = []
    seen_dirs: set[tuple[int, int]] = set()

    def problem(path: str, message: str) -> None:
        problems.append(InputProblem(file=display_path(path), message=message))

    def walk(top: str) -> None:
        # an explicit stack, not recursion: a tree 1,100 folders deep is legal and exceeded Python's limit
        stack = [top]
        while stack:
            d = stack.pop()
            try:
                st = os.stat(d)
            except OSError as exc:
                problem(d, f"cannot read folder: {exc.strerror}")
                continue
            if (st.st_dev, st.st_ino) in seen_dirs:
                problem(d, "symbolic link loop (folder already visited); skipped")
                continue
            seen_dirs.add((st.st_dev, st.st_ino))
            try:
                entries = sorted(os.scandir(d), key=lambda e: e.name)
            except OSError as exc:
                problem(d, f"cannot read folder: {exc.strerror}")
                continue
            subdirs = []
            for e in entries:
                try:
                    if e.is_dir():  # follows symlinks; loops are caught by the (dev, inode) set
                        if e.name not in SKIP_DIRS:
                            subdirs.append(e.path)
                    elif e.is_file():
                        files.append(e.path)
                    elif e.is_symlink() and not os.path.exists(e.path):
                        problem(e.path, "broken symbolic link; skipped")
                    else:  # FIFOs, sockets, devices: reading them could block or never end
                        problem(e.path, "not a regular file; skipped")
                except OSError as exc:
                    problem(e.path, f"cannot read: {exc.strerror}")
            stack.extend(reversed(subdirs))  # depth first, in name order, as the recursive walk did

    for p in paths:
        if os.path.isdir(p):
            walk(p)
        elif os.path.exists(p):
            files.append(p)
        else:
            problem(p, "no such file or folder")
    return sorted(dict.fromkeys(files)), problems


def is_json_file(path: str) -> bool:
    """JSON = the Alibaba side. Told from the first significant byte, so a folder may mix both kinds."""
    with open(path, "rb") as fh:
        head = fh.read(512)
    encoding = "utf-16" if head.startswith((b"\xff\xfe", b"\xfe\xff")) else "utf-8"
    return looks_like_json(head.decode(encoding, errors="ignore"))


# --- explicit pairing ----------------------------------------------------------------------------------------

@dataclass
class Mapping:
    """Explicit device -> connection pairs; each device is a glob relative to ``base``."""
    rules: list[tuple[str, str]] = field(default_factory=list)  # (device glob, connection id or name)
    base: str = "."

    def connection_for(self, device: str) -> str | None:
        rel = os.path.relpath(device, self.base)
        for pattern, conn in self.rules:
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(device, pattern) \
                    or fnmatch.fnmatch(os.path.basename(device), pattern):
                return conn
        return None


def load_toml(path: str) -> dict:
    import tomllib

    try:
        return tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"invalid TOML: {exc}") from None


def mapping_from(data: dict, path: str) -> Mapping:
    """The ``[[pair]]`` tables (``device`` glob, ``connection`` id or name) of a parsed TOML file."""
    rules = []
    for i, entry in enumerate(data.get("pair", [])):
        if not isinstance(entry, dict) or not isinstance(entry.get("device"), str) \
                or not isinstance(entry.get("connection"), str):
            raise InputError(path, f"pair #{i + 1}: needs string keys 'device' and 'connection'")
        rules.append((entry["device"], entry["connection"]))
    return Mapping(rules, str(Path(path).resolve().parent))


def load_mapping(path: str) -> Mapping:
    """A pairing file: TOML with ``[[pair]]`` tables."""
    return mapping_from(load_toml(path), path)


# --- per-device work (runs in the workers) -----------------------------------------------------------------

@dataclass
class EndpointLink:
    endpoint: str
    peer: str | None
    tunnel: str | None = None  # tunnel key when paired
    candidates: list[str] = field(default_factory=list)  # several tunnels fit: ambiguous


@dataclass
class DeviceOutcome:
    file: str
    vendor: str | None = None
    results: list[PairResult] = field(default_factory=list)
    links: list[EndpointLink] = field(default_factory=list)
    paired: dict[str, PairedWith] = field(default_factory=dict)
    error: InputProblem | None = None


@dataclass
class _Context:
    tunnels: list[AlibabaTunnel]
    by_gateway: dict[str, list[AlibabaTunnel]]
    by_connection: dict[str, list[AlibabaTunnel]]
    mapping: Mapping
    disabled: frozenset[str]
    lint_only: bool
    lint_unpaired: bool = False  # pre-commit hook: a device no connection pairs with is still linted
    texts: dict[str, str] = field(default_factory=dict)  # inputs read once already (pipes), by path


_CTX: _Context | None = None  # set in the parent before forking; workers inherit it


def _candidates(ep, ctx: _Context) -> list[AlibabaTunnel]:
    """Tunnels on the gateway this endpoint peers with; several connections share one VPN gateway, so
    narrow by the customer-gateway IP (unless the device sits behind NAT), then by the protected flows."""
    found = ctx.by_gateway.get(ep.peer_address or "", [])
    if len(found) > 1 and ep.local_address and not is_private(ep.local_address):
        found = [t for t in found if t.endpoint.peer_address == ep.local_address] or found
    if len(found) > 1 and ep.selectors:
        found = [t for t in found if _flows_meet(ep, t)] or found
    return found


def _flows_meet(ep, t: AlibabaTunnel) -> bool:
    """Some device selector lies inside the mirrored Alibaba flows (device local in Alibaba remote...)."""
    return any(d.local in a.remote and d.remote in a.local for d in ep.selectors for a in t.endpoint.selectors)


def audit_device(path: str) -> DeviceOutcome:
    """One device file, parsed and checked. Whatever goes wrong is recorded for this file and the audit
    goes on: bad input as a located error, and a bug (any other exception) as an error naming the file."""
    name = display_path(path)
    try:
        return _audit_device(path, name)
    except InputError as exc:
        return DeviceOutcome(file=name, error=InputProblem(file=exc.file, line=exc.line, message=exc.message))
    except RecursionError:
        return DeviceOutcome(file=name, error=InputProblem(file=name, message="input nested too deeply to parse"))
    except Exception as exc:  # a bug; without this one file would end the whole audit with no report
        return DeviceOutcome(file=name, error=InputProblem(
            file=name, message=f"internal error while checking this file ({bug_at(exc)}); please report it with "
                               "this file"))


def _audit_device(path: str, name: str) -> DeviceOutcome:
    ctx = _CTX
    out = DeviceOutcome(file=name)
    text = ctx.texts.get(path) if ctx else None  # a pipe was read once, when its kind was told
    dev = parse_device(read_text(path) if text is None else text, name)
    out.vendor = dev.vendor
    if ctx is None or ctx.lint_only:
        from analyzer.lint import lint
        out.results.append(lint(dev, ctx.disabled if ctx else frozenset()))
        out.links = [EndpointLink(ep.name, ep.peer_address) for ep in dev.endpoints]
        return out
    mapped = ctx.mapping.connection_for(path)
    if mapped is not None:
        _check_mapped(dev, mapped, ctx, out)
        return out
    fixer = fixer_for(dev.vendor)
    rules = all_rules()
    for ep in dev.endpoints:
        link = EndpointLink(ep.name, ep.peer_address)
        out.links.append(link)
        found = _candidates(ep, ctx) if ep.kind != "dynamic" else []
        if len(found) == 1:
            t = found[0]
            link.tunnel = tunnel_key(t)
            out.paired[link.tunnel] = PairedWith(path, dev.vendor, ep.name, ep.kind)
            out.results.append(check_pair(Pair(t, dev, ep, "peer", fixer, dev.endpoints), rules, ctx.disabled))
        elif len(found) > 1:
            link.candidates = sorted(tunnel_key(t) for t in found)
    if ctx.lint_unpaired and not out.results:
        from analyzer.lint import lint
        out.results.append(lint(dev, ctx.disabled))
    return out


def _check_mapped(dev: DeviceConfig, conn: str, ctx: _Context, out: DeviceOutcome) -> None:
    tunnels = ctx.by_connection.get(conn)
    if not tunnels:
        out.error = InputProblem(file=dev.file, message=f"the pairing file maps this device to {conn!r}, which no "
                                                        "Alibaba file of the audit contains")
        return
    results = check(tunnels, dev, ctx.disabled)
    by_name = {ep.name: ep for ep in dev.endpoints}
    for t, r in zip(tunnels, results):
        out.results.append(r)
        if r.endpoint in by_name:
            ep = by_name[r.endpoint]
            out.paired[tunnel_key(t)] = PairedWith(dev.file, dev.vendor, ep.name, ep.kind)
    linked = {r.endpoint for r in results}
    for ep in dev.endpoints:
        key = next((tunnel_key(t) for t, r in zip(tunnels, results) if r.endpoint == ep.name), None)
        out.links.append(EndpointLink(ep.name, ep.peer_address, key if ep.name in linked else None))


# --- the audit ---------------------------------------------------------------------------------------------

@dataclass
class AuditResult:
    outcomes: list[DeviceOutcome]
    tunnels: list[AlibabaTunnel]
    problems: list[InputProblem]
    cross: list[Finding]
    alibaba_files: int
    lint_only: bool


def _has_connection(data) -> bool:
    return any(True for key in ("IkeConfig", "ike_config", "VpnConnectionId", "VpnConnection")
               for _ in alibaba.objects_with(data, key))


def load_alibaba(files: list[str],
                 texts: dict[str, str] | None = None) -> tuple[list[AlibabaTunnel], list[InputProblem]]:
    """All connections of the JSON files, deduplicated by connection and tunnel id (first file wins).
    Each file is read once (``texts``: those read already), for both passes."""

    texts = dict(texts or {})
    problems: list[InputProblem] = []
    lookups = alibaba.Lookups()
    gateway_docs: set[str] = set()
    for f in files:  # customer-gateway and VPN-gateway descriptions first: connections refer to them
        try:
            if f not in texts:
                texts[f] = read_text(f)
            data = alibaba.load_json(f, texts[f])
        except InputError:
            continue  # reported when the connections are loaded below
        before = (len(lookups.cgw_ip), len(lookups.vpngw_ips))
        lookups.absorb(data)
        if (len(lookups.cgw_ip), len(lookups.vpngw_ips)) != before and not _has_connection(data):
            gateway_docs.add(f)
    # "the one gateway given" fallbacks suit `check --vpn-gateway`; in a folder they would pin unrelated IPs
    lookups.single_cgw_ip = lookups.single_vpngw = None
    tunnels: list[AlibabaTunnel] = []
    seen: set[str] = set()
    for f in files:
        if f in gateway_docs:
            continue
        bad: list[InputError] = []
        try:
            # a bad connection is an error, the file's others load
            loaded = alibaba.load(f, lookups, errors=bad, text=texts.get(f))
        except InputError as exc:
            bad, loaded = [exc], []
        except Exception as exc:  # a bug: name the file and go on with the others
            bad, loaded = [InputError(display_path(f), f"internal error while reading this file ({bug_at(exc)}); "
                                                       "please report it with this file")], []
        problems += [InputProblem(file=e.file, line=e.line, message=e.message) for e in bad]
        for t in loaded:
            key = tunnel_key(t)
            if t.connection_id and key in seen:
                continue
            seen.add(key)
            tunnels.append(t)
    return tunnels, problems


def run_audit(paths: list[str], mapping: Mapping | None = None, disabled: frozenset[str] = frozenset(),
              jobs: int | None = None, progress=None, lint_unpaired: bool = False) -> AuditResult:
    global _CTX
    files, problems = discover(paths)
    json_files, device_files = [], []
    texts: dict[str, str] = {}  # inputs that are not regular files (audit <(...)): read here, once
    for f in files:
        try:
            if stat.S_ISREG(os.stat(f).st_mode):
                (json_files if is_json_file(f) else device_files).append(f)
            else:
                texts[f] = read_text(f)
                (json_files if looks_like_json(texts[f]) else device_files).append(f)
        except InputError as exc:
            problems.append(InputProblem(file=exc.file, line=exc.line, message=exc.message))
        except OSError as exc:
            problems.append(InputProblem(file=f, message=f"cannot read file: {exc.strerror or exc}"))
    tunnels, ali_problems = load_alibaba(json_files, texts)
    problems += ali_problems
    by_gateway: dict[str, list[AlibabaTunnel]] = defaultdict(list)
    by_connection: dict[str, list[AlibabaTunnel]] = defaultdict(list)
    for t in tunnels:
        if t.endpoint.local_address:
            by_gateway[t.endpoint.local_address].append(t)
        by_connection[t.connection_key].append(t)
        if t.connection_name and t.connection_id:
            by_connection[t.connection_name].append(t)
    lint_only = not json_files
    _CTX = _Context(tunnels, dict(by_gateway), dict(by_connection), mapping or Mapping(), disabled, lint_only,
                    lint_unpaired, texts)
    all_rules()  # import every rule module before forking, so workers start warm
    outcomes = list(_map(audit_device, device_files, jobs, progress))
    outcomes.sort(key=lambda o: o.file)
    paired: dict[str, PairedWith] = {}
    for o in outcomes:
        paired.update(o.paired)
    cross = [] if lint_only else _cross_findings(AuditView(tunnels, paired), disabled)
    return AuditResult(outcomes, tunnels, problems, cross, len(json_files), lint_only)


def _cross_findings(view: AuditView, disabled: frozenset[str]) -> list[Finding]:
    out: list[Finding] = []
    for r in all_rules():
        if r.scope == "audit" and r.code not in disabled:
            out.extend(finding_of(r, hit) for hit in r.check(view))
    sort_findings(out)
    return out


def _worker_signals() -> None:
    """Signals are the main process's business: SIGTERM (Pool.terminate sends it) ends a worker at once and
    silently, and Ctrl-C reaches the main process only, which stops the pool (no traceback per worker)."""
    import signal

    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if hasattr(signal, "pthread_sigmask"):  # blocked while the pool was built (see _map): a pending one ends us now
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGTERM})


def _pool(ctx, jobs: int):
    """A worker pool built with SIGTERM held back: a SIGTERM that lands while Pool() is still starting its
    workers and threads would unwind before any `with` could terminate them, and the exit would then wait
    on the orphaned workers for ever (seen: one run in three under load). It is delivered right after."""
    import signal

    if not hasattr(signal, "pthread_sigmask"):
        return ctx.Pool(jobs, initializer=_worker_signals)
    old = signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGTERM})
    try:
        return ctx.Pool(jobs, initializer=_worker_signals)
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, old)


def _map(fn, items: list[str], jobs: int | None, progress):
    """Results of fn over items, on a pool of forked workers when it pays; progress(n_done, n_total)."""
    jobs = jobs or os.cpu_count() or 1
    total = len(items)
    if progress:
        progress(0, total)
    if jobs <= 1 or total < 32 or sys.platform == "win32":
        for i, item in enumerate(items, 1):
            yield fn(item)
            if progress:
                progress(i, total)
        return
    import multiprocessing

    import gc

    ctx = multiprocessing.get_context("fork")
    chunk = max(1, min(64, total // (jobs * 8)))
    # Workers inherit the loaded Alibaba tunnels copy-on-write. Without this, the first garbage
    # collection in each worker touches every inherited object and copies all of it (memory grew with
    # the number of connections, once per worker).
    gc.freeze()
    with _pool(ctx, jobs) as pool:
        for i, result in enumerate(pool.imap_unordered(fn, items, chunksize=chunk), 1):
            yield result
            if progress and (i % 50 == 0 or i == total):
                progress(i, total)
    gc.unfreeze()



def to_report(result: AuditResult, version: str):
    from analyzer.findings import AuditSummary, Counts, Report, UnpairedEndpoint, UnpairedTunnel

    pairs = [r for o in result.outcomes for r in o.results]
    errors = list(result.problems) + [o.error for o in result.outcomes if o.error]
    errors.sort(key=lambda e: (e.file, e.line or 0))
    paired_keys = {k for o in result.outcomes for k in o.paired}
    summary = AuditSummary(
        mode="lint" if result.lint_only else "pair", files=len(result.outcomes) + result.alibaba_files,
        devices=sum(1 for o in result.outcomes if o.error is None), alibaba_files=result.alibaba_files,
        connections=len({t.connection_key for t in result.tunnels}), tunnels=len(result.tunnels),
        pairs=0 if result.lint_only else len(pairs), cross=result.cross)
    if not result.lint_only:
        summary.unpaired_tunnels = [
            UnpairedTunnel(connection=t.connection_id, connection_name=t.connection_name, tunnel=t.tunnel_id,
                           role=t.role, alibaba_file=t.file, gateway=t.endpoint.local_address,
                           customer_gateway=t.endpoint.peer_address)
            for t in result.tunnels if tunnel_key(t) not in paired_keys]
        for o in result.outcomes:
            for link in o.links:
                if link.tunnel is None:
                    item = UnpairedEndpoint(device=o.file, endpoint=link.endpoint, peer=link.peer,
                                            candidates=link.candidates)
                    (summary.ambiguous if link.candidates else summary.unpaired_endpoints).append(item)
    for p in pairs:
        dev = summary.by_device.setdefault(p.device, Counts())
        conn = summary.by_connection.setdefault(p.connection or "?", Counts()) if p.alibaba_file else None
        for f in p.findings:
            summary.by_code.setdefault(f.code, Counts()).add(f)
            summary.totals.add(f)
            dev.add(f)
            if conn is not None:
                conn.add(f)
    for f in result.cross:
        summary.by_code.setdefault(f.code, Counts()).add(f)
        summary.totals.add(f)
        for c in f.related:
            summary.by_connection.setdefault(c, Counts()).add(f)
    summary.by_code = dict(sorted(summary.by_code.items()))
    summary.by_connection = dict(sorted(summary.by_connection.items()))
    return Report(version=version, pairs=pairs, errors=errors, audit=summary)
