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


class NotLiteral(Exception):
    """An expression that does not resolve to a literal; ``why`` names it."""

    def __init__(self, why: str):
        super().__init__(why)
        self.why = why


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

    def expr_text(self, node) -> str:
        meta = node.meta
        text = self.text[meta.start_pos:meta.end_pos] if not meta.empty else "?"
        text = " ".join(text.split())
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
        for f in files:
            for block in _blocks(f.tree):
                kind, labels, body, _ = block
                if kind == "variable" and labels:
                    attrs = _attributes(body)
                    default = attrs.get("default")
                    flag = attrs.get("sensitive")
                    if flag is not None and _value(lambda: self.eval(flag[1], f, literal_only=True)) is True:
                        self.sensitive.add(labels[0])
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
        if kind == "tuple":
            return [self.eval(k, f, literal_only, depth + 1) for k in kids]
        if kind in ("get_attr_expr_term", "index_expr_term") and not literal_only:
            return self._reference(node, f)
        raise NotLiteral(f"{f.expr_text(node)} is not a literal, var. or local. reference")

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
        if chain[0] == "var" and len(chain) == 2 and chain[1] in self.sensitive:
            if not self.secret_ok:
                raise NotLiteral(f"var.{chain[1]} is sensitive: it is read only for a psk")
            self.touched = True
        if chain[0] in ("var", "local") and len(chain) == 2:
            value = self.vars.get(chain[1], NotLiteral(f"var.{chain[1]} is not declared")) if chain[0] == "var" \
                else self.local(chain[1])
            if isinstance(value, NotLiteral):
                raise value
            return value
        if chain[0] in (CGW, VPNGW) and len(chain) == 3 and chain[2] == "id":
            return Ref(f"{self.prefix}{chain[0]}.{chain[1]}")
        raise NotLiteral(f"{'.'.join(chain) if node is None else f.expr_text(node)} is not a literal, var. or "
                         "local. reference")


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


def _files(folder: Path, budget: list[int]) -> list[_File]:
    paths = sorted(p for p in folder.glob("*.tf") if p.is_file())
    if len(paths) > MAX_FILES:
        raise InputError(display_path(str(folder)), f"more than {MAX_FILES} .tf files in one folder: not read")
    out = []
    for p in paths:
        tree, text = _parse(p, display_path(str(p)), budget)
        out.append(_File(p, display_path(str(p)), tree, text))
    return out


def read(path: str | Path, cgw_ip: dict[str, str], errors: list[InputError]) -> list[Connection]:
    """The connections of a .tf file's folder (or of a folder) and of the local modules it calls. Customer gateway
    addresses found are added to ``cgw_ip`` by resource address; problems that leave the rest readable (a remote
    module that may hold a connection, a dynamic tunnel block) are appended to ``errors``."""
    folder = Path(path)
    folder = folder.parent if folder.is_file() or folder.suffix == ".tf" else folder
    if not folder.is_dir():
        raise InputError(display_path(str(path)), "not a folder or .tf file")
    budget: list[int] = []  # bytes read so far (hostile input: many or huge files)
    files = _files(folder, budget)
    declared = {labels[0] for f in files for kind, labels, _, _ in _blocks(f.tree) if kind == "variable" and labels}
    module = _Module(folder, "", files, _read_vars(folder, declared, budget))
    out: list[Connection] = []
    _walk(module, [folder.resolve()], cgw_ip, errors, out, budget)
    return out


def _walk(module: _Module, stack: list[Path], cgw_ip: dict[str, str], errors: list[InputError],
          out: list[Connection], budget: list[int]) -> None:
    for f in module.files:
        for kind, labels, body, _ in _blocks(f.tree):
            if kind == "resource" and len(labels) == 2 and labels[0] == CGW:
                attrs = _attributes(body)
                if "ip_address" in attrs:
                    ip = _value(lambda: module.eval(attrs["ip_address"][1], f))
                    if isinstance(ip, str):
                        cgw_ip[f"{module.prefix}{CGW}.{labels[1]}"] = ip
            elif kind == "resource" and len(labels) == 2 and labels[0] == CONN:
                conn = _connection(module, f, labels[1], body, errors)
                if conn is not None:
                    out.append(conn)
            elif kind == "module" and labels:
                _call(module, f, labels[0], body, stack, cgw_ip, errors, out, budget)


def _call(module: _Module, f: _File, name: str, body, stack: list[Path], cgw_ip: dict[str, str],
          errors: list[InputError], out: list[Connection], budget: list[int]) -> None:
    attrs = _attributes(body)
    line, source_node = attrs.get("source", (None, None))
    source = _value(lambda: module.eval(source_node, f, literal_only=True)) if source_node is not None else None
    if not isinstance(source, str) or not source.startswith(("./", "../")):
        if isinstance(source, str) and "vpn" in source.lower():  # it may define the connection: say it is not read
            errors.append(InputError(f.shown, f'module "{name}": source {source[:120]} is not a local folder: its '
                                              "resources are not read (only ./ and ../ sources are)", line=line))
        return
    child = Path(os.path.normpath(module.folder / source))  # shown as written; resolved only to find cycles
    if child.resolve() in stack or len(stack) > MAX_MODULE_DEPTH or not child.is_dir():
        why = ("calls itself" if child.resolve() in stack else "is nested too deeply" if child.is_dir()
               else "does not exist")
        errors.append(InputError(f.shown, f'module "{name}": {source[:120]} {why}: not read', line=line))
        return
    inputs, sensitive = {}, set()
    for k, (_, node) in attrs.items():
        if k not in ("source", "version", "count", "for_each", "providers", "depends_on"):
            inputs[k], touched = module.eval_secret(node, f)
            if touched:  # the module's variable holds a sensitive value, whatever it declares
                sensitive.add(k)
    files = _files(child, budget)
    _walk(_Module(child, f"{module.prefix}module.{name}.", files, inputs, frozenset(sensitive)),
          stack + [child.resolve()], cgw_ip, errors, out, budget)


def _connection(module: _Module, f: _File, name: str, body, errors: list[InputError]) -> Connection | None:
    """None when the resource cannot be read as written (a dynamic block: the error says so)."""
    path = f"{module.prefix}{CONN}.{name}"
    unknown: dict[str, str] = {}
    where: dict[str, tuple[str, int]] = {}
    before = len(errors)
    values = _body(module, f, body, path, unknown, where, errors, 0)
    return Connection(values, path, f.shown, unknown, where) if len(errors) == before else None


def _body(module: _Module, f: _File, body, path: str, unknown: dict, where: dict, errors: list, depth: int) -> dict:
    values: dict[str, Any] = {}
    if depth > 4:  # the provider's blocks nest three deep
        return values
    for attr, (line, node) in _attributes(body).items():
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
    for kind, labels, inner, line in _blocks(body):
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
