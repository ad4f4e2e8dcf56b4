"""The output options `check`, `lint`, `audit` and `hook` share (issue 13): typer declarations only; what they do
is analyzer/ci_output.py. Only typer is imported here: cli.py imports this module at every start."""
from __future__ import annotations

import enum

import typer


class Vendor(str, enum.Enum):
    """`--vendor` of check, lint, show and explain."""
    auto = "auto"
    cisco_ios = "cisco-ios"
    cisco_asa = "cisco-asa"
    huawei_vrp = "huawei-vrp"
    h3c_comware = "h3c-comware"


class Lang(str, enum.Enum):
    en = "en"
    zh = "zh"


def lang_option():
    return typer.Option(None, "--lang", help="Output language (en, zh); default from LC_ALL / LC_MESSAGES / LANG. "
                                            "Codes, commands and field names stay as they are.")


class Color(str, enum.Enum):
    auto = "auto"
    always = "always"
    never = "never"


def exit_zero_option():
    return typer.Option(False, "--exit-zero", help="Exit 0 even when findings reach --fail-on (input errors still "
                                                   "exit 2).")


def quiet_option():
    return typer.Option(False, "--quiet", "-q", help="Print the findings only: no headers, summary or notes.")


def statistics_option():
    return typer.Option(False, "--statistics", help="Print the number of findings per code instead of the findings "
                                                    "(--format text or json).")


def color_option():
    return typer.Option(Color.auto, "--color", help="Colour the text report: auto = on a terminal, unless NO_COLOR is "
                                                    "set; never into --output files.")


def baseline_option():
    return typer.Option(None, "--baseline", metavar="FILE",
                        help="Do not report the findings recorded in FILE (see --write-baseline) and list the entries "
                             "that no longer occur.")


def write_baseline_option():
    return typer.Option(None, "--write-baseline", metavar="FILE",
                        help="Record this run's findings in FILE (JSON, by stable fingerprint) for --baseline.")
