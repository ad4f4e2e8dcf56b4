"""The Alibaba side of an audit, kept small (issue 16): a full AlibabaTunnel model takes ~24 KiB, so the parent
keeps one `TunnelRef` per tunnel (what pairing, the summary and the hook read) and keeps the models pickled and
compressed (`Spool`). Workers (forked: they share the blobs) load the models of the tunnels they pair,
through a small per-process cache; the cross-connection rules read each tunnel's compact record
(`Spool.cross_records`, analyzer/rules/cross.py `CrossTunnel`), one group of related tunnels at a time."""
from __future__ import annotations

import io
import marshal
import pickle
import socket
import struct
import sys
import zlib
from collections import OrderedDict

from netaddr import IPNetwork
from netaddr.strategy import ipv4 as _ipv4_module
from pydantic import BaseModel

from analyzer.model import AlibabaTunnel, _Model  # the base of every model a tunnel holds
from analyzer.rules.cross import CrossTunnel, cross_tunnel

_new = object.__new__
_set = object.__setattr__
_CACHE_SIZE = 256  # models kept per process: the tunnels of ~10 VPN gateways (devices arrive sorted by file)


# a TunnelRef's row: offset, size, the UTF-8 length (-1: None) of each of connection id, connection name,
# tunnel id, customer-gateway id and customer-gateway IP; then those texts
_REF = struct.Struct("<QI5i")


class TunnelRef:
    """What the audit's parent process keeps of one tunnel; `Spool.load` gives the full model back. Strings
    shared by many tunnels (role, file, gateway) are interned and referenced; the others, with the blob's offset
    and size, are packed into one bytes object (~100 bytes instead of ~5 objects of ~60). Immutable."""

    __slots__ = ("_row", "role", "file", "vpn_gateway_id", "local_address")

    def __init__(self, connection_id: str | None, connection_name: str | None, tunnel_id: str | None,
                 role: str | None, file: str, vpn_gateway_id: str | None, customer_gateway_id: str | None,
                 local_address: str | None, peer_address: str | None, offset: int, size: int) -> None:
        texts = [None if x is None else x.encode("utf-8", "surrogatepass")
                 for x in (connection_id, connection_name, tunnel_id, customer_gateway_id, peer_address)]
        _set(self, "_row", _REF.pack(offset, size, *(-1 if x is None else len(x) for x in texts))
             + b"".join(x for x in texts if x))
        for name, value in (("role", role), ("file", file), ("vpn_gateway_id", vpn_gateway_id),
                            ("local_address", local_address)):
            _set(self, name, value)

    def __setattr__(self, name, value):
        raise AttributeError(f"TunnelRef is immutable (cannot set {name})")

    def _text(self, index: int) -> str | None:
        row = self._row
        lengths = _REF.unpack_from(row)[2:]
        if lengths[index] < 0:
            return None
        start = _REF.size + sum(n for n in lengths[:index] if n > 0)
        return row[start:start + lengths[index]].decode("utf-8", "surrogatepass")

    connection_id = property(lambda self: self._text(0))
    connection_name = property(lambda self: self._text(1))
    tunnel_id = property(lambda self: self._text(2))
    customer_gateway_id = property(lambda self: self._text(3))
    peer_address = property(lambda self: self._text(4))  # the customer gateway IP
    offset = property(lambda self: _REF.unpack_from(self._row)[0])  # of the model in its Spool
    size = property(lambda self: _REF.unpack_from(self._row)[1])

    def _values(self) -> tuple:
        return (self._row, self.role, self.file, self.vpn_gateway_id, self.local_address)

    def __eq__(self, other) -> bool:
        return isinstance(other, TunnelRef) and self._values() == other._values()

    def __hash__(self) -> int:
        return hash(self._values())

    def __repr__(self) -> str:
        return (f"TunnelRef(connection_id={self.connection_id!r}, tunnel_id={self.tunnel_id!r}, "
                f"role={self.role!r}, file={self.file!r})")

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


# --- pickling the models cheaply --------------------------------------------------------------------------
# pydantic pickles a model as a state dict that its Python __setstate__ unpacks (~40 models per tunnel), and
# netaddr validates each network's state in Python. A model here is rebuilt as pydantic's __setstate__ and
# __copy__ rebuild one (object.__new__, then its __dict__ and fields set; no extra, no private attributes: none
# of the models has them, a model that does is pickled pydantic's way), an IPv4 network from its two integers.

def _model(cls: type, values: dict, fields_set: set) -> BaseModel:
    m = _new(cls)
    _set(m, "__dict__", values)
    _set(m, "__pydantic_fields_set__", fields_set)
    _set(m, "__pydantic_extra__", None)
    _set(m, "__pydantic_private__", None)
    return m


def _network(value: int, prefixlen: int) -> IPNetwork:
    n = _new(IPNetwork)
    n._value, n._prefixlen, n._module = value, prefixlen, _ipv4_module
    return n


def _reduce_model(m: BaseModel):
    if m.__pydantic_extra__ is None and m.__pydantic_private__ is None:
        return _model, (type(m), m.__dict__, m.__pydantic_fields_set__)
    return m.__reduce_ex__(pickle.HIGHEST_PROTOCOL)


def _reduce_network(n: IPNetwork):
    if n._module is _ipv4_module:
        return _network, (n._value, n._prefixlen)
    return n.__reduce_ex__(pickle.HIGHEST_PROTOCOL)


def _subclasses(cls: type):
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


class _Pickler(pickle.Pickler):
    # a table (looked up in C by exact type) rather than reducer_override, which Python would call for every
    # class and function the pickle names as well; a model class not in it is pickled pydantic's way
    dispatch_table: dict = {}


def dumps(t: AlibabaTunnel) -> bytes:
    if not _Pickler.dispatch_table:
        _Pickler.dispatch_table = {cls: _reduce_model for cls in _subclasses(_Model)}
        _Pickler.dispatch_table[IPNetwork] = _reduce_network
    out = io.BytesIO()
    _Pickler(out, pickle.HIGHEST_PROTOCOL).dump(t)
    return out.getvalue()


_WBITS = 14
_WINDOW = 1 << _WBITS
_HEAD = struct.Struct("<I")  # a blob: the length of the CrossTunnel record, the record (marshal), the model (pickle)


class Spool:
    """Pickled tunnel models, compressed against the first one (tunnels of one export differ in a few values:
    ~320 bytes each instead of ~24 KiB as objects), one after the other in one buffer. In memory, not in a
    temporary file: a model holds the pre-shared key. Forked workers read the buffer copy-on-write (slicing it
    writes to no page of it). Each blob starts with the tunnel's CrossTunnel record (no key in it), which the
    cross-connection rules read without unpickling the model (``cross_records``)."""

    def __init__(self) -> None:
        self._buf = bytearray()
        self._zdict: bytes | None = None
        self._cache: OrderedDict[int, AlibabaTunnel] = OrderedDict()

    def add(self, t: AlibabaTunnel) -> TunnelRef:
        record = marshal.dumps(tuple(cross_tunnel(t)))
        blob = _HEAD.pack(len(record)) + record + dumps(t)
        if self._zdict is None:
            self._zdict = blob[-_WINDOW:]  # a preset dictionary is used up to the window's size
        # a 16 KiB window and small tables: a blob is ~5 KiB, and setting up zlib's default 256 KiB of state cost
        # more than compressing (0.22 -> 0.18 M instructions a blob). Levels 1-3 cost the same here; 3 makes
        # blobs of ~310 bytes instead of ~400 (level 6: 300 bytes for 1.5x the instructions)
        z = zlib.compressobj(3, zlib.DEFLATED, _WBITS, 6, zdict=self._zdict)
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
        blob = z.decompress(self._buf[offset:offset + size]) + z.flush()
        t = pickle.loads(memoryview(blob)[_HEAD.size + _HEAD.unpack_from(blob)[0]:])
        self._cache[offset] = t
        if len(self._cache) > _CACHE_SIZE:
            self._cache.popitem(last=False)
        return t

    def load_all(self, refs) -> list[AlibabaTunnel]:
        return [self.load(r) for r in refs]

    def cross_record(self, ref: TunnelRef) -> CrossTunnel:
        """What analyzer/rules/cross.py reads of the tunnel: only the head of its blob is inflated."""
        z = zlib.decompressobj(zdict=self._zdict)
        head = _inflate(z, self._buf[ref.offset:ref.offset + ref.size], _HEAD.size)
        return CrossTunnel(*marshal.loads(_inflate(z, z.unconsumed_tail, _HEAD.unpack(head)[0])))

    def cross_records(self, refs) -> list[CrossTunnel]:
        return [self.cross_record(r) for r in refs]


def _inflate(z, data: bytes, n: int) -> bytes:
    """The next n bytes out of the decompressor z, fed ``data`` (what it left unread is z.unconsumed_tail)."""
    out = z.decompress(data, n)
    while len(out) < n:
        more = z.decompress(z.unconsumed_tail, n - len(out))
        if not more:
            break
        out += more
    return out


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
