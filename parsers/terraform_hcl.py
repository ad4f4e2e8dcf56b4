"""Terraform HCL sources (``*.tf``): the alicloud_vpn_connection resources of a module folder, before any plan.

Values are taken when they are literals, or ``var.`` / ``local.`` references that resolve to literals (variable
defaults, ``terraform.tfvars``, ``*.auto.tfvars`` in lexical order - Terraform's precedence:
https://developer.hashicorp.com/terraform/language/values/variables#variable-definition-precedence - and the
arguments of a module call with a local ``source = "./..."``). Anything else is "cannot verify", with the
expression shown (never for a Psk). ``customer_gateway_id = alicloud_vpn_customer_gateway.x.id`` is resolved to
that resource's ``ip_address`` when it is a literal.

Attribute names: alicloud provider ``alicloud/resource_alicloud_vpn_connection.go`` and
``website/docs/r/vpn_connection.html.markdown`` (aliyun/terraform-provider-alicloud, 2026-08, commit 81c43b67):
``ike_config { ike_local_id, ike_remote_id, ... }`` for one tunnel, ``tunnel_options_specification {
tunnel_ike_config { local_id, remote_id, ... } }`` for two; ``name`` is the deprecated spelling of
``vpn_connection_name`` (since 1.216.0) and still accepted. The snake_case keys are the API's
(``parsers.alibaba._Node`` looks both up), so the values dict here has the shape of ``terraform show -json``.
"""
from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any

from parsers.common import InputError, read_text
from parsers.values import display_path

CONN, CGW, VPNGW = "alicloud_vpn_connection", "alicloud_vpn_customer_gateway", "alicloud_vpn_gateway"
MAX_TF_BYTES = 512 * 2 ** 10  # one .tf file; a Terraform module is kilobytes and the parser takes ~7 s per MB
MAX_TOTAL_BYTES = 2 ** 20  # all .tf and .tfvars files of one load (root folder and its local modules)
MAX_FILES = 200  # .tf files per folder
MAX_MODULE_DEPTH = 8  # nested local module calls
MAX_DEPTH = 48  # expression / block nesting read; deeper is not a literal worth reading
MAX_STRING = 64 * 2 ** 10  # characters of one evaluated string: a provider argument is far smaller
MAX_ITEMS = 10_000  # list items (nested, counted) of one evaluated value
MAX_MODULE_CALLS = 500  # module instances read in all (a call fanned out level after level grows exponentially)
MAX_INSTANCES = 20  # count = N: instances read; more is not a VPN connection list worth expanding


class NotLiteral(Exception):
    """An expression that does not resolve to a literal; ``why`` names it."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


def safe_source(source: str) -> str:
    """A module source as it may be shown: scheme, host and path only. A git or HTTP source may carry a token in
    its userinfo (``https://oauth2:TOKEN@host``) or its query (``?access_token=``, ``?sshkey=``)."""
    getter, sep, rest = source.partition("::")
    if not sep:
        getter, rest = "", source
    rest = rest.split("?", 1)[0]
    if "://" in rest:
        scheme, _, after = rest.partition("://")
        rest = f"{scheme}://{after.rsplit('@', 1)[-1] if '@' in after.split('/', 1)[0] else after}"
    elif "@" in rest.split("/", 1)[0]:  # git@host:org/repo (scp-like)
        rest = rest.split("@", 1)[1]
    shown = f"{getter}::{rest}" if getter else rest
    return shown if len(shown) <= 120 else shown[:117] + "..."


_USERINFO = re.compile(r"(://)[^/\s\"'@]*@")
_TOKEN_QUERY = re.compile(r"([?&][A-Za-z_]*(?:token|key|secret|password|sig)[A-Za-z_]*=)[^&\s\"']*", re.I)


def _no_credentials(text: str) -> str:
    """Expression text as shown: a URL's userinfo and token-like query values left out (read-time masking)."""
    return _TOKEN_QUERY.sub(r"\1***", _USERINFO.sub(r"\1", text))


class Ref:
    """``TYPE.NAME.id`` of a gateway resource: its module-qualified address."""

    def __init__(self, address: str):
        self.address = address


class Connection:
    """One connection resource: values in ``terraform show -json`` shape, unknown and located paths."""

    def __init__(self, values: dict, path: str, file: str, unknown: dict[str, str],
                 where: dict[str, tuple[str, int]]):
        self.values, self.path, self.file, self.unknown, self.where = values, path, file, unknown, where


_ESCAPES = re.compile(r'\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)', re.S)
_SIMPLE = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}


def _unescape(text: str) -> str:
    def one(m: re.Match) -> str:
        s = m.group(1)
        if s[0] in "uU" and len(s) > 1:
            return chr(int(s[1:], 16)) if int(s[1:], 16) <= 0x10FFFF else "\uFFFD"
        return _SIMPLE.get(s, "\\" + s)
    return _ESCAPES.sub(one, text)


def _parse(path: Path, shown: str, budget: list[int]):
    """The lark tree of one HCL file; an InputError naming the file and line for a syntax error."""
    import hcl2  # lazily: only a Terraform input pays for the parser
    from lark.exceptions import LarkError, UnexpectedInput

    text = read_text(path)
    if len(text) > MAX_TF_BYTES:
        raise InputError(shown, f"HCL file larger than {MAX_TF_BYTES // 2 ** 10} KB: not read (a Terraform module "
                                "is kilobytes)")
    budget.append(len(text))
    if sum(budget) > MAX_TOTAL_BYTES:
        raise InputError(shown, f"the Terraform files read with this one exceed {MAX_TOTAL_BYTES // 2 ** 20} MB: not "
                                "read (give the folder of the connection's module)")
    try:
        return hcl2.parses_to_tree(text), text
    except UnexpectedInput as exc:  # the token is not shown: it may be part of a key
        raise InputError(shown, f"invalid HCL syntax (column {getattr(exc, 'column', '?')})",
                         line=getattr(exc, "line", None)) from None
    except (LarkError, RecursionError):
        raise InputError(shown, "invalid HCL syntax (nested too deeply or not HCL)") from None


def _trees(node) -> list:
    """The Tree children (tokens and comments left out)."""
    from lark import Tree
    return [c for c in node.children if isinstance(c, Tree) and c.data != "new_line_or_comment"]


def _name(node) -> str:
    """An identifier, keyword or string label as text."""
    from lark import Token
    if isinstance(node, Token):
        return str(node)
    if node.data == "string":
        return "".join(_unescape(str(p.children[0])) for p in node.children if hasattr(p, "data")
                       and isinstance(p.children[0], Token))
    return "".join(str(c) for c in node.children if isinstance(c, Token))


class _File:
    def __init__(self, path: Path, shown: str, tree, text: str):
        self.path, self.shown, self.tree, self.text = path, shown, tree, text
        self.override = _is_override(path.name)

    def expr_text(self, node) -> str:
        meta = node.meta
        text = self.text[meta.start_pos:meta.end_pos] if not meta.empty else "?"
        text = _no_credentials(" ".join(text.split()))
        return text if len(text) <= 120 else text[:117] + "..."


class _Module:
    """One module folder: its files, variables (with their values), locals, and the scope to evaluate in."""

    def __init__(self, folder: Path, prefix: str, files: list[_File], inputs: dict[str, Any],
                 sensitive_inputs: frozenset[str] = frozenset()):
        self.folder, self.prefix, self.files = folder, prefix, files
        self.vars: dict[str, Any] = {}  # name -> value or NotLiteral
        self.locals: dict[str, tuple[_File, Any]] = {}
        self.local_values: dict[tuple[str, bool], tuple[Any, bool]] = {}  # (name, secret_ok) -> (value, touched)
        self.resolving: set[str] = set()
        # A sensitive variable (a key, usually) is read only where a psk is: elsewhere a wrong value would be
        # quoted in an error message ("unknown value ..."), and a key must never be shown.
        self.sensitive: set[str] = set(sensitive_inputs)
        self.secret_ok = False  # set while a psk (or a module argument) is evaluated
        self.touched = False  # a sensitive variable was read since this was last reset
        self.instance: dict[str, Any] = {}  # count.index / each.key / each.value of the instance being read
        for f in files:
            for block in _blocks(f.tree):
                kind, labels, body, _ = block
                if kind == "variable" and labels:
                    attrs = _attributes(body)
                    default = attrs.get("default")
                    flag = attrs.get("sensitive")
                    if flag is not None and _value(lambda: self.eval(flag[1], f, literal_only=True)) is True:
                        self.sensitive.add(labels[0])
                    if not f.override or labels[0] not in self.vars:  # an override sets only what it writes
                        self.vars[labels[0]] = NotLiteral(f"var.{labels[0]} has no value (no default, not in "
                                                          "terraform.tfvars or *.auto.tfvars)")
                    if default is not None:
                        self.vars[labels[0]] = _value(lambda: self.eval(default[1], f, literal_only=True))
                elif kind == "locals":
                    for name, (_, node) in _attributes(body).items():
                        self.locals[name] = (f, node)
        for name, value in inputs.items():
            if name in self.vars:
                self.vars[name] = value

    def local(self, name: str) -> Any:
        key = (name, self.secret_ok)
        if key in self.local_values:
            value, touched = self.local_values[key]
            self.touched |= touched
            return value
        if name not in self.locals:
            raise NotLiteral(f"local.{name} is not defined")
        if name in self.resolving:
            raise NotLiteral(f"local.{name} refers to itself (a cycle)")
        self.resolving.add(name)
        outer, self.touched = self.touched, False
        try:
            f, node = self.locals[name]
            self.local_values[key] = (_value(lambda: self.eval(node, f)), self.touched)
        finally:
            self.resolving.discard(name)
            self.touched |= outer
        return self.local(name)

    def eval_secret(self, node, f: _File) -> tuple[Any, bool]:
        """An expression that may read sensitive variables (a psk, a module argument): (value, read one)."""
        self.secret_ok, self.touched = True, False
        try:
            return _value(lambda: self.eval(node, f)), self.touched
        finally:
            self.secret_ok = False

    def eval(self, node, f: _File, literal_only: bool = False, depth: int = 0) -> Any:
        """The literal value of an expression, or NotLiteral naming it."""
        if depth > MAX_DEPTH:
            raise NotLiteral("nested too deeply")
        kind = getattr(node, "data", None)
        kids = _trees(node) if kind else []
        if kind == "expr_term" and len(kids) == 1:
            return self.eval(kids[0], f, literal_only, depth + 1)
        if kind == "int_lit":
            return int(str(node.children[0]))
        if kind == "float_lit":
            return float(str(node.children[0]))
        if kind == "literal_value":
            return {"true": True, "false": False}.get(str(node.children[0]))
        if kind == "unary_op" and str(node.children[0]) == "-" and kids:
            value = self.eval(kids[0], f, literal_only, depth + 1)
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                return -value
        if kind == "string":
            return self._string(node, f, literal_only, depth)
        if kind == "conditional" and len(kids) == 3:
            cond = self.eval(kids[0], f, literal_only, depth + 1)
            if isinstance(cond, bool):
                return self.eval(kids[1] if cond else kids[2], f, literal_only, depth + 1)
        if kind == "object":
            return self._object(kids, f, literal_only, depth)
        if kind == "tuple":
            items = [self.eval(k, f, literal_only, depth + 1) for k in kids]
            if _items(items, MAX_ITEMS) > MAX_ITEMS:
                raise NotLiteral(f"value too large (over {MAX_ITEMS:,} list items)")
            return items
        if kind in ("get_attr_expr_term", "index_expr_term") and not literal_only:
            return self._reference(node, f)
        raise NotLiteral(f"{f.expr_text(node)} is not a literal, var. or local. reference")

    def _object(self, elems: list, f: _File, literal_only: bool, depth: int) -> dict:
        out: dict[str, Any] = {}
        for elem in elems:
            key_node, value_node = _trees(elem)[0], _trees(elem)[-1]
            inner = _trees(key_node)[0] if _trees(key_node) else key_node
            inner = _trees(inner)[0] if inner.data == "expr_term" and _trees(inner) else inner
            key = _name(inner) if inner.data == "identifier" else self.eval(inner, f, literal_only, depth + 1)
            if not isinstance(key, str):
                raise NotLiteral(f"{f.expr_text(key_node)}: an object key that is not a literal")
            out[key] = self.eval(value_node, f, literal_only, depth + 1)
        if _items(out, MAX_ITEMS) > MAX_ITEMS:
            raise NotLiteral(f"value too large (over {MAX_ITEMS:,} items)")
        return out

    def _string(self, node, f: _File, literal_only: bool, depth: int) -> Any:
        parts: list[Any] = []
        for part in node.children:
            if not hasattr(part, "data"):
                continue  # the quotes
            inner = part.children[0]
            if hasattr(inner, "data") and inner.data == "interpolation":
                expr = _trees(inner)
                if literal_only or len(expr) != 1:
                    raise NotLiteral(f"{f.expr_text(node)} is not a literal")
                parts.append(self.eval(expr[0], f, literal_only, depth + 1))
            elif inner.type == "ESCAPED_INTERPOLATION" or inner.type == "ESCAPED_DIRECTIVE":
                parts.append(str(inner)[1:])  # $${ -> ${
            else:
                parts.append(_unescape(str(inner)))
        if len(parts) == 1 and not isinstance(parts[0], str):
            return parts[0]  # "${var.x}" is var.x itself
        if any(isinstance(p, (list, dict, Ref)) or p is None for p in parts):
            raise NotLiteral(f"{f.expr_text(node)} is not a literal")
        if sum(len(p) if isinstance(p, str) else 32 for p in parts) > MAX_STRING:
            raise NotLiteral(f"value too large (a string over {MAX_STRING // 2 ** 10} KB)")
        return "".join(p if isinstance(p, str) else str(p).lower() if isinstance(p, bool) else str(p)
                       for p in parts)

    def _reference(self, node, f: _File) -> Any:
        """var.x, local.x (with literal list indexes: var.x[0], var.x.0) and TYPE.NAME.id of a gateway."""
        chain: list[str] = []
        indexes: list[int] = []
        cur = node
        for _ in range(MAX_DEPTH):
            kind = getattr(cur, "data", None)
            kids = _trees(cur) if kind else []
            if kind == "expr_term" and len(kids) == 1 and kids[0].data != "identifier":
                cur = kids[0]
            elif kind == "get_attr_expr_term":
                chain.insert(0, _name(_trees(kids[1])[0]))
                cur = kids[0]
            elif kind == "index_expr_term" and not chain:
                index = kids[1]
                text = str(index.children[-1]) if index.data == "short_index" else None
                if index.data == "braces_index":
                    value = self.eval(_trees(index)[0], f)
                    text = str(value) if isinstance(value, int) and not isinstance(value, bool) else None
                if text is None or not text.isdigit():
                    break
                indexes.insert(0, int(text))
                cur = kids[0]
            else:
                break
        kids = _trees(cur) if getattr(cur, "data", None) == "expr_term" else []
        if len(kids) == 1 and kids[0].data == "identifier":
            chain.insert(0, _name(kids[0]))
            if chain[0] in ("var", "local") and len(chain) == 2 and indexes:
                value = self._reference_value(chain, f)
                for i in indexes:
                    if not isinstance(value, list) or i >= len(value):
                        raise NotLiteral(f"{f.expr_text(node)}: no such element")
                    value = value[i]
                return value
            if indexes:
                raise NotLiteral(f"{f.expr_text(node)} is not a literal, var. or local. reference")
            return self._reference_value(chain, f, node)
        raise NotLiteral(f"{f.expr_text(node)} is not a literal, var. or local. reference")

    def _reference_value(self, chain: list[str], f: _File, node=None) -> Any:
        if chain[0] in ("count", "each") and len(chain) >= 2:
            name = f"{chain[0]}.{chain[1]}"
            if name not in self.instance:
                raise NotLiteral(f"{name} is used outside a {chain[0] if chain[0] == 'count' else 'for_each'}")
            return _attr_path(self.instance[name], chain[2:], ".".join(chain))
        if chain[0] == "var" and len(chain) >= 2 and chain[1] in self.sensitive:
            if not self.secret_ok:
                raise NotLiteral(f"var.{chain[1]} is sensitive: it is read only for a psk")
            self.touched = True
        if chain[0] in ("var", "local") and len(chain) >= 2:
            value = self.vars.get(chain[1], NotLiteral(f"var.{chain[1]} is not declared")) if chain[0] == "var" \
                else self.local(chain[1])
            if isinstance(value, NotLiteral):
                raise value
            return _attr_path(value, chain[2:], ".".join(chain))
        if chain[0] in (CGW, VPNGW) and len(chain) == 3 and chain[2] == "id":
            return Ref(f"{self.prefix}{chain[0]}.{chain[1]}")
        raise NotLiteral(f"{'.'.join(chain) if node is None else f.expr_text(node)} is not a literal, var. or "
                         "local. reference")


def _attr_path(value: Any, names: list[str], shown: str) -> Any:
    """value.a.b of an object value (each.value.ip, var.site.cidr)."""
    for name in names:
        if not isinstance(value, dict) or name not in value:
            raise NotLiteral(f"{shown}: no such attribute")
        value = value[name]
    return value


def _items(value: Any, budget: int) -> int:
    """List items in value, nested ones counted, stopping past budget (shared sublists would be counted again and
    again: a doubling chain of locals reaches 2**40 items)."""
    if not isinstance(value, (list, dict)):
        return 0
    n = 0
    for item in value.values() if isinstance(value, dict) else value:
        n += 1 + _items(item, budget - n)
        if n > budget:
            break
    return n


def _value(compute) -> Any:
    try:
        return compute()
    except NotLiteral as exc:
        return exc
    except (ValueError, OverflowError):  # a number of over 4,300 digits, an out-of-range float
        return NotLiteral("a number too large to read")


def _blocks(tree) -> list[tuple[str, list[str], Any, int | None]]:
    """(type, labels, body, line) of each top-level block of a file (or of a block body)."""
    body = tree if tree.data == "body" else _trees(tree)[0] if _trees(tree) else tree
    out = []
    for node in _trees(body):
        if node.data == "block":
            parts = [c for c in node.children if hasattr(c, "data") and c.data != "new_line_or_comment"]
            out.append((_name(parts[0]), [_name(p) for p in parts[1:-1]], parts[-1], node.meta.line))
    return out


def _attributes(body) -> dict[str, tuple[int, Any]]:
    """name -> (line, expression node) of a body's attributes."""
    out = {}
    for node in _trees(body):
        if node.data == "attribute":
            parts = [c for c in node.children if hasattr(c, "data")]
            out[_name(parts[0])] = (node.meta.line, parts[-1])
    return out


def _read_vars(folder: Path, names: set[str], budget: list[int]) -> dict[str, Any]:
    """terraform.tfvars then *.auto.tfvars (lexical order), and their .json forms: literals only."""
    files = [folder / "terraform.tfvars", folder / "terraform.tfvars.json"]
    files += sorted(p for p in folder.glob("*.auto.tfvars*") if p.name.endswith((".auto.tfvars", ".auto.tfvars.json")))
    values: dict[str, Any] = {}
    for path in files:
        if not path.is_file():
            continue
        shown = display_path(str(path))
        if path.name.endswith(".json"):
            try:
                data = json.loads(read_text(path))
            except (ValueError, RecursionError):
                raise InputError(shown, "invalid JSON") from None
            values.update(data if isinstance(data, dict) else {})
            continue
        tree, text = _parse(path, shown, budget)
        f = _File(path, shown, tree, text)
        scratch = _Module(folder, "", [], {})
        for name, (_, node) in _attributes(_trees(tree)[0] if _trees(tree) else tree).items():
            values[name] = _value(lambda: scratch.eval(node, f, literal_only=True))
    return {k: v for k, v in values.items() if k in names}


def _is_override(name: str) -> bool:
    """override.tf and *_override.tf merge into the blocks of the other files, processed after them in lexical
    order (https://developer.hashicorp.com/terraform/language/files/override)."""
    return name == "override.tf" or name.endswith("_override.tf")


def _files(folder: Path, budget: list[int]) -> list[_File]:
    """The folder's .tf files, override files last (each group in lexical order)."""
    paths = sorted((p for p in folder.glob("*.tf") if p.is_file()), key=lambda p: (_is_override(p.name), p.name))
    if len(paths) > MAX_FILES:
        raise InputError(display_path(str(folder)), f"more than {MAX_FILES} .tf files in one folder: not read")
    out = []
    for p in paths:
        tree, text = _parse(p, display_path(str(p)), budget)
        out.append(_File(p, display_path(str(p)), tree, text))
    return out


class _Run:
    """One read: what it found and where it stands (bytes read, parsed folders, problems and notes)."""

    def __init__(self, cgw_ip: dict[str, str], errors: list[InputError], notes: list[InputError]):
        self.cgw_ip, self.errors, self.notes = cgw_ip, errors, notes
        self.budget: list[int] = []  # bytes read so far (hostile input: many or huge files)
        self.parsed: dict[Path, list[_File]] = {}  # a module called many times is parsed once
        self.out: list[Connection] = []
        self.remote: list[str] = []  # remote module sources (shown without credentials)
        self.calls = 0  # module instances read

    def files(self, folder: Path) -> list[_File]:
        key = folder.resolve()
        if key not in self.parsed:
            self.parsed[key] = _files(folder, self.budget)
        return self.parsed[key]


def read(path: str | Path, cgw_ip: dict[str, str], errors: list[InputError],
         notes: list[InputError] | None = None) -> list[Connection]:
    """The connections of a .tf file's folder (or of a folder) and of the local modules it calls. Customer gateway
    addresses found are added to ``cgw_ip`` by resource address; problems that leave the rest readable (a remote
    module that may hold a connection, a dynamic tunnel block, a count that does not resolve) are appended to
    ``errors``; what was deliberately not read (a remote module, ``count = 0``) to ``notes``."""
    folder = Path(path)
    folder = folder.parent if folder.is_file() or folder.suffix == ".tf" else folder
    if not folder.is_dir():
        raise InputError(display_path(str(path)), "not a folder or .tf file")
    run = _Run(cgw_ip, errors, [] if notes is None else notes)
    files = run.files(folder)
    declared = {labels[0] for f in files for kind, labels, _, _ in _blocks(f.tree) if kind == "variable" and labels}
    module = _Module(folder, "", files, _read_vars(folder, declared, run.budget))
    _walk(module, [folder.resolve()], run)
    if not run.out and run.remote:  # the connection may well be in one of them: not "no connection"
        errors.append(InputError(display_path(str(folder)), f"no {CONN} resource in the .tf files read; it may be in "
                                 f"the remote module(s) {', '.join(run.remote)}, which are not read: nothing was "
                                 "checked (give the plan JSON: terraform show -json PLAN)"))
    return run.out


def _instances(module: _Module, f: _File, what: str, attrs: dict, run: _Run) -> list[tuple[str, dict]]:
    """(address suffix, count.index / each.* values) of each instance of a resource or module call: one plain
    instance without count / for_each; none (with a note or an error saying why) when they do not resolve."""
    if "count" in attrs:
        line, node = attrs["count"]
        n = _value(lambda: module.eval(node, f))
        if isinstance(n, NotLiteral) or isinstance(n, bool) or not isinstance(n, int) or not 0 <= n <= MAX_INSTANCES:
            why = n.why if isinstance(n, NotLiteral) else f"not a count of 0 to {MAX_INSTANCES}"
            run.errors.append(InputError(f.shown, f"{what}: cannot verify: count = {f.expr_text(node)} ({why}): its "
                                                  "instances are not checked", line=line))
            return []
        if n == 0:
            run.notes.append(InputError(f.shown, f"{what}: count = 0: not created, not checked", line=line))
        return [(f"[{i}]", {"count.index": i}) for i in range(n)]
    if "for_each" in attrs:
        line, node = attrs["for_each"]
        value = _value(lambda: module.eval(node, f))
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = {v: v for v in value}  # a set of strings: each.value is each.key
        if not isinstance(value, dict) or len(value) > MAX_INSTANCES:
            why = value.why if isinstance(value, NotLiteral) else f"not a map or set of up to {MAX_INSTANCES}"
            run.errors.append(InputError(f.shown, f"{what}: cannot verify: for_each = {f.expr_text(node)} ({why}): "
                                                  "its instances are not checked", line=line))
            return []
        if not value:
            run.notes.append(InputError(f.shown, f"{what}: for_each over nothing: not created, not checked",
                                        line=line))
        return [(f'["{k}"]', {"each.key": k, "each.value": value[k]}) for k in sorted(value)]  # Terraform's order
    return [("", {})]


def _walk(module: _Module, stack: list[Path], run: _Run) -> None:
    overrides: dict[tuple[str, ...], list[tuple[_File, Any]]] = {}
    for f in module.files:
        for kind, labels, body, line in _blocks(f.tree) if f.override else []:
            if kind == "resource" and labels[:1] == [CONN]:
                overrides.setdefault(tuple(labels), []).append((f, body))
            elif kind == "module":
                run.notes.append(InputError(f.shown, f'module "{labels[0] if labels else "?"}": an override of a '
                                                     "module call is not applied (the call is read as written)",
                                            line=line))
    for f in module.files:
        for kind, labels, body, _ in _blocks(f.tree):
            if f.override and kind != "resource" or f.override and labels[:1] == [CONN]:
                continue  # merged into the block it overrides
            if kind == "resource" and len(labels) == 2 and labels[0] == CGW:
                attrs = _attributes(body)
                if "ip_address" in attrs and "count" not in attrs and "for_each" not in attrs:
                    ip = _value(lambda: module.eval(attrs["ip_address"][1], f))
                    if isinstance(ip, str):
                        run.cgw_ip[f"{module.prefix}{CGW}.{labels[1]}"] = ip
            elif kind == "resource" and len(labels) == 2 and labels[0] == CONN:
                what = f"{module.prefix}{CONN}.{labels[1]}"
                merged = _merged(f, body, overrides.get(tuple(labels), []))
                attrs = {k: (line, node) for k, (_, line, node) in merged[0].items()}
                for suffix, instance in _instances(module, f, what, attrs, run):
                    module.instance = instance
                    try:
                        conn = _connection(module, f, labels[1] + suffix, merged, run.errors)
                    finally:
                        module.instance = {}
                    if conn is not None:
                        run.out.append(conn)
                        _note_ignored_changes(what + suffix, merged[1], run)
            elif kind == "module" and labels:
                _call(module, f, labels[0], body, stack, run)


def _call(module: _Module, f: _File, name: str, body, stack: list[Path], run: _Run) -> None:
    attrs = _attributes(body)
    line, source_node = attrs.get("source", (None, None))
    source = _value(lambda: module.eval(source_node, f, literal_only=True)) if source_node is not None else None
    if not isinstance(source, str) or not source.startswith(("./", "../")):
        shown = safe_source(source) if isinstance(source, str) else "(not a literal)"
        run.remote.append(f'"{name}" ({shown})')
        problem = InputError(f.shown, f'module "{name}": source {shown} is not a local folder: its resources are not '
                                      "read (only ./ and ../ sources are)", line=line)
        # one named like a VPN module most likely holds the connection: an error, not a note
        (run.errors if "vpn" in shown.lower() or "ipsec" in shown.lower() else run.notes).append(problem)
        return
    child = Path(os.path.normpath(module.folder / source))  # shown as written; resolved only to find cycles
    if child.resolve() in stack or len(stack) > MAX_MODULE_DEPTH or not child.is_dir():
        why = ("calls itself" if child.resolve() in stack else "is nested too deeply" if child.is_dir()
               else "does not exist")
        run.errors.append(InputError(f.shown, f'module "{name}": {source[:120]} {why}: not read', line=line))
        return
    for suffix, instance in _instances(module, f, f"{module.prefix}module.{name}", attrs, run):
        run.calls += 1
        if run.calls > MAX_MODULE_CALLS:
            if run.calls == MAX_MODULE_CALLS + 1:
                run.errors.append(InputError(f.shown, f'module "{name}": more than {MAX_MODULE_CALLS} module instances '
                                                      "in all: the rest are not read", line=line))
            return
        inputs, sensitive = {}, set()
        module.instance = instance
        try:
            for k, (_, node) in attrs.items():
                if k not in ("source", "version", "count", "for_each", "providers", "depends_on"):
                    inputs[k], touched = module.eval_secret(node, f)
                    if touched:  # the module's variable holds a sensitive value, whatever it declares
                        sensitive.add(k)
        finally:
            module.instance = {}
        _walk(_Module(child, f"{module.prefix}module.{name}{suffix}.", run.files(child), inputs, frozenset(sensitive)),
              stack + [child.resolve()], run)


def _merged(f: _File, body, overrides: list[tuple[_File, Any]]) -> tuple[dict, list]:
    """A resource's attributes (name -> (file, line, node)) and blocks ((file, kind, labels, body, line)) with its
    override blocks merged in: an attribute replaces the original's, and the nested blocks of a type replace all
    of the original's of that type (their contents are not merged)."""
    attrs = {k: (f, line, node) for k, (line, node) in _attributes(body).items()}
    blocks = [(f, *b) for b in _blocks(body)]
    for fo, bo in overrides:
        attrs.update({k: (fo, line, node) for k, (line, node) in _attributes(bo).items()})
        new = [(fo, *b) for b in _blocks(bo)]
        kinds = {b[1] for b in new}
        blocks = [b for b in blocks if b[1] not in kinds] + new
    return attrs, blocks


_NOT_CHECKED = {"name", "vpn_connection_name", "tags", "resource_group_id", "timeouts"}  # no bearing on negotiation
_IGNORED_NAME = re.compile(r"(?:^|[\[,])\s*\"?([A-Za-z_][A-Za-z0-9_-]*)")


def _note_ignored_changes(what: str, blocks: list, run: _Run) -> None:
    """`lifecycle { ignore_changes = [...] }`: Terraform stops bringing those arguments back in line with the file
    once the connection exists, so the deployed values may differ from the ones checked. Still compared (they are
    what a create deploys), and said by name."""
    for f, kind, _labels, body, line in blocks:
        if kind != "lifecycle" or "ignore_changes" not in (attrs := _attributes(body)):
            continue
        at, node = attrs["ignore_changes"]
        text = f.expr_text(node).strip()
        names = [n for n in dict.fromkeys(_IGNORED_NAME.findall(text)) if n not in _NOT_CHECKED]
        listed = "ignores all changes" if text in ("all", '"all"') else f"lists {', '.join(names)}" if names else None
        if listed:
            run.notes.append(InputError(f.shown, f"{what}: lifecycle.ignore_changes {listed}: "
                                                 "Terraform does not bring these back in line with this file once the "
                                                 "connection exists, so the deployed values may differ from the ones "
                                                 "checked (check the live connection: check --connection ID --region R "
                                                 "DEVICE.cfg)", line=at))


def _connection(module: _Module, f: _File, name: str, merged: tuple[dict, list],
                errors: list[InputError]) -> Connection | None:
    """None when the resource cannot be read as written (a dynamic block: the error says so)."""
    path = f"{module.prefix}{CONN}.{name}"
    unknown: dict[str, str] = {}
    where: dict[str, tuple[str, int]] = {}
    before = len(errors)
    values = _body(module, f, merged, path, unknown, where, errors, 0)
    return Connection(values, path, f.shown, unknown, where) if len(errors) == before else None


def _body(module: _Module, f: _File, body, path: str, unknown: dict, where: dict, errors: list, depth: int) -> dict:
    """The values of a block body (or of a resource already merged with its overrides: ``_merged``)."""
    values: dict[str, Any] = {}
    if depth > 4:  # the provider's blocks nest three deep
        return values
    attrs, blocks = body if isinstance(body, tuple) else _merged(f, body, [])
    for attr, (f, line, node) in attrs.items():
        at = f"{path}.{attr}"
        where[at] = (f.shown, line)
        value = module.eval_secret(node, f)[0] if attr == "psk" else _value(lambda: module.eval(node, f))
        if isinstance(value, Ref):
            value = value.address  # a gateway id: its address stands for it (the loader's lookup key)
        if isinstance(value, NotLiteral):
            unknown[at] = ("not a literal; the expression is not shown: it is the key" if attr == "psk"
                           else f"{value.why}")
        elif value is not None:
            values[attr] = value
    counts: dict[str, int] = {}
    for f, kind, labels, inner, line in blocks:
        if kind == "dynamic":
            errors.append(InputError(f.shown, f'{path}: dynamic "{labels[0] if labels else "?"}" blocks are not '
                                              "expanded: this connection cannot be verified from HCL (check the "
                                              "plan JSON instead)", line=line))
            continue
        i = counts[kind] = counts.get(kind, -1) + 1
        at = f"{path}.{kind}[{i}]"
        where[at] = (f.shown, line)
        values.setdefault(kind, []).append(_body(module, f, inner, at, unknown, where, errors, depth + 1))
    return values


_LOCAL_SOURCE = re.compile(r'^\s*source\s*=\s*"(\.\.?/[^"\n]*)"', re.M)


def local_module_folders(folder: str | Path) -> set[str]:
    """The folders a Terraform folder calls as local modules (``source = "./modules/x"``), normalized: an audit
    reads those through their caller (with the caller's arguments), not alone with unset variables. A text scan
    (no parse): a ``source`` line outside a module block only makes the audit skip a folder its caller reads."""
    found = set()
    for path in sorted(Path(folder).glob("*.tf"))[:MAX_FILES]:
        try:
            text = read_text(path)
        except InputError:
            continue
        for source in _LOCAL_SOURCE.findall(text[:MAX_TF_BYTES]):
            found.add(os.path.normpath(Path(folder) / source))
    return found
