"""The Alibaba side of an audit, kept small (issue 16): a full AlibabaTunnel model takes ~24 KiB, so the parent
keeps one `TunnelRef` per tunnel (what pairing, the summary and the hook read) and keeps the models pickled and
compressed (`Spool`). Workers (forked: they share the blobs) load the models of the tunnels they pair,
through a small per-process cache; the cross-connection rules load one group of related tunnels at a time."""
from __future__ import annotations

import pickle
import socket
import struct
import sys
import zlib
from collections import OrderedDict
from dataclasses import dataclass

from analyzer.model import AlibabaTunnel

_CACHE_SIZE = 256  # models kept per process: the tunnels of ~10 VPN gateways (devices arrive sorted by file)


@dataclass(frozen=True, slots=True)
class TunnelRef:
    """What the audit's parent process keeps of one tunnel; `Spool.load` gives the full model back. Strings
    shared by many tunnels (file, gateway) are interned."""
    connection_id: str | None
    connection_name: str | None
    tunnel_id: str | None
    role: str | None
    file: str
    vpn_gateway_id: str | None
    customer_gateway_id: str | None
    local_address: str | None  # the Alibaba gateway IP (endpoint.local_address)
    peer_address: str | None  # the customer gateway IP
    offset: int  # of the model in its Spool
    size: int

    @property
    def connection_key(self) -> str:
        return self.connection_id or self.connection_name or self.file

    @property
    def key(self) -> str:
        """cross.tunnel_key"""
        return f"{self.connection_key}/{self.tunnel_id or '-'}"

    @property
    def dedup(self) -> str:
        """As audit._dedup_key: the tunnel key, and the role of a tunnel without an id."""
        return self.key + (f"/{self.role}" if not self.tunnel_id and self.role else "")


def _shared(text: str | None) -> str | None:
    return None if text is None else sys.intern(text)


_ROW = struct.Struct("<QIIB")  # offset, size, customer-gateway IPv4 as an integer, whether there is one


def packed(refs) -> bytes:
    """The rows an index entry holds for the workers: one bytes object per key instead of Python objects,
    whose reference counts a forked worker would write to (copying the parent's pages, memory per worker
    growing with the audit)."""
    return b"".join(_ROW.pack(r.offset, r.size, _ipv4(r.peer_address), r.peer_address is not None) for r in refs)


def unpacked(rows: bytes | None) -> list[tuple[int, int, int | None]]:
    """(offset, size, customer-gateway IPv4 as an integer or None) of each row of ``packed``."""
    return [(o, n, ip if has else None) for o, n, ip, has in _ROW.iter_unpack(rows or b"")]


def _ipv4(address: str | None) -> int:
    try:
        return int.from_bytes(socket.inet_aton(address), "big") if address else 0
    except OSError:
        return 0


def ipv4_int(address: str | None) -> int | None:
    """An IPv4 address as packed rows hold it; None for none."""
    return _ipv4(address) if address else None


class Spool:
    """Pickled tunnel models, compressed against the first one (tunnels of one export differ in a few values:
    ~320 bytes each instead of ~24 KiB as objects), one after the other in one buffer. In memory, not in a
    temporary file: a model holds the pre-shared key. Forked workers read the buffer copy-on-write (slicing it
    writes to no page of it)."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._zdict: bytes | None = None
        self._cache: OrderedDict[int, AlibabaTunnel] = OrderedDict()

    def add(self, t: AlibabaTunnel) -> TunnelRef:
        blob = pickle.dumps(t, pickle.HIGHEST_PROTOCOL)
        if self._zdict is None:
            self._zdict = blob[-32768:]  # zlib's window: a preset dictionary is used up to 32 KiB
        z = zlib.compressobj(1, zdict=self._zdict)
        data = z.compress(blob) + z.flush()
        offset = len(self._buf)
        self._buf += data
        return TunnelRef(t.connection_id, t.connection_name, t.tunnel_id, _shared(t.role), _shared(t.file),
                         _shared(t.vpn_gateway_id), t.customer_gateway_id, _shared(t.endpoint.local_address),
                         t.endpoint.peer_address, offset, len(data))

    def freeze(self) -> None:
        """No more tunnels: the buffer becomes immutable bytes (before the workers are forked)."""
        self._buf = bytes(self._buf)

    def load(self, ref: TunnelRef) -> AlibabaTunnel:
        return self.load_at(ref.offset, ref.size)

    def load_at(self, offset: int, size: int) -> AlibabaTunnel:
        t = self._cache.get(offset)
        if t is not None:
            self._cache.move_to_end(offset)
            return t
        z = zlib.decompressobj(zdict=self._zdict)
        t = pickle.loads(z.decompress(self._buf[offset:offset + size]) + z.flush())
        self._cache[offset] = t
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return t

    def load_all(self, refs) -> list[AlibabaTunnel]:
        return [self.load(r) for r in refs]


def related_groups(refs: list[TunnelRef]) -> list[list[TunnelRef]]:
    """The tunnels split into groups no cross-connection rule looks across: tunnels join one group when they
    share a connection, a customer gateway (id, else IP) or a VPN gateway (id, else IP), the keys the rules of
    analyzer/rules/cross.py group by. Groups of one tunnel are left out (every such rule compares two or more).
    In input order within a group; groups in the order of their first tunnel."""
    parent = list(range(len(refs)))

    def find(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    first: dict[tuple[int, str], int] = {}
    for i, r in enumerate(refs):
        for kind, k in enumerate((r.connection_key, r.customer_gateway_id or r.peer_address,
                                  r.vpn_gateway_id or r.local_address)):
            if not k:
                continue
            j = first.setdefault((kind, k), i)
            if j != i:
                a, b = find(i), find(j)
                if a != b:
                    parent[max(a, b)] = min(a, b)
    groups: dict[int, list[TunnelRef]] = {}
    for i, r in enumerate(refs):
        groups.setdefault(find(i), []).append(r)
    return [g for g in groups.values() if len(g) > 1]
