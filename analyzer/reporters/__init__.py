"""Reporters only format findings; they never decide anything.

``render`` is the one entry point the commands use: a format name -> the report as text. Each format's module is
imported only when that format is asked for (cold start)."""
from __future__ import annotations

FORMATS = ("text", "json", "sarif", "html", "github", "gitlab", "junit")


def render(report, fmt: str, *, text_renderer=None, **html_options) -> str:
    """The whole report in ``fmt`` (one of FORMATS). ``text_renderer``: the text layout of the command (audit
    has its own); ``html_options``: inputs, run_at, duration_s, excerpts (analyzer.reporters.html.render)."""
    from analyzer.reporters.terminal import json_safe

    if fmt == "json":
        return json_safe(report.model_dump_json(indent=2) + "\n")
    if fmt == "sarif":
        from analyzer.reporters.sarif import render as sarif
        return json_safe(sarif(report))
    if fmt == "html":
        from analyzer.reporters.html import render as html
        return html(report, **html_options)
    if fmt == "github":
        from analyzer.reporters.github import render as github
        return github(report)
    if fmt == "gitlab":
        from analyzer.reporters.gitlab import render as gitlab
        return gitlab(report)
    if fmt == "junit":
        from analyzer.reporters.junit import render as junit
        return junit(report)
    if text_renderer is None:
        from analyzer.reporters.text import render as text_renderer
    return text_renderer(report)
