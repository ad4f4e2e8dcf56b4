"""SARIF 2.1.0 for GitHub code scanning and other viewers: one result per finding, located at the device
file and line (or the Alibaba JSON file when the device side has no line). Deterministic: no timestamps,
results in report order, so two runs on the same input are byte-identical."""
from __future__ import annotations

import hashlib
import json
import os
from pathlib import PurePath
from urllib.parse import quote

from analyzer.findings import Finding, Report
from analyzer.rules import all_rules

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
_LEVEL = {"error": "error", "warning": "warning", "info": "note"}


def _uri(path: str) -> str:
    """Relative to the working directory when the file lies under it (what code-scanning uploads expect)."""
    p = PurePath(path)
    if p.is_absolute():
        try:
            p = PurePath(os.path.relpath(p))
        except ValueError:
            return "file://" + quote(p.as_posix())
        if p.parts[:1] == ("..",):
            return "file://" + quote(PurePath(path).as_posix())
    return quote(p.as_posix())


def _location(f: Finding, fallback: str | None) -> dict | None:
    d = f.device
    if d and d.file:
        phys: dict = {"artifactLocation": {"uri": _uri(d.file)}}
        if d.line:
            phys["region"] = {"startLine": d.line}
            if d.text:
                phys["region"]["snippet"] = {"text": d.text}
        return {"physicalLocation": phys}
    if fallback:
        loc: dict = {"physicalLocation": {"artifactLocation": {"uri": _uri(fallback)}}}
        if f.alibaba and f.alibaba.field:
            loc["logicalLocations"] = [{"fullyQualifiedName": f.alibaba.field, "kind": "member"}]
        return loc
    return None


def _result(f: Finding, index: dict[str, int], fallback: str | None, context: dict) -> dict:
    text = f.message
    if f.alibaba and (f.alibaba.field or f.alibaba.value):
        text += f" [Alibaba {f.alibaba.field or ''}{' = ' + f.alibaba.value if f.alibaba.value else ''}]"
    if f.device and f.device.default:
        text += f" [device default: {f.device.default}]"
    r: dict = {"ruleId": f.code, "ruleIndex": index[f.code], "level": _LEVEL[f.severity], "message": {"text": text}}
    loc = _location(f, fallback)
    if loc:
        r["locations"] = [loc]
    where = (f.device.file if f.device and f.device.file else fallback) or ""
    r["partialFingerprints"] = {"ipsecPreflight/v1": hashlib.sha256(
        "|".join([f.code, where, (f.device.text or "") if f.device else "", f.message]).encode()).hexdigest()}
    props = {k: v for k, v in context.items() if v}
    if f.alibaba_code:
        props["alibabaCode"] = f.alibaba_code
    if f.fix:  # the JSON report's shape: {"device": [commands], "alibaba": {field: value}, "note": ...}
        props["fix"] = f.fix.model_dump(exclude_defaults=True)
    if f.related:
        props["related"] = f.related
    if props:
        r["properties"] = props
    if f.suppressed:
        r["suppressions"] = [{"kind": "inSource", "justification": "ipsec-preflight: disable comment"}]
    return r


def render(report: Report) -> str:
    rules = all_rules()
    index = {r.code: i for i, r in enumerate(rules)}
    descriptors = [{
        "id": r.code, "name": r.code, "shortDescription": {"text": r.title},
        "fullDescription": {"text": r.doc or r.title},
        "help": {"text": r.catalog},
        "defaultConfiguration": {"level": _LEVEL[r.severity]},
        "properties": {"alibabaCode": r.alibaba_code or "", "scope": r.scope, "lint": r.lint is not None},
    } for r in rules]
    results = []
    for p in report.pairs:
        context = {"connection": p.connection, "tunnel": p.tunnel, "endpoint": p.endpoint, "vendor": p.vendor}
        for f in p.findings:
            results.append(_result(f, index, (f.alibaba.file if f.alibaba else None) or p.alibaba_file or p.device,
                                   context))
    if report.audit:
        for f in report.audit.cross:
            results.append(_result(f, index, f.alibaba.file if f.alibaba else None, {}))
    notifications = [{"level": "error", "message": {"text": e.message},
                      "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(e.file)},
                                                          **({"region": {"startLine": e.line}} if e.line else {})}}]}
                     for e in report.errors]
    notifications += [{"level": "warning", "message": {"text": n.message},
                       "locations": [{"physicalLocation": {"artifactLocation": {"uri": _uri(n.file)}}}]}
                      for n in (report.audit.notes if report.audit else [])]
    run = {
        "tool": {"driver": {"name": "ipsec-preflight", "version": report.version, "semanticVersion": report.version,
                            "informationUri": "https://github.com/ipsec-preflight/ipsec-preflight",
                            "rules": descriptors}},
        "invocations": [{"executionSuccessful": not report.errors, "toolExecutionNotifications": notifications}],
        "results": results,
    }
    return json.dumps({"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}, indent=2, ensure_ascii=False) + "\n"
