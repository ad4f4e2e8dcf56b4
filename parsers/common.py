"""Helpers shared by parsers: reading exported files and reporting bad input with its location."""
from __future__ import annotations

import os
from pathlib import Path

# The largest core-router exports we know of are tens of MB; anything far above is a log, a dump or a
# mistake, and reading it whole would cost memory in proportion. Raised with --max-file-size (MB).
MAX_FILE_ENV = "IPSEC_PREFLIGHT_MAX_FILE_MB"
DEFAULT_MAX_FILE_MB = 64


class InputError(Exception):
    """Unreadable or invalid input. Always names the file, and the line when one is known."""

    def __init__(self, file: str, message: str, line: int | None = None):
        from parsers.values import display_path  # a file name that is not UTF-8 is shown with \xNN escapes
        file = display_path(file)
        self.file, self.line, self.message = file, line, message
        where = f"{file}:{line}" if line else file
        super().__init__(f"{where}: {message}")


def line_starting(lines: list[str], needles: tuple[str, ...]) -> bool:
    """``any(line.startswith(p) ...)`` for ``needles`` = each prefix ``p`` with a newline in front, for lines that hold
    no newline (a block's children): one join and a substring search per prefix instead of a startswith call per
    line (60 % of the instructions on a 3-line interface, measured)."""
    joined = "\n" + "\n".join(lines)
    for needle in needles:
        if needle in joined:
            return True
    return False


def _size(n: int) -> str:
    return f"{n / 2 ** 20:.1f} MB" if n >= 2 ** 20 else f"{n / 2 ** 10:.1f} KB" if n >= 2 ** 10 else f"{n} bytes"


def read_text(path: str | Path) -> str:
    """Decode a config export: UTF-8 (with or without BOM), then GB18030 (Chinese descriptions)."""
    name = str(path)
    limit_mb = max_file_mb()
    limit = int(limit_mb * 2 ** 20)
    try:
        with open(path, "rb") as f:
            size = os.fstat(f.fileno()).st_size
            # a FIFO or device reports no size: read one byte past the limit to know
            data = f.read(limit + 1) if size <= limit else b""
    except OSError as exc:
        raise InputError(name, f"cannot read file: {exc.strerror or exc}") from None
    if size > limit or len(data) > limit:
        shown = _size(size) if size > limit else "over the limit"
        raise InputError(name, f"file is {shown}, larger than the {_size(limit)} limit (--max-file-size "
                               f"{limit_mb:g}) read from one input (config exports are rarely over 20 MB); raise "
                               "it with --max-file-size")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace")
    if b"\x00" in data[:4096]:
        raise InputError(name, "binary file (NUL bytes), not a text config export")
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("latin-1")  # never fails; keeps line numbers intact


def max_file_mb() -> float:
    try:
        value = float(os.environ.get(MAX_FILE_ENV, DEFAULT_MAX_FILE_MB))
    except ValueError:
        return DEFAULT_MAX_FILE_MB
    return value if value > 0 else DEFAULT_MAX_FILE_MB


# Kept under its old name for the parsers: masking is analyzer.redact's, at read time.
from analyzer.redact import shown as redact_secrets  # noqa: E402


def interface_ip(cfg, where: str | None) -> str | None:
    """An address written literally, or the address of the interface named ``where``."""
    from parsers.cisco_common import is_ipv4

    if where is None:
        return None
    if is_ipv4(where):
        return where
    itf = cfg.interfaces.get(where)
    return itf.address if itf else None


def tunnel_bgp(itf, neighbors: dict, local_asn: int | None):
    """The BGP session running over a tunnel interface: the neighbour inside the interface's subnet."""
    from netaddr import IPAddress

    from analyzer.model import Bgp

    if itf.network is None:
        return None
    for ip, (asn, source) in neighbors.items():
        if IPAddress(ip) in itf.network:
            return Bgp(local_asn=local_asn, peer_asn=asn, local_ip=itf.address, peer_ip=ip,
                       tunnel_cidr=str(itf.network), source=source)
    return None


def attach_route_based(ep, tunnel) -> None:
    """A tunnel interface protects everything routed into it: selectors 0.0.0.0/0 both ways."""
    from analyzer.model import SelectorPair

    ep.selectors = [SelectorPair(local="0.0.0.0/0", remote="0.0.0.0/0", source=tunnel.source)]
    ep.tunnel_mtu, ep.tcp_mss = tunnel.mtu, tunnel.tcp_mss
    ep.src["tunnel_mtu"] = ep.src["tcp_mss"] = tunnel.source


def attach_wan_mtu(ep, mtu: int | None, source) -> None:
    """The MTU of the interface the tunnel leaves through: an input to Alibaba's user-MTU limit
    (min(WAN MTU, path MTU) - 101), never a value compared with it. None: not configured (the rule says
    what it assumes). ``source``: the line that set it."""
    if mtu is not None:
        ep.wan_mtu = mtu
        if source is not None:
            ep.src["wan_mtu"] = source


def wan_interface(cfg, where: str | None):
    """The interface a tunnel leaves through: named (`crypto map` under it, `tunnel source Dialer1`) or the
    one holding the address given (`tunnel source 203.0.113.1`; found only if the parser kept that interface)."""
    from parsers.cisco_common import is_ipv4

    if where is None:
        return None
    if not is_ipv4(where):
        return cfg.interfaces.get(where)
    return next((i for i in cfg.interfaces.values() if i.address == where), None)


def attach_acl_selectors(ep, cfg, acl_name: str, acl_src, label: str) -> None:
    """Selectors from the permit entries of a crypto ACL; an undefined ACL becomes an error note."""
    from analyzer.model import Diagnostic, SelectorPair

    ep.src["selectors"] = acl_src
    acl = cfg.acls.get(acl_name)
    if acl is None:
        ep.notes.append(Diagnostic(severity="error", file=cfg.file, line=acl_src.line, text=acl_src.text,
                                   message=f"{label} {acl_name} is not defined"))
        return
    ep.selectors = [SelectorPair(local=e.src, remote=e.dst, protocol=e.protocol, source=e.source)
                    for e in acl.entries if e.action == "permit"]
    if not ep.selectors:
        ep.notes.append(no_readable_permit(cfg.file, acl_src, f"{label} {acl_name}"))


def no_readable_permit(file: str, at, what: str):
    """A crypto ACL with no permit entry the checks could read: the flows were not compared, and an
    unreadable line is what the tunnel protects, so this is an error, not a set-aside line."""
    from analyzer.model import Diagnostic

    return Diagnostic(severity="error", file=file, line=at.line, text=at.text,
                      message=f"{what}: no permit entry the checks could read (object-groups, addresses not "
                              "understood, or deny entries only): the protected flows were not compared")
