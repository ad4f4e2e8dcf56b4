"""`ipsec-preflight explain`: an Alibaba error code, IPsec log lines or a DiagnoseVpnConnections result turned
into Alibaba's causes (analyzer/catalog.py) and, given the two configs, into the findings that produce them.

Everything here builds plain data (dicts, the JSON output as it stands); ``render_text`` / ``render_json`` only
format it. The data is built in the output language (analyzer/i18n.py): the table's prose and our rules' texts go
through _() here; codes, log keywords, log lines and field names stay as they are."""
from __future__ import annotations

import difflib
import json
import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from functools import lru_cache
from pathlib import Path

from analyzer.catalog import (CODES, OUR_KEYWORDS, OURS, PATTERNS, SOURCE, STATUSES, UNVERIFIED_WORDING, Code,
                              lookup)
from analyzer.explain_samples import example_fixes
from analyzer.i18n import N_, _
from analyzer.redact import MASK, shown
from analyzer.reporters.ci_summary import severity_word

MAX_LINES_SHOWN = 5  # matched log lines quoted per code; the rest are counted


class UnknownCode(ValueError):
    """Neither an Alibaba code of the table nor a rule code; the message names the closest ones."""


# --- log matching --------------------------------------------------------------------------------------------

def normalize(text: str) -> str:
    """Lower case, apostrophes dropped (`couldn't` = `couldnt`), every run of punctuation, `_` or whitespace one
    space: `received NO_PROPOSAL_CHOSEN` and `Received no-proposal-chosen` read the same."""
    text = text.lower().replace("'", "").replace("\u2019", "")
    return " ".join(re.sub(r"[\W_]+", " ", text).split())


def _edge(ch: str) -> bool:
    return ch.isascii() and ch.isalnum()


@lru_cache(maxsize=None)
def compile_keyword(keyword: str) -> re.Pattern:
    """A catalog keyword as a regular expression over a normalized line (syntax: analyzer/catalog.py)."""
    if keyword in PATTERNS:
        return re.compile(PATTERNS[keyword])
    marked = keyword.replace("#", " qqnumqq ").replace("*", " qqanyqq ")
    words = normalize(marked).split()
    parts = [r"\d+" if w == "qqnumqq" else r"\S+(?: \S+){0,7}?" if w == "qqanyqq" else re.escape(w) for w in words]
    body = " ".join(parts)
    head = r"(?<![a-z0-9])" if _edge(words[0][0]) or words[0] == "qqnumqq" else ""
    tail = r"(?![a-z0-9])" if _edge(words[-1][-1]) or words[-1] == "qqnumqq" else ""
    return re.compile(head + body + tail)


# Words without which a translated keyword cannot match (its pattern allows English or Chinese wording).
_PATTERN_ANCHORS = {"Received KE type 14, expected 2": ("expected", "expect", "期望", "预期"),
                    "message lacks KE payload": ("payload", "载荷"),
                    "ignore information because ISAKMP-SA has not been established yet": ("isakmp",)}
_WORD = re.compile(r"[a-z0-9]+")
_COMMON = frozenset({"received", "request", "message", "notify", "sending", "failed"})  # poor anchors: on most lines


def _all_keywords():
    """(code, keyword) of the table, then ours (catalog.OUR_KEYWORDS), then each code's own name."""
    for c in CODES:
        for k in c.keywords:
            yield c, k
    for k, (codes, _why) in OUR_KEYWORDS.items():
        for code in codes:
            yield lookup(code), k
    for c in CODES:
        yield c, c.code


def our_reason(keyword: str) -> str | None:
    """Why a keyword that is not the table's counts (None for the table's own)."""
    if keyword in OUR_KEYWORDS:
        return _(OUR_KEYWORDS[keyword][1])
    return _("the line names the code") if lookup(keyword) else None


@lru_cache(maxsize=1)
def _checks() -> tuple[dict[str, list], list[tuple[str, list]]]:
    """Keywords by anchor: ({ASCII word: [(order, code, keyword, pattern)]}, [(Chinese text, [...])]). A keyword
    is tried only on a line that holds one of its anchors (its longest word but `received`, `request`...): most lines
    of a log hold none, and looking a line's words up in a dict is cheap."""
    words: dict[str, list] = {}
    chinese: dict[str, list] = {}
    for order, (c, k) in enumerate(_all_keywords()):
        words_of_k = normalize(k.replace("#", " ")).split()
        anchors = _PATTERN_ANCHORS.get(k) or (max([w for w in words_of_k if w not in _COMMON] or words_of_k,
                                                  key=len),)
        for a in anchors:
            (words if a.isascii() else chinese).setdefault(a, []).append((order, c, k, compile_keyword(k)))
    return words, list(chinese.items())


@lru_cache(maxsize=1)
def _sharing() -> dict[str, int]:
    """How many codes list each keyword (`authentication failure` is under four)."""
    count: dict[str, int] = {}
    for _code, k in _all_keywords():
        count[k] = count.get(k, 0) + 1
    return count


_STATUS_HINTS = ("协商失败", "negotiation failed")  # a console status line holds one of these

# Lines of other programs in a shared syslog: PAM, sshd, sudo and login write `authentication failure` too.
_NOT_IKE = re.compile(r"(?i)\bpam_\w+|(?<![\w-])(?:sshd|sudo|su|login|systemd-logind|polkitd|gdm-password|dovecot|"
                      r"vsftpd|cron|crond|passwd|postfix/\w+|saslauthd)(?:\[\d+\])?:")
# Keywords too generic to count without a sign that the line is about IKE/IPsec (our choice, not the table's).
GENERIC_KEYWORDS = frozenset({"authentication failure"})
_IKE_CONTEXT = re.compile(r"(?i)(?<![a-z])(?:ike(?:v[12])?|isakmp|ipsec|charon|pluto|racoon|strongswan|libreswan|"
                          r"iked|esp|vpn|vco|tunnel|crypto|phase ?[12]|sa)(?![a-z])|协商|隧道|预共享|野蛮模式|主模式")


@dataclass
class LineHit:
    number: int  # 1-based line of the log
    text: str  # the line as shown: key material masked
    keywords: list[str]


@dataclass
class CodeHits:
    code: Code
    score: float = 0.0
    lines: list[LineHit] = field(default_factory=list)
    more: int = 0  # matched lines not quoted


_ASSIGNED_SECRET = re.compile(
    r"""(?ix)((?:\b(?:psk|ike[-_]?psk|pre[-_ ]?shared[-_ ]?keys?|preshared[-_ ]?keys?|secrets?|passwords?)\b
               ["']?\s*(?:=>|[:=]|\bis\b)?  # also a JSON/dict key: "psk": "x", 'psk': 'x', psk => 'x'
             |\b[\w-]*(?:key|psk|secret|passw(?:or)?d)s?["']?\s*(?:=>|[:=])  # `key=`, `leftpsk=`; not `key exchange`
             |(?:预共享密钥|共享密钥|密钥|密码)\s*[:：=]?)\s*)("[^"]*"|'[^']*'|\S+)""")
# A table keyword naming key material with nothing after it: no secret follows, shown as written.
_NO_SECRET_AFTER = re.compile(r"(?i)\bpreshared secrets([.!,;]?\s*)$")
_HOLD = "\x00"


def mask_log_line(line: str) -> str:
    """A pasted log line as it may be shown: `psk=...`, `key: ...`, `PSK: ...`, `secret "..."`, `预共享密钥：...`
    values masked (forms a log writes that a device config does not), then the config-line masking of
    analyzer/redact.py (a pasted config line)."""
    def mask(m: re.Match) -> str:
        value = m.group(2)
        keep = value.lower().strip(".,;") in ("mismatch", "mismatched", "failed", "of") or value == MASK
        return m.group(0) if keep else m.group(1) + MASK
    held = _NO_SECRET_AFTER.search(line)  # else `secrets.` is read as the key after `preshared`
    head = line[:held.start()] + _HOLD if held else line
    return shown(_ASSIGNED_SECRET.sub(mask, head)).replace(_HOLD, held.group(0) if held else "")


def match_log(lines) -> tuple[list[CodeHits], int, list[tuple[int, str, tuple]]]:
    """(codes found, best first; lines read; console status lines [(line, shown text, status)]) for the lines of a
    log. A keyword counts its words, divided among the codes that list it (`authentication failure` is under four):
    the longer, more specific keyword ranks its code first (`proposal mismatch, transform type:4`: DhGroupMismatch,
    then ProposalMismatch)."""
    hits: dict[str, CodeHits] = {}
    statuses: list[tuple[int, str, tuple]] = []
    sharing = _sharing()
    read = 0
    for number, raw in enumerate(lines, 1):
        read = number
        lower = raw.lower()
        by_word, by_text = _checks()
        candidates = {x for w in set(_WORD.findall(lower)) for x in by_word.get(w, ())}
        candidates.update(x for text, xs in by_text if text in raw for x in xs)
        candidates = [x[1:] for x in sorted(candidates, key=lambda x: x[0])]  # the table's order
        norm = normalize(raw) if candidates or any(s in lower for s in _STATUS_HINTS) else ""
        if not norm or _NOT_IKE.search(raw):
            continue
        found = [(c, k) for c, k, rx in candidates if rx.search(norm)  # (code, keyword)
                 and (k not in GENERIC_KEYWORDS or _IKE_CONTEXT.search(raw))]
        if not found:
            for status in STATUSES:
                if any(normalize(s) in norm for s in status[0]):
                    statuses.append((number, mask_log_line(raw.rstrip("\r\n")), status))
                    break
            continue
        text = mask_log_line(raw.rstrip("\r\n"))
        per_code: dict[str, list[str]] = {}
        for c, k in found:
            weight = len(normalize(k).split()) / sharing[k]
            entry = hits.setdefault(c.code, CodeHits(c))
            entry.score += weight
            per_code.setdefault(c.code, []).append(k)
        for code, keywords in per_code.items():
            entry = hits[code]
            if len(entry.lines) < MAX_LINES_SHOWN:
                entry.lines.append(LineHit(number, text, keywords))
            else:
                entry.more += 1
    order = {c.code: i for i, c in enumerate(CODES)}
    ranked = sorted(hits.values(), key=lambda h: (-h.score, order[h.code.code]))
    return ranked, read, statuses


# --- rule codes -------------------------------------------------------------------------------------------------

def _rules():
    from analyzer.rules import all_rules

    return all_rules()


def resolve(code: str) -> tuple[Code | None, object | None]:
    """(table entry, rule) named by ``code``, any case; either may be None, not both (else UnknownCode)."""
    entry = lookup(code)
    rule = next((r for r in _rules() if r.code.lower() == code.strip().lower()), None)
    if entry is None and rule is None:
        names = sorted({c.code for c in CODES} | {r.code for r in _rules()})
        by_lower = {n.lower(): n for n in names}
        close = difflib.get_close_matches(code.strip().lower(), list(by_lower), n=3, cutoff=0.6)
        hint = _("; did you mean {codes}?").format(codes=_(" or ").join(by_lower[c] for c in close)) if close else ""
        raise UnknownCode(_("unknown code {code}: not an Alibaba error code of the table nor a rule code{hint} "
                            "(`ipsec-preflight rules` lists the rule codes)").format(code=repr(code.strip()),
                                                                                     hint=hint))
    return entry, rule


def rules_predicting(code: str) -> list:
    """Our rules whose findings Alibaba would report as ``code``."""
    return [r for r in _rules() if r.alibaba_code == code]


# --- tie-in with the configs ---------------------------------------------------------------------------------

@dataclass
class Checked:
    """What `check CONNECTION DEVICE` found, kept for the tie-in."""
    pairs: list = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # input problems, located
    notes: list[str] = field(default_factory=list)  # what the check compared with instead (as `check` notes it)
    ike_versions: dict = field(default_factory=dict)  # (connection id, tunnel id): Alibaba's IKE version


def run_check(connection: str, device: str, vendor: str = "auto") -> Checked:
    """The check `ipsec-preflight check` runs (loading as cli.check does, without its extra lookups)."""
    from analyzer.checker import check
    from parsers import alibaba
    from parsers.common import InputError, read_text
    from parsers.registry import parse_device

    out = Checked()
    bad: list[InputError] = []
    tunnels, dev = [], None
    try:
        terraform = Path(connection).is_dir() or connection.lower().endswith(".tf")  # read by its path
        text = None if terraform else read_text(connection)
        tunnels = alibaba.load(connection, alibaba.Lookups(), errors=bad, text=text)
    except InputError as exc:
        bad.append(exc)
    try:
        dev = parse_device(read_text(device), device, vendor)
    except InputError as exc:
        bad.append(exc)
    out.errors = [str(e) for e in bad]
    if tunnels and dev is not None:
        from analyzer.rules.addressing import stand_ins

        out.pairs = check(tunnels, dev)
        out.ike_versions = {(t.connection_id, t.tunnel_id): t.endpoint.ike.version for t in tunnels}
        note = _("{file}: connection {connection}: {note}")
        out.notes = list(dict.fromkeys(note.format(file=t.file, connection=t.connection_id or t.connection_name or "?",
                                                   note=n) for t in tunnels for n in stand_ins(t)))
    return out


def _where(f) -> str:
    parts = []
    if f.device and f.device.file:
        loc = f"{f.device.file}:{f.device.line}" if f.device.line else f.device.file
        parts.append(_("device {where}").format(where=loc) + (f"  {f.device.text}" if f.device.text else "")
                     + ("  " + _("(default: {default})").format(default=f.device.default)
                        if f.device.default and not f.device.line else ""))
    if f.alibaba and f.alibaba.field:
        loc = f"{f.alibaba.file}:{f.alibaba.line}" if f.alibaba.file and f.alibaba.line else (f.alibaba.file or "")
        parts.append(_("Alibaba {field}").format(field=f.alibaba.field)
                     + (f" = {f.alibaba.value}" if f.alibaba.value else "")
                     + (_(" ({note})").format(note=loc) if loc else ""))
    return _("; ").join(parts)


# Findings that say a tunnel was not (fully) compared: a verdict of "no finding" means nothing for it then.
_NOT_COMPARED = ("DeviceConfigIncomplete", "UnparsedConfig", "NoTunnelOnDevice", "UnpairedAlibabaTunnel",
                 "UnpairedDeviceTunnel")
# A Terraform value not known (plan: after apply; HCL: unresolved): any code may hinge on it, so an info
# finding of this code keeps a verdict from being "not explained" too (it names the field).
_UNKNOWN_VALUE = "KnownAfterApply"
# The table's cause 4 of PeerIdMismatch ("Jika versi IKE ... adalah ikev2"): algorithm mismatches show as an
# identity mismatch on IKEv2 only.
_IKEV2_ONLY = {"PeerIdMismatch": ("EncryptionAlgorithmMismatch", "AuthenticationAlgorithmMismatch",
                                  "DhGroupMismatch", "AlgorithmMismatch", "ProposalMismatch", "MultipleProposals")}


def _row(f, p) -> dict:
    return {"code": f.code, "severity": f.severity, "message": f.message, "where": _where(f),
            "connection": p.connection, "tunnel": p.tunnel, "suppressed": f.suppressed,
            "device_file": f.device.file if f.device else None,
            "device_line": f.device.line if f.device else None}


def _pairs_for(pairs: list, connection_id: str | None, tunnel_id: str | None) -> tuple[list, str | None]:
    """(the pairs of that connection/tunnel, a note when it is not in the checked files)."""
    if connection_id:
        pairs = [p for p in pairs if p.connection == connection_id]
        if not pairs:
            return [], _("connection {connection} is not in the connection file: its configs were not compared").format(
                connection=connection_id)
    if tunnel_id and any(p.tunnel for p in pairs):  # a single-tunnel connection file names no tunnel
        pairs = [p for p in pairs if p.tunnel == tunnel_id]
        if not pairs:
            return [], _("tunnel {tunnel} is not in the connection file: its configs were not compared").format(
                tunnel=tunnel_id)
    return pairs, None


def tie(code: str, entry: Code | None, checked: Checked, connection_id: str | None = None,
        tunnel_id: str | None = None) -> dict:
    """The findings that produce ``code``: direct (the rule predicts that code) and contributing (a cause the table
    lists for it), for the given connection/tunnel when it is in the checked files. ``explained`` is True when an
    error or warning leads to the code, False when every tunnel was compared and none does, None when a tunnel
    was not (fully) compared: ``not_compared`` lists why (an undefined object there is a likely cause itself)."""
    runtime = [_(r) for r in entry.runtime] if entry else []
    pairs, note = _pairs_for(checked.pairs, connection_id, tunnel_id)
    if note and checked.pairs:
        return {"direct": [], "contributing": [], "not_compared": [], "explained": None, "runtime": runtime,
                "note": note}
    related = set(entry.related) if entry else set()
    direct, contributing, blocked = [], [], []
    for p in pairs:
        ikev2 = checked.ike_versions.get((p.connection, p.tunnel)) == "ikev2"
        mine = related - (set() if ikev2 else set(_IKEV2_ONLY.get(code, ())))
        if p.endpoint is None:  # no device tunnel for it: its PeerMismatch / NoTunnelOnDevice says why
            blocked += [_row(f, p) for f in p.findings if f.severity != "info"]
        for f in p.findings:
            if f.code in _NOT_COMPARED and f.code != code and p.endpoint is not None:
                blocked.append(_row(f, p))
            elif f.code == _UNKNOWN_VALUE and f.code != code and not (p.endpoint is None and f.severity != "info"):
                blocked.append(_row(f, p))
            if f.alibaba_code == code or f.code == code:
                direct.append(_row(f, p))
            elif f.code in mine:
                contributing.append(_row(f, p))
    blocked = [b for b in blocked if b not in direct + contributing]  # said once, as the cause it is
    found = any(f["severity"] != "info" for f in direct + contributing)  # suppressed inline: Alibaba still sees it
    explained = True if found else None if blocked or not pairs else False
    return {"direct": direct, "contributing": contributing, "not_compared": blocked, "note": None,
            "explained": explained, "runtime": runtime}


# --- the three inputs ---------------------------------------------------------------------------------------------

def _text_of(text: str) -> str:
    """A rule's text in the output language; "" as it is (gettext("") would be the catalog's header)."""
    return _(text) if text else text


def code_doc(entry: Code | None, rule) -> dict:
    """Everything `explain CODE` prints about one code."""
    doc: dict = {"code": (entry or rule).code, "source": _(SOURCE) if entry else None}
    if entry:
        doc.update(console=_(entry.console), meaning=_(entry.meaning), causes=[_(c) for c in entry.causes],
                   keywords=list(entry.keywords), runtime=[_(r) for r in entry.runtime],
                   unverified_keywords=list(entry.translated),
                   rules=[{"code": r.code, "severity": r.severity, "doc": r.doc} for r in rules_predicting(entry.code)],
                   related_rules=[c for c in dict.fromkeys(entry.related)
                                  if c != entry.code and c not in {r.code for r in rules_predicting(entry.code)}])
    if rule:
        alibaba = lookup(rule.alibaba_code) if rule.alibaba_code else None
        doc["rule"] = {"code": rule.code, "title": _(rule.title), "severity": rule.severity, "what": _text_of(rule.doc),
                       "why": "\n\n".join(_(p) for p in rule.notes.split("\n\n") if p) or None,
                       "catalog": _text_of(rule.catalog), "alibaba_code": rule.alibaba_code,
                       "alibaba_console": _(alibaba.console) if alibaba else None,
                       "alibaba_message": _(alibaba.meaning) if alibaba else None,
                       "lint": bool(rule.lint), "scope": rule.scope,
                       "deviations": [{"name": d.name, "text": _(d.text), "source": d.source}
                                      for d in getattr(rule, "deviations", None) or ()],
                       "docs": f"docs/rules.md#{rule.code.lower()}",
                       "fix_examples": example_fixes(rule.code)}
    return doc


class NotADiagnosis(ValueError):
    """A JSON file that is no DiagnoseVpnConnections response."""


def diagnosis_entries(text: str, file: str) -> list[dict]:
    """The VpnConnections[] items of a DiagnoseVpnConnections response (bare, or under `body` as SDKs print it)."""
    try:
        data = json.loads(text)
    except ValueError as exc:
        line = getattr(exc, "lineno", None)
        raise NotADiagnosis(_("{where}: not valid JSON").format(where=f"{file}{':' + str(line) if line else ''}")) \
            from None
    if isinstance(data, dict) and isinstance(data.get("body"), dict):
        data = data["body"]
    items = data.get("VpnConnections") if isinstance(data, dict) else None
    if isinstance(items, dict):  # XML-to-JSON style: {"VpnConnection": [...]}
        items = items.get("VpnConnection")
    if not isinstance(items, list) or not all(isinstance(i, dict) for i in items) \
            or (items and not any("FailedReasonCode" in i for i in items)):
        raise NotADiagnosis(_("{file}: not a DiagnoseVpnConnections response (no VpnConnections[] with "
                              "FailedReasonCode)").format(file=file))
    if not items:
        raise NotADiagnosis(_("{file}: the DiagnoseVpnConnections response lists no connection: nothing to "
                              "explain").format(file=file))
    return items


def _when(ms) -> str | None:
    if not ms:
        return None
    try:
        return datetime.fromtimestamp(int(ms) / 1000, tz=timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _text(value, cap: int = 300) -> str:
    return shown(str(value))[:cap] if value not in (None, "") else ""


def _param(item: dict, name: str, entry: Code | None) -> str | None:
    """A mismatched value; for a key mismatch (or a code we cannot tell) it may be the key itself: masked."""
    value = _text(item.get(name), 100) or None
    # masked unless the code is known and is not about the key (an empty or unknown code may be a key mismatch)
    return MASK if value and (entry is None or entry.code == "PskMismatch") else value


_TEXT_FIELDS = ("VpnConnectionId", "TunnelId", "FailedReasonCode", "FailedReason", "Severity", "SourceLog",
                "MismatchLocalParam", "MismatchRemoteParam")
_KINDS = {list: N_("a list"), dict: N_("an object"), bool: N_("true/false"), int: N_("a number"),
          float: N_("a number")}
_A_VALUE, _TEXT = N_("a value"), N_("text")


def entry_problems(item: dict, index: int, file: str) -> list[str]:
    """Fields of a VpnConnections[] item that are not what DiagnoseVpnConnections returns (text; FailedTime in
    milliseconds): located, so a hand-edited file is fixed rather than shown as Python values."""
    out = []
    for name in _TEXT_FIELDS:
        value = item.get(name)
        if value is not None and not isinstance(value, str):
            got = _(_KINDS.get(type(value), _A_VALUE))
            out.append(_("{where}: expected text, got {kind}").format(
                where=f"{file}: VpnConnections[{index}].{name}", kind=got))
    when = item.get("FailedTime")
    if when not in (None, "") and (isinstance(when, bool) or not str(when).strip().isdigit()):
        out.append(_("{where}: expected milliseconds since 1970 (a number), got {kind}").format(
            where=f"{file}: VpnConnections[{index}].FailedTime", kind=_(_KINDS.get(type(when), _TEXT))))
    return out


def explain_diagnosis(items: list[dict], checked: Checked | None, file: str = "<diagnosis>",
                      errors: list[str] | None = None) -> list[dict]:
    """One explanation per entry: its code from the table, its SourceLog matched against the keywords, and the
    findings behind it for that connection when the configs were given. An entry with wrongly typed fields is
    left out, its problems added to ``errors``."""
    out = []
    for i, item in enumerate(items):
        problems = entry_problems(item, i, file)
        if problems:
            if errors is not None:
                errors += problems
            continue
        raw_code = _text(item.get("FailedReasonCode"), 100)
        entry = lookup(raw_code) if raw_code else None
        log = str(item.get("SourceLog") or "")
        log_hits, _read, _statuses = match_log(log.split("\n")) if log else ([], 0, [])
        row = {"index": i, "connection": _text(item.get("VpnConnectionId"), 100) or None,
               "tunnel": _text(item.get("TunnelId"), 100) or None,
               "severity": _text(item.get("Severity"), 40) or None,
               "failed_time": _when(item.get("FailedTime")),
               "code": (entry.code if entry else raw_code) or None,  # the table's spelling, whatever the case
               "reason": _text(item.get("FailedReason")) or None,
               "mismatch_alibaba": _param(item, "MismatchLocalParam", entry),
               "mismatch_peer": _param(item, "MismatchRemoteParam", entry),
               "log": mask_log_line(log) if log else None,
               "log_codes": [h.code.code for h in log_hits],
               "known": entry is not None,
               "doc": code_doc(entry, None) if entry else None}
        if checked is not None and raw_code:
            row["configs"] = tie(entry.code if entry else raw_code, entry, checked, row["connection"], row["tunnel"])
        out.append(row)
    return out


# --- rendering ------------------------------------------------------------------------------------------------

def _code_lines(doc: dict, brief: bool = False) -> list[str]:
    """The text of one code's docs; ``brief`` (under a log line or a diagnosis entry): meaning and causes only."""
    out = []
    sep = _("; ")
    if "console" in doc:
        out += [f"{doc['code']}: {doc['console']}", _("  Means: {meaning}").format(meaning=doc["meaning"]),
                _("  Likely causes, in the order of Alibaba's table, and what to check:")]
        out += [f"    {n}. {c}" for n, c in enumerate(doc["causes"], 1)]
        runtime = _("  Not visible in the configs: {causes}").format(causes=sep.join(doc["runtime"]))
        if brief:
            return out + ([runtime] if doc["runtime"] else [])
        if doc["keywords"]:
            unverified = _(UNVERIFIED_WORDING)
            out.append(_("  Log keywords: {keywords}").format(keywords=sep.join(
                _("{keyword} ({note})").format(keyword=k, note=unverified) if k in doc["unverified_keywords"] else k
                for k in doc["keywords"])))
        else:
            out.append(_("  Log keywords: none in Alibaba's table"))
        if doc["runtime"]:
            out.append(runtime)
        if doc["rules"]:
            rules = [_("{code} ({severity})").format(code=r["code"], severity=severity_word(r["severity"]))
                     for r in doc["rules"]]
            out.append(_("  Predicted before deployment by: {rules}").format(rules=_(", ").join(rules)))
        else:
            out.append(_("  Predicted before deployment by: no rule (a runtime condition)"))
        if doc["related_rules"]:
            out.append(_("  Also caused by what these rules find: {rules}").format(
                rules=_(", ").join(doc["related_rules"])))
        out.append(_("  Source: {source}").format(source=doc["source"]))
    if "rule" in doc:
        out += _rule_lines(doc["rule"])
    return out


def _rule_lines(r: dict) -> list[str]:
    scope = (_("; also checked by lint") if r["lint"] else _("; audit only") if r["scope"] == "audit" else "")
    out = [_("Rule {code}: {title} (severity {severity}{scope})").format(
               code=r["code"], title=r["title"], severity=severity_word(r["severity"]), scope=scope),
           _("  What: {what}").format(what=r["what"])]
    if r["why"]:
        out += [_("  Why / limits: {line}").format(line=line) for line in r["why"].split("\n") if line.strip()]
    for d in r["deviations"]:
        out.append(_("  Deviation from the protocol (Alibaba stricter): {name}: {text} Source: {source}.").format(
            name=d["name"], text=d["text"], source=d["source"]))
    out.append(_("  Alibaba's catalog: {text}").format(text=r["catalog"]))
    if r["alibaba_code"]:
        out.append(_("  Alibaba reports it as {code}").format(code=r["alibaba_code"])
                   + (_(": {console} - {meaning}").format(console=r["alibaba_console"], meaning=r["alibaba_message"])
                      if r["alibaba_console"] else ""))
    else:
        out.append(_("  Alibaba reports no code for it (advisory)"))
    if r["fix_examples"] is None:
        out.append(_("  Fix per vendor: none written by a fixer for this rule (the finding's message says what to "
                     "change)"))
    else:
        out.append(_("  Fix per vendor, as each vendor's fixer writes it for a sample tunnel (aes, sha256, group14, "
                     "86400 s; `check` writes it for your device's own objects and Alibaba's values):"))
        for vendor, fix in r["fix_examples"].items():
            out.append(f"    {vendor}:")
            out += [f"      {line}" for line in fix["device"]]
            if fix["note"]:
                out.append("      " + _("({note})").format(note=fix["note"]))
    out.append(_("  Docs: {where}").format(where=r["docs"]))
    return out


def _tie_lines(code: str, t: dict, alibaba: bool = True) -> list[str]:
    """``alibaba``: ``code`` is one of Alibaba's (else a rule code Alibaba has no name for)."""
    out = []
    if t.get("note"):
        out.append(_("  Note: {note}").format(note=t["note"]))
    if t["explained"] is None and not t.get("not_compared"):
        return out if t.get("note") else out + [_("  Configs: not compared (no tunnel of the connection file was "
                                                  "checked against the device)")]
    for kind, rows in (("direct", t["direct"]), ("contributing", t["contributing"])):
        for f in rows:
            lead = (_("Note (info) for {code}: ") if f["severity"] == "info"
                    else (_("Alibaba reports {code}: ") if alibaba else _("Found: ")) if kind == "direct"
                    else _("Can also produce {code}: ")).format(code=code)
            out.append(f"  {lead}[{f['code']}] {f['message']}"
                       + (_(" (suppressed inline)") if f["suppressed"] else ""))
            if f["where"]:
                out.append(_("      at {where}").format(where=f["where"]))
    for f in t.get("not_compared", []):
        loc = (f"{f['device_file']}:{f['device_line']}" if f["device_line"] else f["device_file"]
               or f["where"] or "?")  # a Terraform value: "Alibaba FIELD (file:line)"
        out.append(_("  not compared: [{code}] {message} at {where}").format(code=f["code"], message=f["message"],
                                                                            where=loc))
    if t["explained"] is None:
        out.append(_("  Whether the configs explain {code} is unknown: the finding(s) above kept the check from "
                     "comparing all of it (an undefined or unparsed object named there may be the cause itself).")
                   .format(code=code))
    elif not t["explained"]:
        out.append(_("  The configs do not explain {code}: no error or warning of the check leads to it.")
                   .format(code=code))
        if t["runtime"]:
            out.append(_("  Causes that remain (runtime, not in the configs): {causes}").format(
                causes=_("; ").join(t["runtime"])))
        else:
            out.append(_("  Check the causes above that a comparison of the configs cannot see."))
    return out


def _matched(h: dict, line: dict) -> str:
    """`matched: keyword (not in Alibaba's table: why); ...` for one quoted log line."""
    ours = _(OURS)
    said = _("; ").join(_("{keyword} ({label}: {reason})").format(keyword=k, label=ours, reason=our_reason(k))
                        if our_reason(k) else k for k in line["keywords"])
    if any(k in h["doc"]["unverified_keywords"] for k in line["keywords"]):
        said += _(" ({note})").format(note=_(UNVERIFIED_WORDING))
    return _("      matched: {keywords}").format(keywords=said)


def _log_lines(result: dict) -> list[str]:
    out = []
    if not result["codes"] and not result["statuses"]:
        out.append(_("No line of {file} ({count} line(s) read) holds a log keyword of Alibaba's table: no code "
                     "found.").format(file=result["file"], count=result["lines_read"]))
    for h in result["codes"]:
        out.append(_("{code} (score {score}): {console} - {meaning}").format(
            code=h["code"], score=f"{h['score']:.2f}", console=h["doc"]["console"], meaning=h["doc"]["meaning"]))
        for line in h["lines"]:
            out.append(f"  {result['file']}:{line['number']}: {line['text']}")
            out.append(_matched(h, line))
        if h["more"]:
            out.append(_("  ... and {count} more matching line(s)").format(count=h["more"]))
        out += ["  " + line for line in _code_lines(h["doc"], brief=True)[2:]]
        if "configs" in h:
            out += _tie_lines(h["code"], h["configs"])
    for s in result["statuses"]:
        out.append(_("Console status at {where}: {text}").format(where=f"{result['file']}:{s['number']}",
                                                                  text=s["text"]))
        out.append(_("  Causes the FAQ lists: {causes}").format(causes=_("; ").join(s["causes"])))
        out.append(_("  Codes to look for: {codes}").format(codes=_(", ").join(s["codes"])))
    return out


def _diagnosis_lines(result: dict) -> list[str]:
    out = []
    for e in result["entries"]:
        head = _("Connection {connection}").format(connection=e["connection"] or "?") \
            + (_(" tunnel {tunnel}").format(tunnel=e["tunnel"]) if e["tunnel"] else "")
        when = (_(" ({severity}, {time})") if e["failed_time"] else _(" ({severity})")).format(
            severity=e["severity"], time=e["failed_time"]) if e["severity"] else ""
        out.append(_("{connection}: {code}").format(
            connection=head, code=e["code"] or _("no failure reported (no FailedReasonCode)")) + when)
        if e["reason"]:
            out.append(_("  Alibaba: {reason}").format(reason=e["reason"]))
        if e["mismatch_alibaba"] or e["mismatch_peer"]:
            out.append(_("  Mismatched value: Alibaba {alibaba}, peer {peer}").format(
                alibaba=e["mismatch_alibaba"] or "?", peer=e["mismatch_peer"] or "?"))
        if e["log"]:
            out.append(_("  Log: {line}").format(line=e["log"]))
            if e["log_codes"] and e["code"] not in e["log_codes"]:
                out.append(_("  The log line points at: {codes}").format(codes=_(", ").join(e["log_codes"])))
        if e["doc"]:
            out += ["  " + line for line in _code_lines(e["doc"], brief=True)[1:]]
        elif e["code"]:
            out.append(_("  {code} is not in Alibaba's table of error codes ({source}): not explained").format(
                code=e["code"], source=_(SOURCE)))
        if "configs" in e:
            out += _tie_lines(e["code"], e["configs"])
    return out


def render_text(result: dict) -> list[str]:
    out: list[str] = []
    kind = result["kind"]
    if kind == "code":
        out += _code_lines(result["doc"])
        if "configs" in result:
            out += _tie_lines(result["doc"]["code"], result["configs"], "console" in result["doc"])
    elif kind == "log":
        out += _log_lines(result)
    else:
        out += _diagnosis_lines(result)
    for note in result.get("notes", []):
        out.append(_("Note: {note}").format(note=note))
    for err in result.get("input_errors", []):
        out.append(_("Input error: {error}").format(error=err))
    return out


def render_json(result: dict) -> str:
    from analyzer import __version__

    return json.dumps({"tool": "ipsec-preflight", "version": __version__, "explain": result}, ensure_ascii=False,
                      indent=2) + "\n"


def explained_nothing(result: dict) -> bool:
    """Exit 1: a log with no keyword, a diagnosis with no code of the table, or configs that were not (fully)
    compared for a code (a verdict then would be a silent pass)."""
    kind = result["kind"]
    if kind == "log":
        rows = result["codes"]
        if not rows and not result["statuses"]:
            return True
    elif kind == "diagnosis":
        rows = result["entries"]
        if not any(e["known"] or e["log_codes"] for e in rows):
            return True
    else:
        rows = [result]
    ties = [r["configs"] for r in rows if "configs" in r]
    # a diagnosis entry of a connection not in the connection file is said so by its note, not an exit code
    return any(t["explained"] is None and (t["not_compared"] or kind != "diagnosis") for t in ties)


def log_result(lines: list[str], file: str, checked: Checked | None) -> dict:
    codes, read, statuses = match_log(lines)
    rows = []
    for h in codes:
        row = {"code": h.code.code, "score": round(h.score, 3), "doc": code_doc(h.code, None),
               "lines": [{"number": l.number, "text": l.text, "keywords": l.keywords,
                          "not_in_table": {k: our_reason(k) for k in l.keywords if our_reason(k)}} for l in h.lines],
               "more": h.more}
        if checked is not None:
            row["configs"] = tie(h.code.code, h.code, checked)
        rows.append(row)
    return {"kind": "log", "file": file, "lines_read": read, "codes": rows,
            "statuses": [{"number": n, "text": t, "causes": [_(c) for c in s[1]], "codes": list(s[2])}
                         for n, t, s in statuses]}
