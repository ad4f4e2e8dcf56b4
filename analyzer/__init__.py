"""ipsec-preflight: predict Alibaba Cloud IPsec-VPN negotiation errors from configs."""
__version__ = "0.5.0"  # the only place the version is written: pyproject.toml reads it (setuptools dynamic attr)


def bug_at(exc: BaseException) -> str:
    """The exception type and module:function:line of the innermost traceback frame in our own packages, for
    an internal-error message. Never str(exc): a pydantic error quotes the input value, which may be a key."""
    import os
    import sys
    import traceback

    roots = {os.path.dirname(os.path.abspath(m.__file__)) for m in (sys.modules.get("analyzer"),
                                                                     sys.modules.get("parsers")) if m}
    where = "?"
    for fr in traceback.extract_tb(exc.__traceback__):
        path = os.path.abspath(fr.filename)
        root = next((r for r in roots if path.startswith(r + os.sep)), None)
        if root is not None:
            module = os.path.relpath(path, os.path.dirname(root)).removesuffix(".py").replace(os.sep, ".")
            where = f"{module}:{fr.name}:{fr.lineno}"
    return f"{type(exc).__name__} at {where}"
