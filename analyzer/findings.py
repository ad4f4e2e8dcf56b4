"""Findings: what a rule reports, in the shape every reporter prints (the JSON contract)."""
from __future__ import annotations

import re
from typing import Literal

from pydantic import BaseModel as _Base, ConfigDict, Field, field_validator, model_validator

from analyzer.i18n import N_, _


class BaseModel(_Base):
    model_config = ConfigDict(defer_build=True)  # schemas are built on first use: `check` never builds the audit ones


Severity = Literal["error", "warning", "info"]
RANK = {"info": 1, "warning": 2, "error": 3}

# Output size is bounded per finding, whatever the input: rules list the first items of long lists and count
# the rest ("... and N more"); this is the backstop for any text that still grows with the input (a fix that
# spells out 10,000 selectors, a value copied from the JSON). Far above anything a real finding holds.
TEXT_CAP = 4_000
VALUE_CAP = 1_000


def bounded(text: str | None, cap: int = TEXT_CAP) -> str | None:
    """``text`` cut to about ``cap`` characters (at a separator when there is one near the cut), with a count
    of what was left out."""
    if text is None or len(text) <= cap:
        return text
    cut = max(text.rfind(sep, cap // 2, cap) for sep in ("; ", "\n", ", "))
    cut = cut if cut > 0 else cap
    return _("{text} ... and {count} more characters").format(text=text[:cut], count=f"{len(text) - cut:,}")


class AlibabaRef(BaseModel):
    file: str | None = None
    field: str | None = None
    value: str | None = None
    line: int | None = None  # of ``field`` in ``file`` (analyzer.json_lines), or the .tf line for Terraform
    column: int | None = None

    @field_validator("field", "value")
    @classmethod
    def _bounded(cls, v):
        return bounded(v, VALUE_CAP)


class DeviceRef(BaseModel):
    file: str | None = None
    line: int | None = None
    text: str | None = None
    default: str | None = None  # set when the device value is a vendor default (no line to show)

    @field_validator("text", "default")
    @classmethod
    def _bounded(cls, v):
        return bounded(v, VALUE_CAP)


class Fix(BaseModel):
    """How to fix a finding. ``device``: the commands to paste on the device as they stand, one line each
    (sub-mode lines indented, as the vendor exports them); never prose. ``alibaba``: the Alibaba-side
    alternative, API field -> value (set it instead of changing the device), or, when ``alibaba_required``, the
    Alibaba values the commands need as well (e.g. SHA-1 on both sides). ``note``: a short explanation, kept out
    of the command block. A rule may give a plain sentence: it becomes the note."""
    device: list[str] = []
    alibaba: dict[str, str] = {}
    alibaba_required: bool = False
    note: str | None = None

    def __add__(self, other: "Fix | None") -> "Fix":
        """Both parts: the commands of one then the other, Alibaba fields merged, notes joined."""
        if other is None:
            return self
        notes = [n for n in (self.note, other.note) if n]
        return Fix(device=self.device + other.device, alibaba={**self.alibaba, **other.alibaba},
                   alibaba_required=self.alibaba_required or other.alibaba_required, note="; ".join(notes) or None)

    def empty(self) -> bool:
        return not (self.device or self.alibaba or self.note)

    @field_validator("device")
    @classmethod
    def _bounded_lines(cls, v):
        """Cut at TEXT_CAP characters on a line boundary; the last line then says how many were left out."""
        total = 0
        for i, line in enumerate(v):
            total += len(line) + 1
            if total > TEXT_CAP:
                return v[:i] + [_(_CUT).format(count=f"{len(v) - i:,}")]
        return v

    @field_validator("alibaba")
    @classmethod
    def _bounded_values(cls, v):
        return {k: bounded(str(x), VALUE_CAP) for k, x in v.items()}

    @field_validator("note")
    @classmethod
    def _bounded(cls, v):
        return bounded(v)


# The last line of a cut command block: a marker no vendor CLI accepts, so a paste stops there visibly.
_CUT = N_("<... {count} more command lines left out: output size cap>")


def as_fix(value) -> "Fix | None":
    """A rule's ``fix=``: a Fix, or a sentence (the note of a fix with no command, on one line: a note is not a
    command block); None when empty."""
    if value is None or value == "":
        return None
    fix = Fix(note=" ".join(value.split())) if isinstance(value, str) else Fix.model_validate(value)
    return None if fix.empty() else fix


class Finding(BaseModel):
    code: str  # the rule's code (the Alibaba API code when the rule predicts one)
    alibaba_code: str | None  # the error code Alibaba's console would show, when there is one
    severity: Severity
    # Set exactly when ``severity`` differs from the rule's registry severity (docs/rules.md): why this finding is
    # rated differently, e.g. "the connection's other tunnel pairs". The message ends with the same text.
    severity_reason: str | None = None
    title: str
    message: str
    alibaba: AlibabaRef | None = None
    device: DeviceRef | None = None
    fix: Fix | None = None
    suppressed: bool = False
    related: list[str] = []  # audit findings: the connections/tunnels involved
    fingerprint: str | None = None  # stable across value changes and moved lines (analyzer.fingerprint)
    # set when the finding stands only because Alibaba documents stricter behaviour than the protocol: the name of
    # the rule's documented deviation (docs/rules.md, "Deviations from the protocol")
    deviation: str | None = None
    # what the finding is about when its rule reports several per tunnel ("tcp mss", "udp 4500"), in words that do
    # not depend on the output language: fingerprints hash it (analyzer.rule_meta.OBJECT_IN_MESSAGE); not output
    object: str | None = Field(default=None, exclude=True)

    @field_validator("message", "severity_reason")
    @classmethod
    def _bounded(cls, v):
        return bounded(v)

    @field_validator("fix", mode="before")
    @classmethod
    def _fix(cls, v):
        return as_fix(v)


    @model_validator(mode="after")
    def _tunnel_fields(self):
        """A dual-tunnel connection sets its values per tunnel (shared/reference/alibaba/schema.md §2.6, §4):
        Alibaba-side alternatives that rules word with the single-tunnel fields (IkeConfig.*, IpsecConfig.*,
        EnableDpd, EnableNatTraversal) are named under this finding's tunnel instead."""
        m = _TUNNEL.match(self.alibaba.field or "") if self.alibaba else None
        if m and self.fix is not None:
            self.fix = self.fix.model_copy(update={
                "alibaba": {tunnel_field(m.group(1), k): v for k, v in self.fix.alibaba.items()},
                "note": _SINGLE.sub(lambda w: tunnel_field(m.group(1), w.group(0)), self.fix.note)
                if self.fix.note else None})
        return self


_TUNNEL = re.compile(r"(TunnelOptionsSpecification\.TunnelOptions\[\d+\])\.")
_SINGLE = re.compile(r"(?<![\w.])(?:IkeConfig\.\w+|IpsecConfig\.\w+|EnableDpd|EnableNatTraversal)\b")


def tunnel_field(prefix: str, field: str) -> str:
    """The per-tunnel path of a single-tunnel field: IkeConfig.X -> <prefix>.TunnelIkeConfig.X, EnableDpd ->
    <prefix>.EnableDpd; any other field is returned as it is."""
    head, dot, rest = field.partition(".")
    if dot and head in ("IkeConfig", "IpsecConfig"):
        return f"{prefix}.Tunnel{head}.{rest}"
    return f"{prefix}.{field}" if field in ("EnableDpd", "EnableNatTraversal") else field


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
    baselined: int = 0  # findings of this pair left out by --baseline (so "no findings" is never said for them)
    # Terraform plan: what applying it does to the connection (create / update / replace: a replaced connection
    # is deleted and re-created, so its tunnels renegotiate); None for other inputs
    plan_action: str | None = None


class InputProblem(BaseModel):
    file: str
    line: int | None = None
    message: str


class Counts(BaseModel):
    error: int = 0
    warning: int = 0
    info: int = 0
    suppressed: int = 0

    def add(self, f: Finding) -> None:
        if f.suppressed:
            self.suppressed += 1
        else:
            setattr(self, f.severity, getattr(self, f.severity) + 1)


class UnpairedTunnel(BaseModel):
    connection: str | None
    connection_name: str | None = None
    tunnel: str | None = None
    role: str | None = None
    alibaba_file: str
    gateway: str | None = None
    customer_gateway: str | None = None


class UnpairedEndpoint(BaseModel):
    device: str
    endpoint: str
    peer: str | None = None
    candidates: list[str] = []  # set when several Alibaba tunnels fit (ambiguous)


class SkippedFile(BaseModel):
    """A file an audit left out on purpose (not a device config or a connection, or filtered out), and why."""
    file: str
    reason: str


class AuditSummary(BaseModel):
    mode: Literal["pair", "lint"]  # lint: no Alibaba JSON was given, devices were checked alone
    files: int
    devices: int
    alibaba_files: int
    connections: int
    tunnels: int
    pairs: int
    cross: list[Finding] = []  # findings across connections (no single pair owns them)
    unpaired_tunnels: list[UnpairedTunnel] = []
    unpaired_endpoints: list[UnpairedEndpoint] = []
    ambiguous: list[UnpairedEndpoint] = []
    skipped: list[SkippedFile] = []
    notes: list[InputProblem] = []  # said, not failing: e.g. a DescribeVpnConnections page of a longer list
    by_code: dict[str, Counts] = {}
    by_device: dict[str, Counts] = {}
    by_connection: dict[str, Counts] = {}
    totals: Counts = Field(default_factory=Counts)


class BaselineEntry(BaseModel):
    fingerprint: str
    code: str
    file: str
    message: str


class BaselineSummary(BaseModel):
    """What --baseline did to this run (analyzer.baseline)."""
    file: str
    baselined: int  # findings of this run left out because the baseline records them
    stale: list[BaselineEntry] = []  # entries that no longer occur: delete them, or rewrite with --write-baseline


class Report(BaseModel):
    tool: str = "ipsec-preflight"
    version: str
    pairs: list[PairResult] = []
    errors: list[InputProblem] = []
    # said, not failing, in every format (stderr too): a gateway IP stood in for by LocalId, a device only
    # linted, a file the hook ignored. An audit's own input notes stay in ``audit.notes``.
    notes: list[InputProblem] = []
    audit: AuditSummary | None = None
    baseline: BaselineSummary | None = None  # set when a baseline was applied

    def all_findings(self):
        for p in self.pairs:
            yield from p.findings
        if self.audit:
            yield from self.audit.cross

    def worst(self) -> int:
        return max((RANK[f.severity] for f in self.all_findings() if not f.suppressed), default=0)
