"""`fix-plan`: the device commands of a JSON report (`check`/`lint`/`audit`/`hook --format json`) merged into
one patch per device file.

Each fix's command block is cut into blocks (a top-level line and the indented lines under it). Blocks with the
same top-level line are merged (their sub-lines deduplicated, first-seen order), so two findings that both need
`crypto map M 10` give one block. Blocks are ordered so that what a line references exists before it: ACLs,
then proposals/policies/transform sets/keys, then profiles and peers, then the policy entries that point at
them, then interfaces and the rest. Comments (`!` for Cisco, `#` for Huawei/H3C: the lines that separate
sections in their own exports) name the file and the findings each block fixes. Findings without a command
(Alibaba-side only, advice) and lines holding a `<placeholder>` are listed, never dropped silently.

Each finding's fixer picked the free name of a new object (transform set, ACL, object...) on its own, so two
tunnels may bring two different objects of one name: the later one is renamed (with its references) and a note
names it, since a second definition would silently redefine the first."""
from __future__ import annotations

from dataclasses import dataclass, field

from analyzer.findings import Finding, Report
from analyzer.i18n import _

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


# Headers that define a named object (words -> index of the name). A fix writes these whole, as a new object with
# a name the device does not use; two findings may pick the same free name for different contents (two tunnels
# each needing a new transform set), and pasted in turn the second would redefine the first. ALWAYS: kinds a fix
# never edits in place. REFERENCED: kinds a fix also edits in place (an existing ACL or proposal gets a line):
# new only when another block of the same fix points at them.
_ALWAYS_NEW = {("crypto", "ipsec", "transform-set"): 3, ("crypto", "isakmp", "policy"): 3,
               ("crypto", "ikev1", "policy"): 3, ("crypto", "ikev2", "policy"): 3, ("crypto", "ikev2", "proposal"): 3,
               ("crypto", "ipsec", "ikev1"): 4, ("crypto", "ipsec", "ikev2"): 4, ("object", "network"): 2}
_REFERENCED_NEW = {("ip", "access-list", "extended"): 3, ("access-list",): 1, ("acl", "number"): 2,
                   ("acl", "advanced"): 2, ("ipsec", "proposal"): 2, ("ike", "proposal"): 2, ("ikev2", "proposal"): 2,
                   ("ipsec", "transform-set"): 2, ("ikev2", "policy"): 2,
                   ("crypto", "ikev2", "profile"): 3, ("crypto", "ipsec", "profile"): 3}


def _defined(header: str, table: dict) -> tuple[tuple, int] | None:
    """(kind, index of the name word) when ``header`` defines an object of a kind in ``table``."""
    w = header.split()
    for n in (3, 2, 1):
        at = table.get(tuple(w[:n]))
        if at is not None and len(w) > at and "<" not in w[at]:
            return tuple(w[:n]), at
    return None


def _split(fix_lines: list[str]) -> list[list[str]]:
    """The fix's blocks: a top-level line and the indented lines under it."""
    out: list[list[str]] = []
    for line in fix_lines:
        if line.startswith(" ") and out:
            out[-1].append(line)
        else:
            out.append([line])
    return out


def _new_objects(blocks: list[list[str]]) -> dict[tuple, list[int]]:
    """(kind, name) -> indexes of the blocks defining that new object in one fix."""
    found: dict[tuple, list[int]] = {}
    for i, b in enumerate(blocks):
        for table in (_ALWAYS_NEW, _REFERENCED_NEW):
            hit = _defined(b[0], table)
            if hit is None:
                continue
            kind, at = hit
            name = b[0].split()[at]
            if table is _ALWAYS_NEW or _referenced(blocks, name):
                found.setdefault((kind, name), []).append(i)
            break
    return found


def _referenced(blocks: list[list[str]], name: str) -> bool:
    """A block of the fix other than the definitions of ``name`` holds the word ``name``."""
    def defines(b: list[str]) -> bool:
        hit = _defined(b[0], _REFERENCED_NEW)
        return hit is not None and b[0].split()[hit[1]] == name
    return any(name in line.split() for b in blocks if not defines(b) for line in b)


def _tunnel(label: str) -> str:
    """The "[connection/tunnel]" part of a finding's label ("" for a device-only finding)."""
    return label.partition(" ")[2]


def _renamed(line: str, old: str, new: str) -> str:
    """``line`` with the word ``old`` (an object name) replaced; a number only where it names the object (a
    header's name or a two-word reference such as ` ike-proposal 10`), never a value such as a lifetime."""
    words = line.split(" ")
    if not (old.isascii() and old.isdigit()):
        return " ".join(new if w == old else w for w in words)
    stripped = line.split()
    if len(stripped) == 2 or stripped[0] == "security":
        return " ".join(words[:-1] + [new]) if stripped[-1] == old else line
    return line


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
    # (kind, name) of each new object -> its blocks with the name blanked, and the finding that defined it first
    new_objects: dict[tuple, tuple[tuple, str]] = field(default_factory=dict)

    def add(self, label: str, fix_lines: list[str]) -> None:
        fix_lines = self._unique_new_names(label, fix_lines)
        current = None
        for line in fix_lines:
            if line.startswith(" ") and current is not None:
                if line not in current.lines:
                    current.lines.append(_free_sequence(current.lines, line))
                continue
            current = self.blocks.setdefault(line, _Block(line))
            if label not in current.fixes:
                current.fixes.append(label)

    def _unique_new_names(self, label: str, fix_lines: list[str]) -> list[str]:
        """``fix_lines`` with each new object renamed when the plan already holds a different new object of that
        name (each finding picked its free name alone); the same contents keep or reuse one name."""
        blocks = _split(fix_lines)
        for (kind, name), where in _new_objects(blocks).items():
            content = self._content(blocks, where, name)
            first = self.new_objects.get((kind, name))
            if first is None or first[0] == content or _tunnel(first[1]) == _tunnel(label):
                # one tunnel's fixes build one object (merged; differing settings show as a CONFLICT)
                self.new_objects.setdefault((kind, name), (content, label))
                continue
            same = next((n for (k, n), (c, _by) in self.new_objects.items() if k == kind and c == content), None)
            new = same or self._free(name)
            at = _defined(blocks[where[0]][0], _ALWAYS_NEW) or _defined(blocks[where[0]][0], _REFERENCED_NEW)
            for i in where:  # the name word of each defining header, then every reference
                words = blocks[i][0].split(" ")
                blocks[i][0] = " ".join(words[:at[1]] + [new] + words[at[1] + 1:])
            blocks = [[_renamed(line, name, new) for line in b] for b in blocks]
            self.new_objects.setdefault((kind, new), (content, label))
            if same is None:
                self.notes.setdefault(_("{name} is a new object of another fix ({other}): this one is named {new}; "
                                        "check the device defines no {new} before pasting").format(
                                            name=name, other=first[1], new=new), []).append(label)
        return [line for b in blocks for line in b]

    @staticmethod
    def _content(blocks: list[list[str]], where: list[int], name: str) -> tuple:
        return tuple(tuple(_renamed(line, name, "\0") for line in blocks[i]) for i in where)

    def _free(self, name: str) -> str:
        """A name for a new object that no line of the plan holds: the next number, or ``name-2``, ``name-3``..."""
        used = {w for b in self.blocks.values() for line in (b.header, *b.lines) for w in line.split()}
        used |= {n for _kind, n in self.new_objects}
        if name.isascii() and name.isdigit():
            return next(str(n) for n in range(int(name) + 1, 1 << 32) if str(n) not in used)
        base, _dash, tail = name.rpartition("-")
        base = base if tail.isascii() and tail.isdigit() and base else name
        return next(f"{base}-{i}" for i in range(2, len(used) + 3) if f"{base}-{i}" not in used)

    def check_conflicts(self) -> None:
        """Two sub-lines of one block setting the same thing to different values (e.g. two `set transform-set`)."""
        for b in self.blocks.values():
            seen: dict[tuple, str] = {}
            for line in b.lines:
                words = line.split()
                numbered = _entry_number(line) is not None  # `rule 5 ...` / ` 1 deny ...`: one entry per number
                if not numbered and (len(words) < 2 or words[0] in _REPEATABLE or words[0] == "no"):
                    continue
                if numbered and words[0] != "rule":
                    words = ["#", *words]
                key = tuple(words[:2]) if _entry_number(line) is not None else tuple(words[:-1])
                if key in seen and seen[key] != line:
                    self.conflicts.append(_("{block}: '{first}' and '{second}'").format(
                        block=b.header, first=seen[key].strip(), second=line.strip()))
                seen.setdefault(key, line)


def _entry_number(line: str) -> int | None:
    """The entry number of an ACL sub-line: Cisco ` 1 deny ...` (sequence number), VRP/Comware ` rule 5 ...`."""
    words = line.split()
    number = words[1] if words[:1] == ["rule"] and len(words) > 1 else words[0] if words else ""
    return int(number) if number.isascii() and number.isdigit() else None


def _free_sequence(lines: list[str], line: str) -> str:
    """A Cisco ACL line (` 1 deny ...`) whose sequence number another fix's line of that ACL took: the next free
    one below 10 (an ACL's own entries are numbered 10, 20, ...), else unchanged (shown as a CONFLICT)."""
    words = line.split()
    n = _entry_number(line)
    if n is None or words[0] == "rule" or not any(_entry_number(o) == n and o.split()[0] != "rule" for o in lines):
        return line
    used = {_entry_number(o) for o in lines}
    free = next((i for i in range(1, 10) if i not in used), None)
    return line if free is None else line.replace(str(n), str(free), 1)


def _label(f: Finding, connection: str | None, tunnel: str | None) -> str:
    where = f" [{connection}{'/' + tunnel if tunnel else ''}]" if connection else ""
    return f"{f.code}{where}"


def plans(reports: list[Report]) -> list[DevicePlan]:
    """One plan per device file of the reports, in the order they first appear."""
    out: dict[str, DevicePlan] = {}
    for report in reports:
        for p in report.pairs:
            if p.vendor == "alibaba":  # the hook's unpaired Alibaba tunnels: no device file to patch
                continue
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
                    on_alibaba = _(": on Alibaba {values}").format(values=alibaba) if alibaba else ""
                    note = _(" ({note})").format(note=f.fix.note) if f.fix.note else ""
                    plan.without_commands.append(label + on_alibaba + note)
    for plan in out.values():
        plan.check_conflicts()
    return list(out.values())


def render(plan: DevicePlan) -> list[str]:
    c = _COMMENT.get(plan.vendor, "!")
    blocks = sorted(plan.blocks.values(), key=lambda b: _rank(b.header))  # stable: first-seen order within a rank
    out = [f"{c} " + _("ipsec-preflight fix plan for {device} ({vendor})").format(device=plan.device,
                                                                                vendor=plan.vendor)]
    placeholders = sum("<" in line and ">" in line for b in blocks for line in (b.header, *b.lines))
    if placeholders:
        out.append(f"{c} " + _("{count} line(s) hold a <placeholder>: replace it before pasting").format(
            count=placeholders))
    out.extend(f"{c} " + _("note ({findings}): {note}").format(findings=", ".join(labels), note=note)
               for note, labels in plan.notes.items())
    for conflict in plan.conflicts:
        out.append(f"{c} " + _("CONFLICT, keep one of: {conflict}").format(conflict=conflict))
    if not blocks:
        out.append(f"{c} " + _("no device command to apply"))
    for b in blocks:
        out.append(f"{c} " + _("fixes {findings}").format(findings=", ".join(b.fixes)))
        out.append(b.header)
        out.extend(b.lines)
    for item in plan.alibaba_too:
        out.append(f"{c} " + _("set on Alibaba as well: {item}").format(item=item))
    for item in plan.without_commands:
        out.append(f"{c} " + _("no device command: {item}").format(item=item))
    return out
