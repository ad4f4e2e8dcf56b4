"""The HTML report at audit scale: a generated 1,000-device audit (bench/generate.py), its report rendered, then
opened in headless Chromium driven over the DevTools protocol (a pipe: no port, no extra package). Prints the
figures; asserts nothing about time.

    python bench/html_scale.py [--devices 1000] [--runs 3] [--keep DIR]

Figures: render time (Python), file size (and gzipped), and in the browser, medians of --runs page loads:
first contentful paint, DOMContentLoaded, the page script done (data-ready-ms), and the time a search and a code
filter take to apply and paint (the responsiveness of the filters)."""
from __future__ import annotations

import argparse
import gzip
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
from generate import generate  # noqa: E402

EXE = str(Path(sys.executable).with_name("ipsec-preflight"))
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-extensions", "--remote-debugging-pipe"]


def chromium() -> str | None:
    return next((shutil.which(n) for n in ("chromium", "chromium-browser", "google-chrome") if shutil.which(n)), None)


def _high(fd: int) -> int:
    import fcntl

    high = fcntl.fcntl(fd, fcntl.F_DUPFD_CLOEXEC, 10)
    os.close(fd)
    return high


class Browser:
    """Chromium with the DevTools protocol on fds 3 (to the browser) and 4 (from it): JSON messages ended by NUL."""

    def __init__(self, exe: str):
        to_r, self._to = os.pipe()
        self._from, from_w = os.pipe()
        # above fd 4, so that the child's dup2 onto 3 and 4 overwrites none of them (dup2 also clears close-on-exec)
        to_r, from_w = (_high(fd) for fd in (to_r, from_w))

        def fds():
            os.dup2(to_r, 3)
            os.dup2(from_w, 4)

        self.proc = subprocess.Popen([exe, *FLAGS, "about:blank"], preexec_fn=fds, close_fds=False,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(to_r)
        os.close(from_w)
        self._buf, self._id, self.events = b"", 0, []
        targets = self.call("Target.getTargets")["targetInfos"]
        page = next(t for t in targets if t["type"] == "page")
        self.session = self.call("Target.attachToTarget", targetId=page["targetId"], flatten=True)["sessionId"]

    def _read(self) -> dict:
        while b"\0" not in self._buf:
            chunk = os.read(self._from, 1 << 20)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buf += chunk
        msg, self._buf = self._buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method: str, session: str | None = None, **params) -> dict:
        self._id += 1
        msg = {"id": self._id, "method": method, "params": params}
        if session:
            msg["sessionId"] = session
        os.write(self._to, json.dumps(msg).encode() + b"\0")
        while True:
            reply = self._read()
            if reply.get("id") == self._id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)

    def page(self, method: str, **params) -> dict:
        return self.call(method, self.session, **params)

    def wait_event(self, method: str) -> dict:
        while True:
            for i, ev in enumerate(self.events):
                if ev.get("method") == method:
                    return self.events.pop(i)
            self.events.append(self._read())

    def evaluate(self, expression: str):
        res = self.page("Runtime.evaluate", expression=expression, awaitPromise=True, returnByValue=True)
        if "exceptionDetails" in res:
            raise RuntimeError(f"page script failed: {res['exceptionDetails'].get('text')}")
        return res["result"].get("value")

    def close(self) -> None:
        try:
            self.call("Browser.close")
        except (RuntimeError, OSError):
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        os.close(self._to)
        os.close(self._from)


_FRAME = "new Promise(function(r){requestAnimationFrame(function(){requestAnimationFrame(r);});})"
_LOAD_FIGURES = f"""{_FRAME}.then(function(){{
  var fcp=performance.getEntriesByName('first-contentful-paint')[0], nav=performance.getEntriesByType('navigation')[0];
  return {{fcp: fcp ? fcp.startTime : null, dcl: nav.domContentLoadedEventEnd, load: nav.loadEventEnd,
          ready: +document.body.getAttribute('data-ready-ms'), nodes: document.getElementsByTagName('*').length}};}})"""


def _filter_ms(control_js: str) -> str:
    """JS: time from setting a filter control to the next painted frame, in ms."""
    return f"""(function(){{var t=performance.now(); {control_js}
      return {_FRAME}.then(function(){{return {{ms: performance.now()-t,
        shown: +document.getElementById('shown').getAttribute('data-findings')}};}});}})()"""


# the search box runs its filter once typing pauses (150 ms debounce, `data-pending` on <body> until then): the
# figure is from the keystroke to the filtered frame, the pause included
_SETTLED = ("new Promise(function(r){(function w(){if(document.body.hasAttribute('data-pending')) setTimeout(w,5);"
            " else r();})();})")
SEARCH = f"""(function(){{var t=performance.now(), q=document.getElementById('fq'); q.value='branch-0004';
      q.dispatchEvent(new Event('input'));
      return {_SETTLED}.then(function(){{return {_FRAME};}}).then(function(){{return {{ms: performance.now()-t,
        shown: +document.getElementById('shown').getAttribute('data-findings')}};}});}})()"""
CODE = _filter_ms("var c=document.getElementById('fcode'); c.value='PfsMismatch';"
                  " c.dispatchEvent(new Event('change'));")
CLEAR = _filter_ms("var q=document.getElementById('fq'), c=document.getElementById('fcode'); q.value=''; c.value='';"
                   " c.dispatchEvent(new Event('change'));")


def measure(page: Path, runs: int) -> dict[str, list[float]]:
    exe = chromium()
    if exe is None:
        print("  browser figures skipped: no Chromium on this machine (Debian: apt-get install chromium)")
        return {}
    figures: dict[str, list[float]] = {}
    for _ in range(runs):
        b = Browser(exe)
        try:
            b.page("Page.enable")
            t = time.perf_counter()
            b.page("Page.navigate", url=page.as_uri())
            b.wait_event("Page.loadEventFired")
            wall = (time.perf_counter() - t) * 1000
            load = b.evaluate(_LOAD_FIGURES)
            rows = {"navigate to load event (wall)": wall, "first contentful paint": load["fcp"],
                    "DOMContentLoaded": load["dcl"], "page script done": load["ready"], "load event": load["load"]}
            for name, js in (("search 'branch-0004'", SEARCH), ("code filter PfsMismatch", CODE),
                             ("clear filters", CLEAR)):
                r = b.evaluate(js)
                rows[f"{name} -> painted ({r['shown']} shown)"] = r["ms"]
            for k, v in rows.items():
                if v is not None:
                    figures.setdefault(k, []).append(v)
            figures.setdefault("DOM nodes", []).append(load["nodes"])
        finally:
            b.close()
    return figures


def build(work: Path, devices: int) -> tuple[Path, float, int]:
    """(the report page, render seconds, findings) for a generated audit of ``devices`` branch configs."""
    from analyzer.findings import Report
    from analyzer.reporters.html import render

    generate(work / "in", devices, campus=0)
    subprocess.run([EXE, "audit", str(work / "in"), "--format", "json", "-o", str(work / "r.json")],
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, cwd=work)
    report = Report.model_validate_json((work / "r.json").read_text())
    t = time.perf_counter()
    text = render(report)
    elapsed = time.perf_counter() - t
    page = work / "report.html"
    page.write_text(text)
    return page, elapsed, sum(len(p.findings) for p in report.pairs)


def main(argv: list[str] | None = None) -> None:
    """``argv``: this script's options (none when bench/run.py calls it: its own options are not ours)."""
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--devices", type=int, default=1000)
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--keep", type=Path, help="work in this folder and keep it (default: a temporary one)")
    a = ap.parse_args(argv or [])
    work = a.keep or Path(tempfile.mkdtemp(prefix="html-scale-"))
    work.mkdir(parents=True, exist_ok=True)
    try:
        page, render_s, findings = build(work, a.devices)
        raw = page.read_bytes()
        print(f"HTML report, {a.devices} devices, {findings} findings")
        print(f"  render (Python)            {render_s * 1000:8.0f} ms")
        print(f"  file size                  {len(raw) / 1e6:8.2f} MB ({len(gzip.compress(raw)) / 1e6:.2f} MB gzipped)")
        for name, values in measure(page, a.runs).items():
            unit = "" if name == "DOM nodes" else " ms"
            print(f"  {name:<44} {statistics.median(values):8.0f}{unit}  (median of {len(values)})")
    finally:
        if a.keep is None:
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main(sys.argv[1:])
