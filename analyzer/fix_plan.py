"""`fix-plan`: the device commands of a JSON report (`check`/`lint`/`audit`/`hook --format json`) merged into
one patch per device file.

Each fix's command block is cut into blocks (a top-level line and the indented lines under it). Blocks with the
same top-level line are merged (their sub-lines deduplicated, first-seen order), so two findings that both need
`crypto map M 10` give one block. Blocks are ordered so that what a line references exists before it: ACLs,
then proposals/policies/transform sets/keys, then profiles and peers, then the policy entries that point at
them, then interfaces and the rest. Comments (`!` for Cisco, `#` for Huawei/H3C: the lines that separate
sections in their own exports) name the file and the findings each block fixes. Findings without a command
(Alibaba-side only, advice) and lines holding a `<placeholder>` are listed, never dropped silently."""
from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.findings import Finding, Report

_COMMENT = {"cisco-ios": "!", "cisco-asa": "!", "huawei-vrp": "#", "h3c-comware": "#"}

# Top-level line prefixes by rank: what is defined (ACLs, proposals, keys) before what references it.
_RANKS = (
    ("ip access-list", "access-list", "acl ", "object network", "object-group"),
    ("crypto isakmp policy", "crypto ikev1 policy", "crypto ikev2 policy", "crypto ikev2 proposal",
     "crypto ipsec transform-set", "crypto ipsec ikev1 transform-set", "crypto ipsec ikev2 ipsec-proposal",
     "crypto isakmp key", "crypto ikev2 keyring", "ike proposal", "ikev2 proposal", "ikev2 policy",
     "ipsec proposal", "ipsec transform-set", "ike keychain", "crypto isakmp identity", "hostname", "ip domain"),
    ("crypto isakmp profile", "crypto ikev2 profile", "ike peer", "ike profile", "ikev2 profile", "tunnel-group"),
    ("crypto map", "crypto ipsec profile", "ipsec policy", "ipsec profile"),
)
# Sub-lines that legitimately repeat with different last words (ACL entries, neighbours, several proposals).
_REPEATABLE = ("permit", "deny", "rule", "neighbor", "proposal", "ike-proposal", "match", "subnet", "source-address",
               "destination-address", "pre-shared-key", "address")


def _rank(header: str) -> int:
    for i, prefixes in enumerate(_RANKS):
        if header.startswith(prefixes):
            return i
    return len(_RANKS)


@dataclass
class _Block:
    header: str
    lines: list[str] = field(default_factory=list)
    fixes: list[str] = field(default_factory=list)  # "Code [connection/tunnel]" of the findings it serves


@dataclass
class DevicePlan:
    device: str
    vendor: str
    blocks: dict[str, _Block] = field(default_factory=dict)
    without_commands: list[str] = field(default_factory=list)  # findings whose fix holds no device command
    alibaba_too: list[str] = field(default_factory=list)  # Alibaba values some commands need as well
    notes: dict[str, list[str]] = field(default_factory=dict)  # note -> findings: what to know before pasting
    conflicts: list[str] = field(default_factory=list)

    def add(self, label: str, fix_lines: list[str]) -> None:
        current = None
        for line in fix_lines:
            if line.startswith(" ") and current is not None:
                if line not in current.lines:
                    current.lines.append(line)
                continue
            current = self.blocks.setdefault(line, _Block(line))
            if label not in current.fixes:
                current.fixes.append(label)

    def check_conflicts(self) -> None:
        """Two sub-lines of one block setting the same thing to different values (e.g. two `set transform-set`)."""
        for b in self.blocks.values():
            seen: dict[tuple, str] = {}
            for line in b.lines:
                words = line.split()
                if len(words) < 2 or words[0] in _REPEATABLE or (words[0] == "no" and len(words) > 1):
                    continue
                key = tuple(words[:-1])
                if key in seen and seen[key] != line:
                    self.conflicts.append(f"{b.header}: '{seen[key].strip()}' and '{line.strip()}'")
                seen.setdefault(key, line)


def _label(f: Finding, connection: str | None, tunnel: str | None) -> str:
    where = f" [{connection}{'/' + tunnel if tunnel else ''}]" if connection else ""
    return f"{f.code}{where}"


def plans(reports: list[Report]) -> list[DevicePlan]:
    """One plan per device file of the reports, in the order they first appear."""
    out: dict[str, DevicePlan] = {}
    for report in reports:
        for p in report.pairs:
            plan = out.setdefault(p.device, DevicePlan(p.device, p.vendor))
            for f in p.findings:
                if f.suppressed or f.fix is None:
                    continue
                label = _label(f, p.connection, p.tunnel)
                if f.fix.device:
                    plan.add(label, f.fix.device)
                    if f.fix.note:
                        plan.notes.setdefault(f.fix.note, []).append(label)
                    if f.fix.alibaba_required:
                        plan.alibaba_too.append(f"{label}: " + ", ".join(f"{k} = {v}" for k, v in f.fix.alibaba.items()))
                else:
                    alibaba = ", ".join(f"{k} = {v}" for k, v in f.fix.alibaba.items())
                    plan.without_commands.append(label + (f": on Alibaba {alibaba}" if alibaba else "") +
                                                 (f" ({f.fix.note})" if f.fix.note else ""))
    for plan in out.values():
        plan.check_conflicts()
    return list(out.values())


def render(plan: DevicePlan) -> list[str]:
    c = _COMMENT.get(plan.vendor, "!")
    blocks = sorted(plan.blocks.values(), key=lambda b: _rank(b.header))  # stable: first-seen order within a rank
    out = [f"{c} ipsec-preflight fix plan for {plan.device} ({plan.vendor})"]
    placeholders = sum("<" in line and ">" in line for b in blocks for line in (b.header, *b.lines))
    if placeholders:
        out.append(f"{c} {placeholders} line(s) hold a <placeholder>: replace it before pasting")
    out.extend(f"{c} note ({', '.join(labels)}): {note}" for note, labels in plan.notes.items())
    for conflict in plan.conflicts:
        out.append(f"{c} CONFLICT, keep one of: {conflict}")
    if not blocks:
        out.append(f"{c} no device command to apply")
    for b in blocks:
        out.append(f"{c} fixes {', '.join(b.fixes)}")
        out.append(b.header)
        out.extend(b.lines)
    for item in plan.alibaba_too:
        out.append(f"{c} set on Alibaba as well: {item}")
    for item in plan.without_commands:
        out.append(f"{c} no device command: {item}")
    return out
