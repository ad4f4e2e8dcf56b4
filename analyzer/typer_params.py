"""Parameter coercion without a pydantic TypeAdapter per parameter (issue 16, cold start).

Typer coerces every parameter of the invoked command through a TypeAdapter built on first use (typer._adapters),
and a Path value through one more: ~20 adapters and the import of typer._adapters in a `check` run (~15 M
instructions, 0.4x `python -c pass`). For the kinds our commands declare (Path, enum choices, str, bool, a
float option, lists of them) the adapter only wraps a plain call of typer's own helpers; `install` gives those
parameters that call directly. Anything else, and any value the direct call does not accept, goes to typer's
adapter as before (built then), so every result and every error message stays typer's own.
"""
from __future__ import annotations

import typing
from enum import Enum
from pathlib import Path

try:  # typer's internals as of typer 0.29; if they move, typer's own path is used unchanged
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path, routes_to_path
except ImportError:  # pragma: no cover - a typer release without them
    RuntimeParam = None


class _Fallback(Exception):
    """The direct call does not handle this value: typer's adapter does."""


def install(command, ctx=None) -> None:
    """Direct coercion for the parameters of ``command`` (a click command typer built) that have not been
    coerced yet and whose kind is one of ours; with ``ctx``, its help option too (click makes it on demand)."""
    if RuntimeParam is None or command is None:
        return
    for param in command.get_params(ctx) if ctx is not None else command.params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is None or getattr(param, "_runtime_param", 0) is not None:
            continue
        if descriptor.file_annotation is None and (leaf := _leaf(descriptor)) is not None:
            param._runtime_param = _Direct(descriptor, leaf)


def _leaf(descriptor):
    annotation, info = descriptor.annotation, descriptor.parameter_info
    if info.parser is not None:
        return None
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        one = _leaf_of(item, info)
        if one is None:
            return None
        # typer's parse_list: a single value becomes a list of one
        return lambda value, param, ctx: [one(v, param, ctx) for v in
                                          (value if isinstance(value, (list, tuple)) else [value])]
    return _leaf_of(annotation, info)


def _leaf_of(annotation, info):
    if isinstance(annotation, type) and issubclass(annotation, Enum):
        choices = list(annotation)
        return lambda value, param, ctx: coerce_cli_choice(value, choices=choices,
                                                           case_sensitive=info.case_sensitive, ctx=ctx)
    if annotation is str:
        return _str
    if annotation is bool:  # a flag's value is a bool already (typer skips it then) or None (never coerced)
        return _bool
    if annotation is float and not info.clamp:
        return lambda value, param, ctx: _float(value, info.min, info.max)
    if routes_to_path(annotation, info):
        path_type = info.path_type
        if path_type is None and isinstance(annotation, type) and issubclass(annotation, Path):
            path_type = annotation
        if path_type is None or not (isinstance(path_type, type) and issubclass(path_type, Path)):
            return None

        def path(value, param, ctx):
            if type(value) is str:  # what pydantic's path validator does with a str
                value = path_type(value)
            elif not isinstance(value, path_type):
                raise _Fallback
            return coerce_cli_path(value, info, path_type=path_type, param=param, ctx=ctx)
        return path
    return None


def _str(value, param, ctx):
    if type(value) is not str:
        raise _Fallback
    return value


def _bool(value, param, ctx):
    if type(value) is not bool:
        raise _Fallback
    return value


def _float(value, low, high):
    # an int or float within the bounds is what pydantic's float validation passes unchanged (as a float);
    # a string from the command line, NaN and out-of-range values get typer's adapter and its messages
    if type(value) not in (int, float) or value != value:
        raise _Fallback
    if (low is not None and not value >= low) or (high is not None and not value <= high):
        raise _Fallback
    return float(value)


if RuntimeParam is not None:
    class _Direct(RuntimeParam):
        """RuntimeParam.coerce (None and empty multi-values) unchanged; the value itself by the direct call."""

        def __init__(self, descriptor, leaf):
            super().__init__(parameter_info=descriptor.parameter_info, annotation=descriptor.annotation)
            object.__setattr__(self, "_leaf", leaf)

        def _coerce_value(self, value, param, ctx):
            try:
                return self._leaf(value, param, ctx)
            except Exception:  # noqa: BLE001 - typer's adapter decides, and raises its own error
                real = build_runtime_param(param.type_descriptor)
                param._runtime_param = real
                return real._coerce_value(value, param=param, ctx=ctx)
