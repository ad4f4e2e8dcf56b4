"""SARIF 2.1.0 for GitHub code scanning and other viewers: one result per finding. Deterministic: no timestamps,
results in report order, so two runs on the same input are byte-identical.

What code scanning needs beyond the schema ("SARIF support for code scanning", docs.github.com): artifact URIs
relative to the repository root (here: ``%SRCROOT%`` in ``originalUriBaseIds``, the git work tree of the current
folder); a ``region.startLine`` on every result; ``partialFingerprints.primaryLocationLineHash``, the only
fingerprint it reads (github/codeql-action src/fingerprints.ts fills it from the source line only when it is
absent, and a line hash changes with the value on the line: we give our stable one instead)."""
from __future__ import annotations

import json

from analyzer import fingerprint, src_root
from analyzer.findings import Finding, Report
from analyzer.i18n import _
from analyzer.reporters.ci_summary import Coverage, baseline_sentence, coverage
from analyzer.rule_meta import SECURITY_SEVERITY, tags
from analyzer.rules import all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
BASE_ID = "%SRCROOT%"
# The repository's public URL is not settled; rules link to this one (docs/rules.md on its main branch).
RULES_DOC_URL = "https://github.com/ipsec-preflight/ipsec-preflight/blob/main/docs/rules.md"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def anchor(heading: str) -> str:
    """GitHub's anchor of a Markdown heading: lower case, punctuation other than - and _ dropped, spaces to -.
    docs/rules.md titles each rule's section with its bare code (analyzer/rules_doc.py)."""
    kept = "".join(c for c in heading.strip().lower() if c.isalnum() or c in " -_")
    return kept.replace(" ", "-")


def artifact(path: str) -> dict:
    """An artifactLocation: relative to %SRCROOT% when the file lies under it, else an absolute file:// URI."""
    rel = src_root.relative(path)
    if rel is None:
        return {"uri": src_root.file_uri(path)}
    return {"uri": src_root.uri_quote(rel, str(src_root.root())), "uriBaseId": BASE_ID}


def _not_a_file(name: str, member: str | None = None) -> dict:
    """A location on an input that is no file (a live API answer, ``api:REGION/Action``): a logical location
    only, so that no viewer looks for it in the repository."""
    logical = [{"fullyQualifiedName": name, "kind": "resource"}]
    if member:
        logical.append({"fullyQualifiedName": member, "kind": "member"})
    return {"logicalLocations": logical}


def _where(f: Finding, fallback: str | None) -> tuple[str | None, int, int | None, str | None]:
    """(file, startLine, startColumn, why line 1): the device line, else the Alibaba field's line, else line 1
    of the file named, saying why."""
    d, a = f.device, f.alibaba
    if d and d.file and d.line:
        return d.file, d.line, None, None
    if a and a.file and a.line and src_root.is_file(a.file):
        return a.file, a.line, a.column, None
    file = src_root.first_file(d.file if d else None, a.file if a else None, fallback)
    if d and d.file:
        why = _("the device side is a vendor default with no line to point at") if d.default else \
            _("the finding names the device file, not one line of it")
    elif a and a.field:
        why = _("no line was found for the Alibaba field {field}").format(field=a.field)
    else:
        why = _("the finding is about the file as a whole")
    return file, 1, None, why


def _location(f: Finding, fallback: str | None) -> tuple[dict | None, str | None]:
    file, line, column, why = _where(f, fallback)
    if file is None:
        return None, None
    if not src_root.is_file(file):
        return _not_a_file(file, f.alibaba.field if f.alibaba else None), None
    region: dict = {"startLine": line}
    if column:
        region["startColumn"] = column
    d = f.device
    if d and d.line == line and d.file == file and d.text:
        region["snippet"] = {"text": d.text}
    loc: dict = {"physicalLocation": {"artifactLocation": artifact(file), "region": region}}
    if f.alibaba and f.alibaba.field:
        loc["logicalLocations"] = [{"fullyQualifiedName": f.alibaba.field, "kind": "member"}]
    return loc, why


def _fixes(f: Finding) -> list[dict]:
    """A SARIF fix only where the device commands are lines to insert in the file as it stands: the finding
    points at a block header because the value is absent there (a vendor default applies), and the fix is that
    block with the lines to add. Rewrites of existing lines or new objects stay in properties.fix (commands to
    paste, not an edit of the export)."""
    d, fix = f.device, f.fix
    if not (fix and fix.device and d and d.file and d.line and d.default and d.text):
        return []
    header, *body = fix.device
    if not body or header.startswith(" ") or any(not line.startswith(" ") for line in body):
        return []
    if " ".join(header.split()) != " ".join(d.text.split()):
        return []
    return [{"description": {"text": _("Add to {header}").format(header=" ".join(header.split()))},
             "artifactChanges": [{"artifactLocation": artifact(d.file), "replacements": [{
                 "deletedRegion": {"startLine": d.line + 1, "startColumn": 1, "endLine": d.line + 1,
                                   "endColumn": 1},
                 "insertedContent": {"text": "".join(line + "\n" for line in body)}}]}]}]


def _result(f: Finding, index: dict[str, int], fallback: str | None, context: dict) -> dict:
    text = f.message
    if f.alibaba and (f.alibaba.field or f.alibaba.value):
        text += _(" [Alibaba {field}]").format(
            field=f"{f.alibaba.field or ''}{' = ' + f.alibaba.value if f.alibaba.value else ''}")
    if f.device and f.device.default:
        text += _(" [device default: {default}]").format(default=f.device.default)
    r: dict = {"ruleId": f.code, "ruleIndex": index[f.code], "level": _LEVEL[f.severity], "message": {"text": text}}
    loc, why = _location(f, fallback)
    if loc:
        r["locations"] = [loc]
    r["partialFingerprints"] = {"primaryLocationLineHash": f"{f.fingerprint[:16]}:1",
                                f"ipsecPreflight/{fingerprint.VERSION}": f.fingerprint}
    props = {k: v for k, v in context.items() if v}
    if why:
        props["startLineIsFileStart"] = why
    if f.alibaba_code:
        props["alibabaCode"] = f.alibaba_code
    if f.fix:  # the JSON report's shape: {"device": [commands], "alibaba": {field: value}, "note": ...}
        props["fix"] = f.fix.model_dump(exclude_defaults=True)
        if fixes := _fixes(f):
            r["fixes"] = fixes
    if f.related:
        props["related"] = f.related
    if props:
        r["properties"] = props
    if f.suppressed:
        r["suppressions"] = [{"kind": "inSource", "justification": "ipsec-preflight: disable comment"}]
    return r


def _help(r) -> tuple[str, str]:
    """(text, markdown) of a rule's help: what, why it matters, the Alibaba code and catalog text, the docs link."""
    code = r.alibaba_code or "none (advisory)"
    lines = [r.doc or r.title] + ([r.notes] if r.notes else []) + [f"Alibaba error code: {code}.",
                                                                    f"Catalog: {r.catalog}"]
    md = [f"**{r.title}** (`{r.code}`, severity `{r.severity}`)", "", r.doc or r.title]
    md += ["", r.notes] if r.notes else []
    md += ["", f"Alibaba error code: `{code}`", "", f"Catalog: {r.catalog}"]
    if r.code in SECURITY_SEVERITY:
        reason = SECURITY_SEVERITY[r.code][1]
        lines.append(f"Security: {reason}.")
        md += ["", f"Security: {reason}."]
    md += ["", f"[Rule documentation]({RULES_DOC_URL}#{anchor(r.code)})"]
    return "\n\n".join(lines), "\n".join(md)


def _descriptor(r) -> dict:
    text, md = _help(r)
    props: dict = {"tags": tags(r), "alibabaCode": r.alibaba_code or "", "scope": r.scope, "lint": r.lint is not None}
    if r.code in SECURITY_SEVERITY:
        props["security-severity"] = SECURITY_SEVERITY[r.code][0]
    return {"id": r.code, "name": r.code, "shortDescription": {"text": r.title},
            "fullDescription": {"text": r.doc or r.title}, "helpUri": f"{RULES_DOC_URL}#{anchor(r.code)}",
            "help": {"text": text, "markdown": md}, "defaultConfiguration": {"level": _LEVEL[r.severity]},
            "properties": props}


def _notification(level: str, message: str, file: str, line: int | None) -> dict:
    if not src_root.is_file(file):
        return {"level": level, "message": {"text": message}, "locations": [_not_a_file(file)]}
    phys: dict = {"artifactLocation": artifact(file)}
    if line:
        phys["region"] = {"startLine": line}
    return {"level": level, "message": {"text": message}, "locations": [{"physicalLocation": phys}]}


def render(report: Report) -> str:
    import io

    fingerprint.ensure(report)
    out = io.StringIO()
    writer = Writer(out, io.StringIO())
    for p in report.pairs:
        writer.pair(p)
    writer.finish(report)
    return out.getvalue()


class _OnePair:
    def __init__(self, pairs) -> None:
        self.pairs = pairs


_RESULT_INDENT = " " * 8  # a result's depth in the document: {"runs": [{"results": [ ... ]}]}


class Writer:
    """The SARIF document in parts (the streaming audit report adds each device's pairs as they arrive): results
    go to ``spool`` (a temporary file for a large audit) because the run's header needs the whole run (input
    errors, coverage, baseline); ``finish`` writes the document to ``out``. ``render`` is this writer into a
    buffer, so both give the same bytes."""

    def __init__(self, out, spool) -> None:
        self.out, self.spool = out, spool
        self.rules = all_rules()
        self.index = {r.code: i for i, r in enumerate(self.rules)}
        self.covered = Coverage()
        self.results = 0

    def _add(self, result: dict) -> None:
        text = json.dumps(result, indent=2, ensure_ascii=False)
        self.spool.write((",\n" if self.results else "") + "\n".join(_RESULT_INDENT + line for line in text.split("\n")))
        self.results += 1

    def pair(self, p) -> None:
        part = coverage(_OnePair([p]))
        for name in ("compared", "unpaired", "linted", "no_tunnel"):
            setattr(self.covered, name, getattr(self.covered, name) + getattr(part, name))
        context = {"connection": p.connection, "tunnel": p.tunnel, "endpoint": p.endpoint, "vendor": p.vendor}
        for f in p.findings:
            self._add(_result(f, self.index, src_root.first_file(f.alibaba.file if f.alibaba else None,
                                                                 p.alibaba_file, p.device), context))

    def finish(self, report: Report) -> None:
        """``report``: the run's errors, audit (cross findings, notes) and baseline; its pairs were given to pair()."""
        if report.audit:
            for f in report.audit.cross:
                self._add(_result(f, self.index, f.alibaba.file if f.alibaba else None, {}))
        notifications = [_notification("error", e.message, e.file, e.line) for e in report.errors]
        notifications += [_notification("warning", n.message, n.file, n.line)
                          for n in (report.audit.notes if report.audit else [])]
        if self.covered.nothing:  # no silent pass: an empty results list would read as a clean run
            notifications.append({"level": "error", "message": {"text": _("nothing was checked: {coverage}").format(coverage=self.covered.sentence())}})
        if baselined := baseline_sentence(report):  # code scanning would otherwise show them as fixed, unexplained
            notifications.append({"level": "note", "message": {"text": baselined}})
        run = {
            "tool": {"driver": {"name": "ipsec-preflight", "version": report.version,
                                "semanticVersion": report.version,
                                "informationUri": "https://github.com/ipsec-preflight/ipsec-preflight",
                                "rules": [_descriptor(r) for r in self.rules]}},
            "originalUriBaseIds": {BASE_ID: {"uri": src_root.root_uri(),
                                             "description": {"text": "The git work tree the report was made in "
                                                                     "(else the folder it was made in)."}}},
            "invocations": [{"executionSuccessful": not report.errors, "toolExecutionNotifications": notifications}],
            "columnKind": "unicodeCodePoints",  # analyzer.json_lines counts characters, not UTF-16 code units
            "results": [],
        }
        doc = json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False) + "\n"
        head, tail = doc.rsplit('"results": []', 1)
        if not self.results:
            self.out.write(doc)
            return
        self.out.write(head + '"results": [\n')
        self.spool.seek(0)
        while chunk := self.spool.read(1 << 16):
            self.out.write(chunk + self.spool.readline())  # whole lines: the writer may escape line by line
        self.out.write("\n" + _RESULT_INDENT[:-2] + "]" + tail)
