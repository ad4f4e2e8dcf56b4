"""The `generate` command (issue 15, part 2): typer declarations and the run; imports only typer at start-up.

Exit codes as `check`: 0 = written; 2 = bad usage, invalid input, or a value the vendor does not offer
(GenerateRefused); 3 = internal error (analyzer.cli.main).
"""
from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

import typer

from analyzer.cli_options import Vendor

EXIT_INPUT = 2


class _Refused(Exception):
    """Generation stops: its messages (one a line on stderr), exit 2."""


def generate(
    connection: Path = typer.Argument(..., metavar="CONNECTION.json",
                                      help="Alibaba IPsec connection: JSON (any shape check reads), a .tf file or a "
                                           "folder of them."),
    vendor: Vendor = typer.Option(..., "--vendor", help="Device family to write the configuration for."),
    style: str = typer.Option("policy", "--style", help="policy (crypto map / IPsec policy) or route (tunnel "
                                                       "interface)."),
    output: Optional[Path] = typer.Option(None, "--output", "-o", metavar="FILE", help="Write to this file."),
    connection_id: Optional[str] = typer.Option(None, "--connection-id", metavar="ID",
                                                help="The connection to write when the file holds several."),
    customer_gateway: Optional[Path] = typer.Option(None, "--customer-gateway", metavar="FILE",
                                                    help="DescribeCustomerGateway JSON (the device's public IP)."),
    vpn_gateway: Optional[Path] = typer.Option(None, "--vpn-gateway", metavar="FILE",
                                               help="DescribeVpnGateway JSON (Alibaba's IPs)."),
) -> None:
    """Write the device-side configuration of every tunnel of the connection (the pre-shared key as a placeholder)."""
    from analyzer.i18n import _
    from parsers.generation import STYLES

    if vendor == Vendor.auto:
        raise typer.BadParameter(_("name the device family to write for: {vendors}").format(
            vendors=", ".join(v.value for v in Vendor if v != Vendor.auto)), param_hint="'--vendor'")
    if style not in STYLES:
        raise typer.BadParameter(_("expected one of {styles}, got '{style}'").format(
            styles=", ".join(STYLES), style=style), param_hint="'--style'")
    from analyzer.cli import _err, _refuse_output_over_inputs, _write_atomically

    _refuse_output_over_inputs(output, [p for p in (connection, customer_gateway, vpn_gateway)
                                        if p is not None and not p.is_dir()],
                               [connection] if connection.is_dir() else [])
    try:
        text = _generate(connection, vendor.value, style, connection_id, customer_gateway, vpn_gateway)
    except _Refused as exc:
        for message in exc.args:
            _err(f"ipsec-preflight: {message}")
        raise typer.Exit(EXIT_INPUT)
    if output is None:
        sys.stdout.write(text)
    else:
        _write_atomically(output, text)


def _generate(connection: Path, vendor: str, style: str, connection_id: Optional[str],
              customer_gateway: Optional[Path], vpn_gateway: Optional[Path]) -> str:
    from analyzer.generate import GenerateRefused, generate as write
    from analyzer.i18n import _
    from parsers.values import display_path

    tunnels = _one_connection(_load(connection, customer_gateway, vpn_gateway), connection_id,
                              display_path(connection))
    file = tunnels[0].file
    for t in tunnels:
        _refuse_unknowns(t, vendor)
    try:
        return write(tunnels, vendor, style)
    except ModuleNotFoundError as exc:
        if not (exc.name or "").endswith(".generate"):
            raise
        raise _Refused(_("generating for {vendor} is not available in this version").format(vendor=vendor)) from None
    except GenerateRefused as exc:
        raise _Refused(_("{file}: cannot generate for {vendor}: {field} = {value}: {why}").format(
            file=file, vendor=vendor, field=exc.field, value=exc.value, why=exc.why)) from None


def _load(connection: Path, customer_gateway: Optional[Path], vpn_gateway: Optional[Path]) -> list:
    """The tunnels, read as `check` reads them; every input error (file and line) raised as one _Refused."""
    from parsers import alibaba
    from parsers.common import InputError, read_text

    from analyzer.i18n import _
    from parsers.registry import detect_vendor, looks_like_json

    lookups = alibaba.Lookups()
    bad: list[InputError] = []
    given = alibaba.read_gateway_files(lookups, customer_gateway, vpn_gateway, bad)
    text = None
    tunnels: list = []
    try:
        if connection.is_dir() or connection.suffix.lower() == ".tf":
            tunnels = alibaba.load(str(connection), lookups, errors=bad)
        else:
            text = read_text(connection)
            if not looks_like_json(text) and detect_vendor(text):
                raise InputError(str(connection), _("this is a device configuration: generate reads the Alibaba "
                                                    "connection JSON and writes the device configuration"))
            tunnels = alibaba.load(str(connection), lookups, errors=bad, text=text)
    except InputError as exc:
        bad.append(exc)
    # a stale or swapped gateway file would put a wrong address
    bad += [InputError(file, why) for file, why in alibaba.unrelated_gateways(given, tunnels)]
    if bad:
        raise _Refused(*(_located(e, text) for e in bad))
    return tunnels


def _located(exc, text: Optional[str]) -> str:
    """`FILE:LINE: message`; a loader message that starts with a JSON path gets that field's line."""
    line = exc.line
    if line is None and text is not None:
        from analyzer.json_lines import position

        where = position(text, exc.message.split(":", 1)[0]) if ":" in exc.message else None
        line = where[0] if where else None
    return f"{exc.file}:{line}: {exc.message}" if line else f"{exc.file}: {exc.message}"


def _one_connection(tunnels: list, connection_id: Optional[str], file: str) -> list:
    """The tunnels of the one connection to write: a file of several needs --connection-id."""
    from analyzer.i18n import _

    keys = list(dict.fromkeys(t.connection_key for t in tunnels))
    if connection_id is not None:
        chosen = [t for t in tunnels if connection_id in (t.connection_id, t.connection_name)]
        if not chosen:
            raise _Refused(_("{file}: no connection {id} (the file holds: {ids})").format(
                file=file, id=connection_id, ids=", ".join(keys)))
        tunnels = chosen
        keys = list(dict.fromkeys(t.connection_key for t in tunnels))
    if len(keys) > 1:
        raise _Refused(_("{file}: holds {count} connections ({ids}); generate writes one: choose it with "
                         "--connection-id").format(file=file, count=len(keys), ids=", ".join(keys)))
    return tunnels


def _refuse_unknowns(tunnel, vendor: str) -> None:
    """Values a writer cannot invent: Terraform's 'known after apply', an address no input gives."""
    from analyzer.i18n import _

    ep = tunnel.endpoint
    # the key is never written, so a key known only after apply does not matter
    missing = [(f, _("not known ({why})").format(why=_("Terraform: known after apply or unresolved")))
               for f in tunnel.unknown if not f.lower().endswith("psk")]
    if not ep.local_address:
        missing.append((_("the VPN gateway IP"), _("not in the input: pass --vpn-gateway FILE (DescribeVpnGateway)")))
    if not ep.peer_address:
        missing.append((_("the customer gateway IP"),
                        _("not in the input: pass --customer-gateway FILE (DescribeCustomerGateway)")))
    if missing:
        field, why = missing[0]
        raise _Refused(_("{file}: cannot generate for {vendor}: {field}: {why}").format(
            file=tunnel.file, vendor=vendor, field=field, why=why))
