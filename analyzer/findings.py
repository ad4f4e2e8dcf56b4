"""Findings: what a rule reports, in the shape every reporter prints (the JSON contract)."""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel

Severity = Literal["error", "warning", "info"]
RANK = {"info": 1, "warning": 2, "error": 3}


class AlibabaRef(BaseModel):
    field: str | None = None
    value: str | None = None


class DeviceRef(BaseModel):
    file: str | None = None
    line: int | None = None
    text: str | None = None
    default: str | None = None  # set when the device value is a vendor default (no line to show)


class Finding(BaseModel):
    code: str  # the rule's code (the Alibaba API code when the rule predicts one)
    alibaba_code: str | None  # the error code Alibaba's console would show, when there is one
    severity: Severity
    title: str
    message: str
    alibaba: AlibabaRef | None = None
    device: DeviceRef | None = None
    fix: str | None = None
    suppressed: bool = False


class PairResult(BaseModel):
    connection: str | None
    connection_name: str | None = None
    tunnel: str | None
    role: str | None = None
    alibaba_file: str | None  # None for a device-only lint result
    device: str
    vendor: str
    endpoint: str | None
    findings: list[Finding]


class InputProblem(BaseModel):
    file: str
    line: int | None = None
    message: str


class Report(BaseModel):
    tool: str = "ipsec-preflight"
    version: str
    pairs: list[PairResult] = []
    errors: list[InputProblem] = []

    def worst(self) -> int:
        return max((RANK[f.severity] for p in self.pairs for f in p.findings if not f.suppressed), default=0)
