"""`ipsec-preflight explain` (issues 13 and 15). Owned by the explain helper. Only typer is imported at module
level: cli.py imports this module at every start."""
from __future__ import annotations

from typing import Optional

import typer


def explain(code: Optional[str] = typer.Argument(None, metavar="CODE|DIAGNOSE.json",
                                                 help="A rule or Alibaba error code, or a DiagnoseVpnConnections JSON.")
            ) -> None:
    """Explain an error code, IPsec log lines or a DiagnoseVpnConnections result."""
    raise NotImplementedError("issue 15")
