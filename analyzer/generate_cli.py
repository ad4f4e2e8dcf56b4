"""The `generate` command (issue 15, part 2): typer declarations and the run; imports only typer at start-up."""
from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from analyzer.cli_options import Vendor


def generate(
    connection: Path = typer.Argument(..., metavar="CONNECTION.json", help="Alibaba IPsec connection JSON."),
    vendor: Vendor = typer.Option(..., "--vendor", help="Device family to write the configuration for."),
    style: str = typer.Option("policy", "--style", help="policy (crypto map / IPsec policy) or route (tunnel "
                                                       "interface)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to this file."),
) -> None:
    """Write the device-side configuration of every tunnel of the connection (the pre-shared key as a placeholder)."""
    raise typer.Exit(2)  # contract stub: the generate helper builds this
