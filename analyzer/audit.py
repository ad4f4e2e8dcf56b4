"""Bulk audit: walk folders, tell Alibaba JSON from device configs by content, pair every device endpoint
with the Alibaba tunnel it peers with, check each pair on all cores, then run the cross-connection rules.

Work split: the main process reads the (few) Alibaba files and forks workers that inherit the loaded
tunnels; each worker parses one device file, pairs and checks it, and returns compact results."""
from __future__ import annotations

import os
import re
import stat
import subprocess
import sys
from collections import defaultdict
from collections.abc import Mapping as _ReadOnlyMap
from dataclasses import dataclass, field
from pathlib import Path

from analyzer import bug_at, globs
from analyzer.audit_tunnels import Spool, TunnelRef, packed, related_groups
from analyzer.checker import Pair, check, check_pair, finding_of, narrow, sort_findings
from analyzer.findings import Finding, InputProblem, PairResult
from analyzer.fixes import fixer_for
from analyzer.model import AlibabaTunnel, DeviceConfig, Source
from analyzer.rules import all_rules
from analyzer.rules.cross import AuditView, PairedWith, tunnel_key
from parsers import alibaba
from parsers.blocks import split_lines
from parsers.common import InputError, read_text
from parsers.registry import detect_vendor, looks_like_json, parse_device
from parsers.values import display_path

_SETTINGS = ".ipsec-preflight.toml"  # project_config.FILENAME (that module imports this one)
SKIP_DIRS = {".git", ".hg", ".svn", "__pycache__", ".venv", "node_modules", ".terraform"}  # .terraform: module cache

# Files a config repository holds that are plainly not device configs, told by name alone: listed as skipped,
# never parsed (a README quoting config lines is still a README). Anything else must parse.
_NOT_CONFIG_EXT = {
    **dict.fromkeys((".md", ".markdown", ".rst", ".adoc", ".org"), "documentation"),
    **dict.fromkeys((".yaml", ".yml"), "YAML"), ".toml": "TOML", ".sarif": "a SARIF report",
    **dict.fromkeys((".html", ".htm", ".css", ".js"), "a web page (a report?)"),
    **dict.fromkeys((".png", ".jpg", ".jpeg", ".gif", ".svg", ".ico", ".webp", ".bmp", ".pdf"), "an image or PDF"),
    **dict.fromkeys((".py", ".sh", ".ps1", ".bat"), "a script"),
    **dict.fromkeys((".tfvars", ".hcl"), "Terraform variables or settings (read with the folder's .tf files)"),
    **dict.fromkeys((".csv", ".xls", ".xlsx", ".doc", ".docx", ".ppt", ".pptx", ".odt", ".ods"), "a document"),
    **dict.fromkeys((".zip", ".gz", ".tgz", ".bz2", ".xz", ".7z", ".tar"), "an archive"),
}
_NOT_CONFIG_NAMES = {
    **dict.fromkeys((".gitignore", ".gitattributes", ".gitmodules", ".mailmap", ".editorconfig"), "git/editor settings"),
    **dict.fromkeys(("license", "licence", "copying", "notice", "authors", "codeowners"), "project metadata"),
    **dict.fromkeys(("makefile", "dockerfile", "jenkinsfile", "vagrantfile"), "a build file"),
}


# `-o FILE`'s temporary file (audit_stream.AtomicOutput, cli._write_atomically): left behind only by a killed run
_OUR_TEMPORARY = re.compile(r"^\..+\.[0-9a-f]{8}\.tmp$")


def not_a_config(path: str) -> str | None:
    """Why the file is plainly not a device config (by its name), or None when it may be one."""
    name = os.path.basename(path).lower()
    if _OUR_TEMPORARY.match(name):
        return "a report ipsec-preflight was writing (-o) when it was stopped"
    if name in _NOT_CONFIG_NAMES:
        return _NOT_CONFIG_NAMES[name]
    stem, ext = os.path.splitext(name)
    if ext in _NOT_CONFIG_EXT:
        return _NOT_CONFIG_EXT[ext]
    return "project metadata" if stem in ("license", "licence", "copying", "readme", "changelog") else None


def git_ignored(root: str) -> tuple[set[str], list[str]] | None:
    """Ignored files and folders (relative to ROOT, `/`-separated; folders end with `/`) when ROOT is in a git
    work tree: one `git ls-files` for the whole walk. None without git or outside a work tree (read nothing)."""
    try:
        out = subprocess.run(["git", "-C", root, "ls-files", "-z", "--others", "--ignored", "--exclude-standard",
                              "--directory"], capture_output=True, timeout=60, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    if out.returncode != 0:
        return None
    entries = [e.decode("utf-8", "surrogateescape") for e in out.stdout.split(b"\0") if e]
    return {e for e in entries if not e.endswith("/")}, [e for e in entries if e.endswith("/")]


@dataclass
class Skipped:
    file: str
    reason: str


@dataclass
class Selection:
    """What to audit: device candidates, JSON files, and what was skipped (with the reason)."""
    devices: list[str] = field(default_factory=list)
    json: list[str] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


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

    file: str | None = None  # the pairing or settings file the rules come from
    lines: list[int | None] = field(default_factory=list)  # each rule's line in it

    def connection_for(self, device: str) -> str | None:
        rel = globs.relative(device, self.base)
        for pattern, conn in self.rules:
            if globs.matches(rel, pattern):
                return conn
        return None

    def unused(self, devices: list[str], connections: set[str]) -> list[InputProblem]:
        """Rules naming a connection the audit does not hold, or whose device glob matches no audited file."""
        rels = [globs.relative(d, self.base) for d in devices]
        out = []
        for (pattern, conn), line in zip(self.rules, self.lines or [None] * len(self.rules)):
            if conn not in connections:
                out.append(InputProblem(file=display_path(self.file or "pairing"), line=line, message=(
                    f"[[pair]] connection = {conn!r}: no Alibaba file of the audit holds this connection (id or "
                    "name)")))
            if not any(globs.matches(r, pattern) for r in rels):
                out.append(InputProblem(file=display_path(self.file or "pairing"), line=line, message=(
                    f"[[pair]] device = {pattern!r}: matches no file of the audit (relative to {self.base})")))
        return out


def load_toml(path: str) -> dict:
    import tomllib

    try:
        return tomllib.loads(read_text(path))
    except tomllib.TOMLDecodeError as exc:
        raise InputError(path, f"invalid TOML: {exc}") from None


def mapping_from(data: dict, path: str) -> Mapping:
    """The ``[[pair]]`` tables (``device`` glob, ``connection`` id or name) of a parsed TOML file."""
    rules = []
    pairs = data.get("pair", [])
    if not isinstance(pairs, list):  # `pair = 5`
        raise InputError(path, "pair: expected an array of tables ([[pair]])")
    for i, entry in enumerate(pairs):
        if not isinstance(entry, dict) or not isinstance(entry.get("device"), str) \
                or not isinstance(entry.get("connection"), str):
            raise InputError(path, f"pair #{i + 1}: needs string keys 'device' and 'connection'")
        extra = sorted(set(entry) - {"device", "connection"})
        if extra:
            raise InputError(path, f"pair #{i + 1}: unknown key(s) {', '.join(extra)} (known: connection, device)")
        rules.append((entry["device"], entry["connection"]))
    return Mapping(rules, str(Path(path).resolve().parent), path, _lines_of(path, [d for d, _ in rules]))


def _lines_of(path: str, globs_: list[str]) -> list[int | None]:
    """The line of each `device = "GLOB"` in the file, in order (tomllib gives no positions)."""
    try:
        lines = split_lines(read_text(path))
    except (InputError, OSError):
        return [None] * len(globs_)
    out, start = [], 0
    for g in globs_:
        found = next((i for i in range(start, len(lines)) if lines[i].lstrip().startswith("device")
                      and (f'"{g}"' in lines[i] or f"'{g}'" in lines[i])), None)
        out.append(found + 1 if found is not None else None)
        start = found + 1 if found is not None else start
    return out


def load_mapping(path: str) -> Mapping:
    """A pairing file: TOML with ``[[pair]]`` tables."""
    return mapping_from(load_toml(path), path)


# --- per-device work (runs in the workers) -----------------------------------------------------------------

@dataclass(slots=True)
class EndpointLink:
    endpoint: str
    peer: str | None
    tunnel: str | None = None  # tunnel key when paired
    candidates: list[str] = field(default_factory=list)  # several tunnels fit: ambiguous
    at: Source | None = None  # the peer line
    dynamic: bool = False  # an any-peer entry: it pairs with no tunnel in particular


@dataclass(slots=True)
class DeviceOutcome:
    file: str
    vendor: str | None = None
    results: list[PairResult] = field(default_factory=list)
    links: list[EndpointLink] = field(default_factory=list)
    paired: dict[str, PairedWith] = field(default_factory=dict)
    error: InputProblem | None = None
    unreadable: list[str] = field(default_factory=list)  # error lines of the parse ("file:line: text")
    excerpt: dict[int, str] = field(default_factory=dict)  # HTML only: display lines near the findings
    compared: list[tuple[str | None, str | None]] = field(default_factory=list)  # (connection, tunnel) checked

    def compact(self) -> "DeviceOutcome":
        """This outcome once reported: what the pairing rules and the summary still read (no findings, only the
        links that stayed unpaired); kept for every device, so it holds no empty containers of its own."""
        unpaired = [link for link in self.links if link.tunnel is None and not link.dynamic]
        return DeviceOutcome(self.file, self.vendor, _NONE, unpaired or _NONE, self.paired or _NO_PAIRS, self.error,
                             self.unreadable or _NONE, _NO_LINES, self.compared or _NONE)


_NONE: list = []  # shared by compact outcomes, never filled: every use of a compact outcome only reads it
_NO_PAIRS: dict = {}
_NO_LINES: dict = {}


@dataclass
class _Context:
    tunnels: list[TunnelRef]
    by_gateway: dict[str, bytes]  # audit_tunnels.packed rows of the tunnels on each gateway IP
    by_connection: dict[str, bytes]  # ... of each connection (id, and name)
    mapping: Mapping
    disabled: frozenset[str]
    lint_only: bool
    lint_unpaired: bool = False  # pre-commit hook: a device no connection pairs with is still linted
    texts: dict[str, str] = field(default_factory=dict)  # inputs read once already (pipes), by path
    partial: frozenset[str] = frozenset()  # Alibaba files holding one page of a longer list (display paths)
    excerpts: bool = False  # keep the device's display lines near each finding (for the HTML page)
    spool: Spool | None = None  # the tunnels' full models


_CTX: _Context | None = None  # set in the parent before forking; workers inherit it


def _candidates(ep, ctx: _Context) -> list[AlibabaTunnel]:
    """Tunnels on the gateway this endpoint peers with, narrowed as `check` does (checker.narrow). narrow's first
    step (the customer-gateway IP, for a device with a public address) is taken on the references first, so
    that only those tunnels' models are loaded; narrow then finds that step done and goes on."""
    from analyzer.audit_tunnels import ipv4_int, unpacked
    from analyzer.rules.common import is_private

    rows = unpacked(ctx.by_gateway.get(ep.peer_address or ""))
    if len(rows) > 1 and ep.local_address and not is_private(ep.local_address):
        own = ipv4_int(ep.local_address)
        rows = [r for r in rows if r[2] is not None and r[2] == own] or rows
    return narrow(ep, [ctx.spool.load_at(offset, size) for offset, size, _ in rows], ctx.partial)


def audit_device(path: str) -> DeviceOutcome:
    """One device file, parsed and checked. Whatever goes wrong is recorded for this file and the audit
    goes on: bad input as a located error, and a bug (any other exception) as an error naming the file."""
    name = display_path(path)
    _trim_caches()
    try:
        return _near_findings(_audit_device(path, name))
    except InputError as exc:
        return DeviceOutcome(file=name, error=InputProblem(file=exc.file, line=exc.line, message=exc.message))
    except RecursionError:
        return DeviceOutcome(file=name, error=InputProblem(file=name, message="input nested too deeply to parse"))
    except Exception as exc:  # a bug; without this one file would end the whole audit with no report
        return DeviceOutcome(file=name, error=InputProblem(
            file=name, message=f"internal error while checking this file ({bug_at(exc)}); please report it with "
                               "this file"))


_TRIM_EVERY = 64  # devices
_devices_done = 0  # by this process


def _trim_caches() -> None:
    """Empty, every few devices, the caches that fill up with each device's own lines and addresses (redact's
    display form and masking of config lines, up to 8,192 + 4,096 lines: ~2.5 MiB per worker once full, filled
    over the first ~5,000 devices, so a large audit's workers grew with it). What repeats within a device or
    across nearby devices still hits."""
    global _devices_done
    _devices_done += 1
    if _devices_done % _TRIM_EVERY == 0:
        from analyzer import redact
        from analyzer.rules.common import is_private

        redact.clear_caches()
        is_private.cache_clear()  # keyed by each device's own address


_EXCERPT_CONTEXT = 3  # lines shown either side of a finding's line (as the HTML page shows them)


def _near_findings(out: DeviceOutcome) -> DeviceOutcome:
    """Only the excerpt lines the page can show: those around a finding's device line (memory stays small)."""
    if out.excerpt:
        wanted = {f.device.line for r in out.results for f in r.findings if f.device and f.device.line}
        wanted |= {link.at.line for link in out.links if link.at and link.at.line}  # unpaired-tunnel findings
        out.excerpt = {n: t for n, t in out.excerpt.items()
                       if any(abs(n - w) <= _EXCERPT_CONTEXT for w in wanted)}
    return out


def _audit_device(path: str, name: str) -> DeviceOutcome:
    ctx = _CTX
    out = DeviceOutcome(file=name)
    text = ctx.texts.get(path) if ctx else None  # a pipe was read once, when its kind was told
    text = read_text(path) if text is None else text
    vendor = detect_vendor(text)
    if vendor is None:
        raise InputError(name, "no device vendor recognised (no Cisco IOS/ASA, Huawei VRP or H3C Comware syntax "
                               "found); if this is not a device config, leave it out with --exclude GLOB or "
                               f"`exclude` in {_SETTINGS}")
    dev = parse_device(text, name, vendor)
    out.vendor = dev.vendor
    if ctx is not None and ctx.excerpts:
        from analyzer.excerpts import from_device
        out.excerpt = from_device(dev)
    out.unreadable = [f"{d.file}:{d.line} ({d.text})" if d.text else f"{d.file}:{d.line}"
                      for d in dev.diagnostics if d.severity == "error" and d.line][:3]
    out.links = [EndpointLink(ep.name, ep.peer_address, at=ep.at("peer_address"), dynamic=ep.kind == "dynamic")
                 for ep in dev.endpoints]
    _check_device(dev, path, ctx, out)
    out.compared = [(r.connection, r.tunnel) for r in out.results if r.alibaba_file]
    return out


def _check_device(dev: DeviceConfig, path: str, ctx: _Context | None, out: DeviceOutcome) -> None:
    if ctx is None or ctx.lint_only:
        from analyzer.lint import lint
        out.results.append(lint(dev, ctx.disabled if ctx else frozenset()))
        return
    mapped = ctx.mapping.connection_for(path)
    if mapped is not None:
        _check_mapped(dev, mapped, ctx, out)
        return
    fixer = fixer_for(dev.vendor)
    rules = all_rules()
    for ep, link in zip(dev.endpoints, out.links):
        found = _candidates(ep, ctx) if ep.kind != "dynamic" else []
        if len(found) == 1:
            t = found[0]
            link.tunnel = tunnel_key(t)
            out.paired[link.tunnel] = PairedWith(path, dev.vendor, ep.name, ep.kind)
            out.results.append(check_pair(Pair(t, dev, ep, "peer", fixer, dev.endpoints), rules, ctx.disabled))
        elif len(found) > 1:
            link.candidates = sorted(tunnel_key(t) for t in found)
    if not out.results:  # nothing pairs: its own problems are still reported (and it is listed as unpaired)
        from analyzer.lint import lint
        out.results.append(lint(dev, ctx.disabled))


def _check_mapped(dev: DeviceConfig, conn: str, ctx: _Context, out: DeviceOutcome) -> None:
    from analyzer.audit_tunnels import unpacked

    tunnels = [ctx.spool.load_at(offset, size) for offset, size, _ in unpacked(ctx.by_connection.get(conn))]
    if not tunnels:
        out.error = InputProblem(file=dev.file, message=f"the pairing file maps this device to {conn!r}, which no "
                                                        "Alibaba file of the audit contains")
        return
    results = check(tunnels, dev, ctx.disabled, ctx.partial)
    by_name = {ep.name: ep for ep in dev.endpoints}
    for t, r in zip(tunnels, results):
        out.results.append(r)
        if r.endpoint in by_name:
            ep = by_name[r.endpoint]
            out.paired[tunnel_key(t)] = PairedWith(dev.file, dev.vendor, ep.name, ep.kind)
    for link in out.links:
        link.tunnel = next((tunnel_key(t) for t, r in zip(tunnels, results) if r.endpoint == link.endpoint), None)


# --- the audit ---------------------------------------------------------------------------------------------

@dataclass
class AuditResult:
    outcomes: list[DeviceOutcome]
    tunnels: list[TunnelRef]
    problems: list[InputProblem]
    cross: list[Finding]
    alibaba_files: int
    lint_only: bool
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[InputProblem] = field(default_factory=list)  # said, not failing: a page of a longer list
    texts: "InputTexts" = field(default_factory=lambda: InputTexts())  # Alibaba inputs by display path (JSON lines)
    paired: dict[str, PairedWith] | None = None  # tunnel key -> the device side (None: read from the outcomes)
    devices_read: int | None = None  # device files audited (None: len(outcomes)); a streaming caller keeps only
    devices_parsed: int | None = None  # the outcomes that still matter for the summary (see audit_stream)


class InputTexts:
    """file (display path) -> its text, for placing Alibaba JSON lines: inputs that are not regular files (pipes)
    as they were read, regular files read again when asked (holding every input would grow with the audit)."""

    def __init__(self, pipes: dict[str, str] | None = None, files: dict[str, str] | None = None) -> None:
        self._pipes = pipes or {}
        self._files = files or {}  # display path -> path

    def get(self, file: str) -> str | None:
        if file in self._pipes:
            return self._pipes[file]
        path = self._files.get(file)
        if path is None:
            return None
        try:
            return read_text(path)
        except (InputError, OSError):
            return None


def _load_one(path: str, text: str | None, lookups, problems: list, skipped: list, terraform: bool) -> list:
    """The tunnels of one Alibaba input (a JSON file, or a Terraform folder); a bad connection is an error and the
    input's others still load; what is not a connection is skipped with the reason."""
    bad: list[InputError] = []
    try:
        loaded = alibaba.load(path, lookups, errors=bad, text=text)
    except alibaba.NotAConnection as exc:  # Terraform for other resources, or JSON that is not ours
        why = "Terraform without an IPsec connection" if terraform else "not a connection"
        skipped.append(Skipped(display_path(path), f"{why}: {exc.what}"))
        return []
    except InputError as exc:
        bad, loaded = [exc], []
    except Exception as exc:  # a bug: name the input and go on with the others
        what = "Terraform folder" if terraform else "file"
        bad, loaded = [InputError(display_path(path), f"internal error while reading this {what} ({bug_at(exc)}); "
                                                      "please report it with its files")], []
    problems += [InputProblem(file=e.file, line=e.line, message=e.message) for e in bad]
    return loaded


def load_alibaba(files: list[str], texts: dict[str, str] | None = None, skipped: list[Skipped] | None = None,
                 named: frozenset[str] = frozenset(), notes: list[InputProblem] | None = None,
                 terraform: list[str] = (), spool: Spool | None = None,
                 ) -> tuple[list[TunnelRef], list[InputProblem]]:
    """All connections of the JSON files, deduplicated by connection and tunnel id (first file wins), as
    references into ``spool`` (their full models). ``texts``: inputs read already (pipes, which cannot be read
    twice); a regular file is read for each of the two passes and not kept. A file with no connection
    (a gateway description, package.json, a report) is appended to ``skipped`` with what it is, unless it was
    meant as one: named as Alibaba input (``named``, normalized paths), an empty connection page or an API
    error response are input problems. A page of a longer list is appended to ``notes``."""

    texts = {} if texts is None else texts
    spool = Spool() if spool is None else spool
    problems: list[InputProblem] = []
    skipped = [] if skipped is None else skipped
    lookups = alibaba.Lookups()
    no_connection: dict[str, tuple[str, str | None]] = {}  # file -> (what it is, why it was meant as one)
    for f in files:  # customer-gateway and VPN-gateway descriptions first: connections refer to them
        try:
            data = alibaba.load_json(f, texts[f] if f in texts else read_text(f))
        except InputError:
            continue  # reported when the connections are loaded below
        lookups.absorb(data, display_path(f))
        if not alibaba.has_connection(data):
            no_connection[f] = alibaba.what_it_is(data), alibaba.meant_as_connection(data)
        elif notes is not None and (note := alibaba.page_note(data)):
            notes.append(InputProblem(file=display_path(f), message=note))
    problems += [InputProblem(file=e.file, line=e.line, message=e.message) for e in lookups.problems]
    # "the one gateway given" fallbacks suit `check --vpn-gateway`; in a folder they would pin unrelated IPs
    lookups.single_cgw_ip = lookups.single_vpngw = None
    tunnels: list[TunnelRef] = []
    seen: set[str] = set()
    for f in files:
        if f in no_connection:
            what, meant = no_connection[f]
            if meant or (os.path.normpath(f) in named and not what.endswith("gateway description")):
                problems.append(InputProblem(file=display_path(f), message=meant or (
                    f"named as Alibaba input, but holds no IPsec connection: {what}")))
                continue
            used = " (its IP addresses are used)" if what.endswith("gateway description") else ""
            skipped.append(Skipped(display_path(f), f"not a connection: {what}{used}"))
            continue
        try:
            text = texts[f] if f in texts else read_text(f)
        except (InputError, OSError):
            text = None  # _load_one reads it again and reports why it cannot
        if text is not None and not text.strip():
            problems.append(InputProblem(file=display_path(f), message="empty file; expected an Alibaba connection "
                                                                       "JSON (DescribeVpnConnection(s) export)"))
            continue
        loaded = _load_one(f, text, lookups, problems, skipped, terraform=False)
        tunnels += [spool.add(t) for t in _new_tunnels(loaded, seen)]
    for folder in terraform:  # Terraform sources: a folder is one module (its .tf files and variables together)
        loaded = _load_one(folder, None, lookups, problems, skipped, terraform=True)
        tunnels += [spool.add(t) for t in _new_tunnels(loaded, seen)]
    if notes is not None:  # Terraform left out on purpose (a remote module, count = 0): said, not failing
        notes += [InputProblem(file=e.file, line=e.line, message=e.message) for e in lookups.notes]
    return tunnels, problems


def _new_tunnels(loaded: list[AlibabaTunnel], seen: set[str]):
    """The tunnels of ``loaded`` not loaded already (same connection and tunnel id: the first input wins);
    ``seen``: the dedup keys of those loaded (filled in)."""
    out = []
    for t in loaded:
        key = _dedup_key(t)
        if t.connection_id and key in seen:
            continue
        seen.add(key)
        out.append(t)
    return out


def _dedup_key(t: AlibabaTunnel) -> str:
    """tunnel_key, and the role of a tunnel without an id (Terraform: master and slave of one connection)."""
    return tunnel_key(t) + (f"/{t.role}" if not t.tunnel_id and t.role else "")


def is_terraform_file(path: str) -> bool:
    """A Terraform source file: the Alibaba side, read per folder (parsers.alibaba.load of the folder)."""
    return path.lower().endswith(".tf")


# `source = "./modules/ipsec"` in a module block: a local child module, read through its caller (with the
# arguments the caller passes); alone its variables have no values. Registry and git sources are not folders.
_LOCAL_MODULE = re.compile(r'^\s*source\s*=\s*"(\.\.?/[^"]*)"', re.M)
_TF_SCAN_BYTES = 1 << 20  # per file: module blocks sit in ordinary-sized files; a huge one is not scanned whole


def _local_modules(folder: str) -> set[str]:
    """The local module folders FOLDER's .tf files call (absolute, normalised)."""
    out: set[str] = set()
    try:
        names = sorted(n for n in os.listdir(folder) if is_terraform_file(n))
    except OSError:
        return out
    for name in names:
        try:
            with open(os.path.join(folder, name), encoding="utf-8", errors="replace") as fh:
                text = fh.read(_TF_SCAN_BYTES)
        except OSError:
            continue
        out |= {os.path.normpath(os.path.join(os.path.abspath(folder), m)) for m in _LOCAL_MODULE.findall(text)}
    return out


def terraform_roots(folders: list[str]) -> list[str]:
    """The folders of FOLDERS that no other of them calls as a local module (the root modules)."""
    called = set().union(*(_local_modules(f) for f in folders)) if folders else set()
    return [f for f in folders if os.path.normpath(os.path.abspath(f)) not in called]


def terraform_tree(folder: str) -> set[str]:
    """FOLDER and the local modules it calls, transitively (absolute, normalised)."""
    out: set[str] = set()
    todo = [os.path.normpath(os.path.abspath(folder))]
    while todo:
        f = todo.pop()
        if f not in out:
            out.add(f)
            todo.extend(_local_modules(f))
    return out


def terraform_callers(folder: str, top: str) -> list[str]:
    """The root modules under TOP that use FOLDER (directly or through other local modules); [FOLDER] when
    none does (it is a root module itself). For the hook: a committed child module is checked through them."""
    found = []
    for here, dirs, names in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS and not d.startswith("."))
        if any(is_terraform_file(n) for n in names):
            found.append(here)
    calls = {os.path.normpath(os.path.abspath(f)): _local_modules(f) for f in found}
    target = os.path.normpath(os.path.abspath(folder))

    def uses(f: str, seen: set[str]) -> bool:
        if f in seen:
            return False
        seen.add(f)
        return target in calls.get(f, ()) or any(uses(c, seen) for c in calls.get(f, ()))

    called = set().union(*calls.values()) if calls else set()
    roots = [f for f in found if os.path.normpath(os.path.abspath(f)) not in called
             and uses(os.path.normpath(os.path.abspath(f)), set())]
    return roots or [folder]


@dataclass
class Filters:
    """Which files of the walked folders are audited: settings file, --include/--exclude, .gitignore."""
    settings: object | None = None  # a project_config.ProjectConfig
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    gitignore: bool = False


def select(paths: list[str], filters: Filters | None = None) -> tuple[Selection, list[InputProblem]]:
    """Walk PATHS and sort every file into device candidates, JSON files and skipped files (with why).
    Files named on the command line are audited whatever the filters say, as git adds a named file."""
    filters = filters or Filters()
    cfg = filters.settings
    files, problems = discover(paths)
    roots = [p for p in paths if os.path.isdir(p)]
    named = {os.path.normpath(p) for p in paths if not os.path.isdir(p)}
    ignored = {r: git_ignored(r) for r in roots} if filters.gitignore else {}
    sel = Selection()
    for f in files:
        root = next((r for r in roots if _under(f, r)), None)
        why = None if os.path.normpath(f) in named else _filtered(f, root, filters, ignored.get(root))
        if why is None:
            why = not_a_config(f)
            why = f"not a device config: {why}" if why else None
        if why is None and cfg is not None and getattr(cfg, "devices", None) and not cfg.is_device(f) \
                and not cfg.is_alibaba(f) and os.path.normpath(f) not in named and not _is_json_quiet(f) \
                and not is_terraform_file(f):
            why = f"not matched by `devices` in {_SETTINGS}"
        if why is not None:
            sel.skipped.append(Skipped(display_path(f), why))
        else:
            sel.devices.append(f)  # told apart from JSON by content later
    return sel, problems


def _under(path: str, root: str) -> bool:
    rel = os.path.relpath(path, root)
    return rel != ".." and not rel.startswith(".." + os.sep)


def _filtered(path: str, root: str | None, filters: Filters, ignored) -> str | None:
    rel = globs.relative(path, root) if root else globs.relative(path, ".")
    cfg = filters.settings
    if cfg is not None and cfg.excluded(path):
        return f"excluded by `exclude` in {_SETTINGS}"
    if filters.exclude and globs.match_any(rel, filters.exclude):
        return "excluded by --exclude"
    # --include narrows the device configs; the settings' `alibaba` files stay, or every check would become a lint
    if filters.include and not globs.match_any(rel, filters.include) and not (cfg is not None and cfg.is_alibaba(path)):
        return "not matched by --include"
    if ignored is not None:
        files, folders = ignored
        if rel in files or any(rel.startswith(d) for d in folders):
            return "ignored by .gitignore"
    return None


def _blank(path: str) -> bool:
    """An empty (or whitespace-only) file: with a .json name or named by `alibaba`, an empty Alibaba file."""
    with open(path, "rb") as fh:
        return not fh.read(4096).strip()


def _is_json_quiet(path: str) -> bool:
    try:
        return is_json_file(path)
    except OSError:
        return False


def run_audit(paths: list[str], mapping: Mapping | None = None, disabled: frozenset[str] = frozenset(),
              jobs: int | None = None, progress=None, lint_unpaired: bool = False, filters: Filters | None = None,
              check_mapping: bool = False, fetched: list[AlibabaTunnel] | None = None,
              fetched_notes=(), excerpts: bool = False, each=None) -> AuditResult:
    """The audit of PATHS. A device no tunnel pairs with is always linted (``lint_unpaired`` is kept for
    callers). ``check_mapping``: report pairing rules that name an unknown connection or match no device.
    ``fetched``: tunnels read from the Alibaba API (audit --from-api), audited with those of the files;
    ``fetched_notes``: alibaba_api.Note's of that read (kept in ``notes``; ``partial`` ones mark their file as
    a list cut short, as a page of several does). ``each``: called with every device's outcome as it arrives (in
    file order) and the InputTexts; the outcome it returns is the one kept (the streaming report keeps a compact one)."""
    global _CTX
    sel, problems = select(paths, filters)
    json_files, device_files = [], []
    texts: dict[str, str] = {}  # inputs that are not regular files (audit <(...)): read here, once
    cfg = filters.settings if filters else None
    named = frozenset(os.path.normpath(f) for f in sel.devices
                      if os.path.normpath(f) in {os.path.normpath(p) for p in paths}
                      or (cfg is not None and cfg.is_alibaba(f)))
    terraform: list[str] = []  # folders holding .tf files: one Alibaba input each
    for f in sel.devices:
        if is_terraform_file(f):
            terraform.append(os.path.dirname(f) or ".")
            continue
        try:
            if stat.S_ISREG(os.stat(f).st_mode):
                meant_json = f.lower().endswith(".json") or (cfg is not None and cfg.is_alibaba(f))
                (json_files if is_json_file(f) or (meant_json and _blank(f)) else device_files).append(f)
            else:
                texts[f] = read_text(f)
                (json_files if looks_like_json(texts[f]) else device_files).append(f)
        except InputError as exc:
            problems.append(InputProblem(file=exc.file, line=exc.line, message=exc.message))
        except OSError as exc:
            problems.append(InputProblem(file=f, message=f"cannot read file: {exc.strerror or exc}"))
    skipped = sel.skipped
    notes: list[InputProblem] = []
    terraform = terraform_roots(list(dict.fromkeys(terraform)))  # a child module is read through its caller
    spool = Spool()
    tunnels, ali_problems = load_alibaba(json_files, texts, skipped, named, notes, terraform, spool)
    problems += ali_problems
    if fetched:  # (a set of every tunnel's key, dropped at once: it would stay for the whole audit)
        tunnels += [spool.add(t) for t in _new_tunnels(fetched, {t.dedup for t in tunnels if t.connection_id})]
    partial = {n.file for n in notes}
    for note in fetched_notes:  # "FILE: what"; an alibaba_api.Note's .partial: that region's list was cut short
        file, _, what = str(note).partition(": ")
        notes.append(InputProblem(file=file, message=what))
        if getattr(note, "partial", False):
            partial.add(file)
    mapping = mapping or Mapping()
    by_gateway: dict[str, list[TunnelRef]] = defaultdict(list)
    by_connection: dict[str, list[TunnelRef]] = defaultdict(list)  # read only for devices a pairing file maps
    for t in tunnels:
        if t.local_address:
            by_gateway[t.local_address].append(t)
        if mapping.rules:
            by_connection[t.connection_key].append(t)
            if t.connection_name and t.connection_id:
                by_connection[t.connection_name].append(t)
    lint_only = not tunnels
    spool.freeze()
    gateways = {k: packed(v) for k, v in by_gateway.items()}
    connections = {k: packed(v) for k, v in by_connection.items()}
    del by_gateway, by_connection  # the packed rows say the same in a fraction of the memory
    _CTX = _Context(tunnels, gateways, connections, mapping, disabled, lint_only,
                    lint_unpaired, texts, frozenset(partial), excerpts, spool)
    all_rules()  # import every rule module before forking, so workers start warm
    device_files.sort(key=display_path)  # outcomes arrive in this order (reports list devices by name)
    inputs = InputTexts({display_path(f): t for f, t in texts.items()}, {display_path(f): f for f in json_files})
    streaming, each = each is not None, each or (lambda o, _texts: o)
    paired = PairedMap()
    compared: set[tuple[str | None, str | None]] = set()  # tunnels a check ran for (a mapped device's PeerMismatch)
    counts = [0, 0]  # devices read, parsed

    def through(path: str, o: DeviceOutcome):
        _own_names(o, path)
        for k, v in o.paired.items():
            paired.add(k, v, path)
        # what _view reads of `compared` that `paired` does not say already: (id, id) of a tunnel whose key is
        # paired says nothing more (only that tunnel has that key); a None part may match other tunnels
        compared.update(c for c in o.compared if c[0] is None or c[1] is None or f"{c[0]}/{c[1]}" not in paired)
        counts[0] += 1
        counts[1] += o.error is None
        return each(o, inputs)

    # outcomes arrive in device_files' order (_map keeps it)
    outcomes = [o for o in map(through, device_files, _map(audit_device, device_files, jobs, progress))
                if o is not None]
    if check_mapping and mapping.rules:
        # globs are matched against every file walked: one the filters left out is not a stale entry
        problems += mapping.unused(device_files + [k.file for k in skipped], set(connections))
    view = None if lint_only else _view(tunnels, outcomes, spool, paired, compared, counts[1])
    cross = [] if lint_only else _cross_findings(view, disabled, tunnels, spool)
    n_json = len(json_files) + len(set(terraform)) + len({t.file for t in fetched or []}) \
        - sum(1 for k in skipped if k.reason.startswith("not a connection"))
    _CTX = None  # the models go with the spool
    if not streaming:  # the summary is read from the outcomes (the hook filters them first)
        return AuditResult(outcomes, tunnels, problems, cross, n_json, lint_only, skipped, notes, inputs)
    return AuditResult(outcomes, tunnels, problems, cross, n_json, lint_only, skipped, notes, inputs, paired,
                       counts[0], counts[1])


def _own_names(o: DeviceOutcome, path: str) -> None:
    """The outcome's device name replaced by the parent's equal string (the file list holds it anyway): the counts
    per device and the paired map would otherwise keep the worker's copy, one per device."""
    if o.file == path:
        o.file = path
        for p in o.results:
            if p.device == path:
                p.device = path


class PairedMap(_ReadOnlyMap):
    """tunnel key -> PairedWith (what the pairing and cross-connection rules read), kept as tuples whose device
    string is shared and vendor and kind interned: an object per paired tunnel added up in a large audit."""

    def __init__(self) -> None:
        self._rows: dict[str, tuple[str, str, str, str]] = {}

    def add(self, key: str, v: PairedWith, device: str) -> None:
        """``device``: the parent's string for this device (used when equal to ``v.device``)."""
        self._rows[key] = (device if v.device == device else v.device, sys.intern(v.vendor), v.endpoint,
                           sys.intern(v.kind))

    def __getitem__(self, key: str) -> PairedWith:
        return PairedWith(*self._rows[key])

    def __contains__(self, key) -> bool:
        return key in self._rows

    def __iter__(self):
        return iter(self._rows)

    def __len__(self) -> int:
        return len(self._rows)


def _view(tunnels: list[TunnelRef], outcomes: list[DeviceOutcome], spool: Spool, paired: dict[str, PairedWith],
          compared: set[tuple[str | None, str | None]], parsed: int):
    """What the pairing rules see: what paired with what, what stayed unpaired and why (the unpaired tunnels as
    full models; ``tunnels`` is left empty: the cross rules get them group by group, see _cross_findings)."""
    from analyzer.rules.pairing import PairingView, UnpairedDeviceSide

    view = PairingView([], paired)
    view.nothing_paired = not paired and parsed > 0  # devices given, none paired
    ambiguous: dict[str, list[str]] = defaultdict(list)
    for o in outcomes:
        for link in o.links:
            if link.tunnel is None and not link.dynamic:
                view.unpaired_endpoints.append(UnpairedDeviceSide(o.file, link.endpoint, link.peer, link.at,
                                                                  link.candidates))
                for key in link.candidates:
                    ambiguous[key].append(f"{link.endpoint} in {o.file}")
    unreadable = [u for o in outcomes for u in o.unreadable]
    by_gateway: dict[str, list[TunnelRef]] = defaultdict(list)
    for t in tunnels:
        by_gateway[t.local_address].append(t)
    for t in tunnels:
        key = t.key
        if key in paired or (t.connection_id, t.tunnel_id) in compared:
            continue
        gw = t.local_address
        if gw is None:
            view.unknown_gateways += 1
            why = ("its gateway IP is not in the input (no InternetIp, and LocalId is not an address); add the "
                   f"DescribeVpnGateway response{' of ' + t.vpn_gateway_id if t.vpn_gateway_id else ''} to the "
                   "audited files, or name its device in a pairing file")
        elif ambiguous.get(key):
            why = (f"{', '.join(ambiguous[key][:3])} fits it and other tunnels too; name the connection in a pairing "
                   "file")
        elif any(o.key in paired for o in by_gateway.get(gw, ())):
            why = (f"the devices that peer with {gw} paired with other connections of that gateway (told apart by "
                   "customer-gateway IP, then protected flows); name its device in a pairing file if this is wrong")
        else:
            why = f"no audited device peers with its gateway IP {gw} (from {spool.load(t).gateway_ip_origin})"
            if unreadable:
                why += f"; device lines that could not be read may be the missing peer: {', '.join(unreadable[:3])}"
        view.unpaired_tunnels.append((spool.load(t), why))
    return view


def _cross_findings(view: AuditView, disabled: frozenset[str], tunnels: list[TunnelRef], spool: Spool) -> list[Finding]:
    """The audit-scope rules. The pairing rules read the view's unpaired lists once; the cross-connection rules
    (analyzer/rules/cross.py) compare tunnels that share a connection or a gateway, so they run once per group of
    such tunnels (audit_tunnels.related_groups), with only that group's models loaded (memory flat in N)."""
    out: list[Finding] = []
    groups = None
    for r in all_rules():
        if r.scope != "audit" or r.code in disabled:
            continue
        if r.check.__module__ == "analyzer.rules.pairing":
            out.extend(finding_of(r, hit) for hit in r.check(view))
            continue
        groups = related_groups(tunnels) if groups is None else groups
        for group in groups:
            part = AuditView(spool.cross_records(group), view.paired)
            out.extend(finding_of(r, hit) for hit in r.check(part))
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
        # in order: the streaming report writes each device as it comes (a slow file holds back a few results)
        for i, result in enumerate(pool.imap(fn, items, chunksize=chunk), 1):
            yield result
            if progress and (i % 50 == 0 or i == total):
                progress(i, total)
    gc.unfreeze()



def to_report(result: AuditResult, version: str):
    from analyzer.findings import Report

    pairs = [r for o in result.outcomes for r in o.results]
    report = Report(version=version, pairs=pairs, errors=report_errors(result),
                    audit=summary_of(result, sum(1 for p in pairs if p.alibaba_file)))
    recount(report)
    return report


def report_errors(result: AuditResult) -> list[InputProblem]:
    errors = list(result.problems) + [o.error for o in result.outcomes if o.error]
    errors.sort(key=lambda e: (e.file, e.line or 0))
    return errors


def summary_of(result: AuditResult, checked: int):
    """The audit summary without its counts (recount sets them); ``checked``: pairs with an Alibaba side."""
    from analyzer.findings import AuditSummary, UnpairedEndpoint, UnpairedTunnel

    paired_keys = set(result.paired) if result.paired is not None else {k for o in result.outcomes for k in o.paired}
    read = len(result.outcomes) if result.devices_read is None else result.devices_read
    parsed = sum(1 for o in result.outcomes if o.error is None) if result.devices_parsed is None \
        else result.devices_parsed
    extra = {"skipped": [{"file": k.file, "reason": k.reason} for k in result.skipped], "notes": result.notes}
    summary = AuditSummary(
        mode="lint" if result.lint_only else "pair", files=read + result.alibaba_files,
        devices=parsed, alibaba_files=result.alibaba_files,
        connections=len({t.connection_key for t in result.tunnels}), tunnels=len(result.tunnels),
        pairs=0 if result.lint_only else checked, cross=result.cross, **extra)
    if not result.lint_only:
        summary.unpaired_tunnels = [
            UnpairedTunnel(connection=t.connection_id, connection_name=t.connection_name, tunnel=t.tunnel_id,
                           role=t.role, alibaba_file=t.file, gateway=t.local_address,
                           customer_gateway=t.peer_address)
            for t in result.tunnels if t.key not in paired_keys]
        for o in result.outcomes:
            for link in o.links:
                if link.tunnel is None and not link.dynamic:
                    item = UnpairedEndpoint(device=o.file, endpoint=link.endpoint, peer=link.peer,
                                            candidates=link.candidates)
                    (summary.ambiguous if link.candidates else summary.unpaired_endpoints).append(item)
    return summary


def recount(report) -> None:
    """The audit summary's counts per code, device and connection, from the report's findings (again after a
    baseline took some out)."""
    tally = Tally()
    for p in report.pairs:
        tally.pair(p)
    tally.cross(report.audit.cross)
    tally.into(report.audit)


# Severity -> bit offset of its count in a packed int (32 bits each; "suppressed" counts apart, as Counts.add does)
_LANE = {"error": 0, "warning": 32, "info": 64}
_SUPPRESSED = 96
_MASK = (1 << 32) - 1


def _bumped(packed: int, f) -> int:
    return packed + (1 << (_SUPPRESSED if f.suppressed else _LANE[f.severity]))


def counts_of(packed: int):
    """The Counts of a packed int (Tally.by_device / by_connection values)."""
    from analyzer.findings import Counts

    return Counts(error=packed & _MASK, warning=packed >> 32 & _MASK, info=packed >> 64 & _MASK,
                  suppressed=packed >> _SUPPRESSED)


def _worse(packed: int) -> bool:
    """Any error or warning (what the text summary lists)."""
    return bool(packed & ((1 << 64) - 1))


class Tally:
    """recount one pair at a time (the streaming report counts each device as it arrives). The counts per device
    and per connection are one int each (four 32-bit counts) until the summary is built: a pydantic Counts per
    device and per connection was the largest part of what an audit's parent kept per config."""

    def __init__(self) -> None:
        from analyzer.findings import Counts

        self.by_code: dict = {}
        self.by_device: dict[str, int] = {}
        self.by_connection: dict[str, int] = {}
        self.totals = Counts()

    def pair(self, p) -> None:
        from analyzer.findings import Counts

        dev = self.by_device.get(p.device, 0)
        conn = self.by_connection.get(p.connection or "?", 0) if p.alibaba_file else None
        for f in p.findings:
            self.by_code.setdefault(f.code, Counts()).add(f)
            self.totals.add(f)
            dev = _bumped(dev, f)
            if conn is not None:
                conn = _bumped(conn, f)
        self.by_device[p.device] = dev
        if conn is not None:
            self.by_connection[p.connection or "?"] = conn

    def cross(self, findings) -> None:
        from analyzer.findings import Counts

        for f in findings:
            self.by_code.setdefault(f.code, Counts()).add(f)
            self.totals.add(f)
            for c in f.related:
                self.by_connection[c] = _bumped(self.by_connection.get(c, 0), f)
            if f.device and f.device.file:  # an unpaired device tunnel
                self.by_device[f.device.file] = _bumped(self.by_device.get(f.device.file, 0), f)

    def into(self, summary, lists: str = "all") -> None:
        """The counts into ``summary``. ``lists``: which devices and connections get their Counts: "all", "worse"
        (those with an error or a warning: all the text summary reads), "none" (the JSON writer writes them from
        ``entries``)."""
        keep = {"all": lambda v: True, "worse": _worse, "none": lambda v: False}[lists]
        summary.by_code = dict(sorted(self.by_code.items()))
        summary.by_device = {k: counts_of(v) for k, v in self.by_device.items() if keep(v)}
        summary.by_connection = {k: counts_of(v) for k, v in sorted(self.by_connection.items()) if keep(v)}
        summary.totals = self.totals

    def entries(self, which: str):
        """(name, error, warning, info, suppressed) of every device (``which`` = "by_device", in the order
        counted) or connection ("by_connection", sorted), as the summary lists them."""
        items = self.by_device.items() if which == "by_device" else sorted(self.by_connection.items())
        for k, v in items:
            yield k, v & _MASK, v >> 32 & _MASK, v >> 64 & _MASK, v >> _SUPPRESSED


# --- settings for the `audit` command ----------------------------------------------------------------------

def find_settings(config: str | None, no_config: bool, paths: list[str]) -> str | None:
    """The settings file `audit` uses: --config FILE, else the `.ipsec-preflight.toml` found from the current
    folder up to the repository root (as the hook does), else - when one folder is audited - the one found
    from that folder; None with --no-config or when there is none."""
    from analyzer import project_config

    if no_config:
        return None
    if config:
        return config
    found = project_config.find(".")
    if found is None and len(paths) == 1 and os.path.isdir(paths[0]):
        found = project_config.find(paths[0])
    return found


def load_settings(path: str | None):
    """The loaded settings (None for none); a bad settings file is an InputError."""
    from analyzer import project_config

    return project_config.load(path) if path else None


def _level_and_disabled(cfg, fail_on: str | None, file: str | None) -> tuple[str, frozenset[str]]:
    level, disabled = cfg.for_file(file) if cfg is not None and file else (None, frozenset())
    return fail_on or level or (cfg.fail_on if cfg is not None else "error"), disabled


def apply_overrides(result: AuditResult, cfg, fail_on: str | None) -> bool:
    """Drop the codes the settings disable for each file ([[override]] disable) before the report is built,
    and tell whether a finding reaches its file's fail-on level (--fail-on when given, else the file's level
    in the settings)."""
    overrides = Overrides(cfg, fail_on)
    for o in result.outcomes:
        overrides.outcome(o)
    result.cross = overrides.keep(result.cross, None)
    return overrides.failing


class Overrides:
    """apply_overrides one device at a time (the streaming report applies them as outcomes arrive)."""

    def __init__(self, cfg, fail_on: str | None) -> None:
        self.cfg, self.fail_on, self.failing = cfg, fail_on, False

    def outcome(self, o: DeviceOutcome) -> DeviceOutcome:
        for p in o.results:
            p.findings = self.keep(p.findings, p.device)
        return o

    def keep(self, findings: list[Finding], file: str | None) -> list[Finding]:
        from analyzer.findings import RANK

        kept = []
        for f in findings:
            level, disabled = _level_and_disabled(self.cfg, self.fail_on,
                                                  f.device.file if f.device and f.device.file else file)
            if f.code not in disabled:
                kept.append(f)
                self.failing |= not f.suppressed and RANK[f.severity] >= RANK[level]
        return kept


def reaches(f: Finding, file: str | None, cfg, fail_on: str | None) -> bool:
    """Whether a reported finding reaches its file's fail-on level."""
    from analyzer.findings import RANK

    level, _ = _level_and_disabled(cfg, fail_on, f.device.file if f.device and f.device.file else file)
    return not f.suppressed and RANK[f.severity] >= RANK[level]


def fails(report, cfg, fail_on: str | None) -> bool:
    """Whether a reported finding reaches its file's fail-on level (as apply_overrides decides; again after a
    baseline took findings out)."""
    return any(reaches(f, p.device, cfg, fail_on) for p in report.pairs for f in p.findings) or \
        any(reaches(f, None, cfg, fail_on) for f in (report.audit.cross if report.audit else []))
