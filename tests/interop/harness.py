"""Real IKE negotiation between two strongSwan daemons, one playing Alibaba, one playing the device.

Each side is a swanctl connection rendered from the scenario (interop.swanctl), not from our parsers'
output. The daemons run in two throw-away network namespaces joined by a veth pair (only the two tunnel
addresses exist inside them), each in its own mount namespace with a private tmpfs on /run (charon's pid file is hard-wired to
/var/run/charon.pid). The kernel of our CI machines has no ESP xfrm, so ESP runs in user space
(``kernel-libipsec``) and children install no policies (``policies = no``).

A run initiates from the Alibaba side, then from the device side, and when PFS is on on either side rekeys
the CHILD_SA once (an IKEv2 PFS mismatch only fails at the first rekey: the first CHILD_SA is keyed from the
IKE SA without a KE payload, RFC 7296 section 1.2). The outcome is established / failed plus the notify read
from both daemons' logs.
"""
from __future__ import annotations

import atexit
import os
import re
import shutil
import signal
import subprocess
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from interop.swanctl import Conn

CHARON = "/usr/lib/ipsec/charon"
SWANCTL = shutil.which("swanctl") or "/usr/sbin/swanctl"
PACKAGES = "strongswan-charon strongswan-swanctl libcharon-extra-plugins"
LAB_ALI_IP, LAB_DEV_IP = "10.255.0.1", "10.255.0.2"  # veth addresses: exist only inside the namespaces
WAIT_S = 6  # bound on every wait (daemon socket, initiate, rekey)

# Plugins named explicitly (not load_modular): the same set on every machine, kernel-libipsec for ESP.
_PLUGINS = ("random nonce openssl aes sha1 sha2 md5 hmac gmp pem pkcs1 x509 pubkey kdf "
            "kernel-libipsec kernel-netlink socket-default vici")

# notifies and log events that tell why a negotiation failed, most specific first
_NOTIFIES = ("INVALID_KE_PAYLOAD", "NO_PROPOSAL_CHOSEN", "TS_UNACCEPTABLE", "AUTHENTICATION_FAILED",
             "INVALID_ID_INFORMATION", "INVALID_HASH_INFORMATION", "INVALID_PAYLOAD_TYPE")
_SHORT = {"NO_PROP": "NO_PROPOSAL_CHOSEN", "INVAL_KE": "INVALID_KE_PAYLOAD", "TS_UNACCEPT": "TS_UNACCEPTABLE",
          "AUTH_FAILED": "AUTHENTICATION_FAILED", "INVAL_ID": "INVALID_ID_INFORMATION",
          "INVAL_HASH": "INVALID_HASH_INFORMATION"}
_EVENTS = (
    (re.compile(r"ID\w* '[^']*' does not match to"), "INVALID_ID_INFORMATION"),  # IKEv1: initiator checks IDr
    (re.compile(r"no matching proposal found|no acceptable proposal|received proposals .* not acceptable"),
     "NO_PROPOSAL_CHOSEN"),
    (re.compile(r"no matching CHILD_SA config|traffic selectors .* unacceptable|no acceptable traffic selectors"),
     "TS_UNACCEPTABLE"),
    (re.compile(r"no peer config found|looking for peer configs matching .* no config"), "AUTHENTICATION_FAILED"),
    # a wrong PSK: IKEv2 AUTH payload; IKEv1 main mode cannot even decrypt the peer's ID; aggressive: HASH
    (re.compile(r"verification of AUTH payload .* failed|could not decrypt|decryption failed|"
                r"calculated HASH does not match HASH payload|N\(AUTH_FAILED\)"), "AUTHENTICATION_FAILED"),
)


class Unavailable(Exception):
    """Real negotiation cannot run here (not root, packages missing, namespaces not permitted)."""


def unavailable_reason() -> str | None:
    """Why the interop suite cannot run on this machine, or None when it can."""
    if os.geteuid() != 0:
        return "needs root (network and mount namespaces)"
    missing = [p for p in (CHARON, SWANCTL, "/usr/lib/ipsec/plugins/libstrongswan-kernel-libipsec.so")
               if not os.path.exists(p)]
    if missing:
        return f"strongSwan not installed ({', '.join(missing)}); apt-get install {PACKAGES}"
    if not shutil.which("ip") or not shutil.which("unshare") or not shutil.which("setpriv"):
        return "iproute2 / util-linux (ip, unshare, setpriv) missing"
    if not os.path.exists("/dev/net/tun"):
        return "no /dev/net/tun (kernel-libipsec needs a TUN device)"
    probe = f"ippfprobe{os.getpid()}"
    r = subprocess.run(["ip", "netns", "add", probe], capture_output=True, text=True, timeout=WAIT_S)
    if r.returncode != 0:
        return f"network namespaces not permitted: {r.stderr.strip() or r.returncode}"
    subprocess.run(["ip", "netns", "del", probe], capture_output=True, timeout=WAIT_S)
    return None


def _interrupt(signum, frame):
    raise KeyboardInterrupt(f"signal {signum}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def sweep_stale() -> list[str]:
    """Remove the namespaces and temp directories (they hold test keys) of earlier runs whose process is gone
    (killed before its cleanup ran); each name carries the pid that made it. Returns what it removed."""
    removed = []
    listed = subprocess.run(["ip", "netns", "list"], capture_output=True, text=True, timeout=WAIT_S).stdout
    for line in listed.splitlines():
        name = (line.split() or [""])[0]
        m = re.fullmatch(r"ippf(?:probe)?(\d+)(?:x\d+[ad])?", name)
        if m and not _alive(int(m.group(1))):
            subprocess.run(["ip", "netns", "del", name], capture_output=True, timeout=WAIT_S)
            removed.append(name)
    for d in Path(tempfile.gettempdir()).glob("ippf-interop-*"):
        m = re.match(r"ippf-interop-(?:case-)?(\d+)-", d.name)
        if m and not _alive(int(m.group(1))):
            shutil.rmtree(d, ignore_errors=True)
            removed.append(str(d))
    return removed


@dataclass
class Outcome:
    established: bool
    notify: str | None = None  # why it failed, as a notify name (None when established or not recognized)
    phase: str | None = None  # "ike", "child", "rekey" or "timeout"
    direction: str | None = None  # which initiation failed: "alibaba->device" / "device->alibaba"
    log: str = ""  # the tail of both daemons' logs (PSKs are never logged by charon at this log level)

    def __str__(self) -> str:
        if self.established:
            return "established"
        return f"failed ({self.notify or 'unrecognized'}, {self.phase}, {self.direction})"


_STRONGSWAN_CONF = """charon {{
  load = {plugins}
  install_routes = no
  # IKEv1 aggressive mode with a PSK is refused by default (offline dictionary attack on the hash); the
  # protocol allows it and Alibaba offers it (IkeMode = aggressive), so the lab accepts it
  i_dont_care_about_security_and_use_aggressive_mode_psk = yes
  install_virtual_ip = no
  retransmit_tries = 2
  retransmit_timeout = 0.5
  retransmit_base = 1
  plugins {{
    vici {{ socket = unix://{dir}/charon.vici }}
    kernel-libipsec {{ allow_peer_ts = yes }}
  }}
  filelog {{
    log {{ path = {dir}/charon.log
          default = 1
          ike = 2
          cfg = 2
          append = no
          flush_line = yes }}
  }}
  syslog {{ daemon {{ default = -1 }} }}
}}
"""


# ---------------------------------------------------------------- the two namespaces and daemons

class Lab:
    """Two namespaces joined by a veth pair and a charon in each. Use as a context manager: everything it
    created (namespaces, daemons, its temp directory) is removed on exit, also on KeyboardInterrupt."""

    def __init__(self) -> None:
        self.swept = sweep_stale()
        self.tag = f"ippf{os.getpid()}x{int(time.monotonic() * 1000) % 100000}"
        self.ns = {"ali": f"{self.tag}a", "dev": f"{self.tag}d"}
        self.dir = Path(tempfile.mkdtemp(prefix=f"ippf-interop-{os.getpid()}-"))
        os.chmod(self.dir, 0o700)
        self.procs: dict[str, subprocess.Popen] = {}
        self.made_ns: list[str] = []
        self._old_term = None
        atexit.register(self.close)  # also when an interrupt skips the context manager's exit (pytest teardown)

    def __enter__(self) -> "Lab":
        # SIGTERM (a CI timeout, `timeout`) unwinds like Ctrl-C, so the exits below run. Not sys.exit: pytest
        # records a SystemExit inside a test as a failure and goes on with the next one.
        if threading.current_thread() is threading.main_thread():
            self._old_term = signal.signal(signal.SIGTERM, _interrupt)
        try:
            self._net()
        except BaseException:
            self.close()
            raise
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def _ip(self, *args: str) -> None:
        r = subprocess.run(["ip", *args], capture_output=True, text=True, timeout=WAIT_S)
        if r.returncode != 0:
            raise Unavailable(f"ip {' '.join(args)}: {r.stderr.strip()}")

    def _net(self) -> None:
        for side, ns in self.ns.items():
            self._ip("netns", "add", ns)
            self.made_ns.append(ns)
        a, d = self.ns["ali"], self.ns["dev"]
        # create the pair inside one namespace and move its peer end: nothing ever exists in the host's
        self._ip("-n", a, "link", "add", "veth0", "type", "veth", "peer", "name", "veth1", "netns", d)
        for ns, dev, ip in ((a, "veth0", LAB_ALI_IP), (d, "veth1", LAB_DEV_IP)):
            self._ip("-n", ns, "addr", "add", f"{ip}/30", "dev", dev)
            self._ip("-n", ns, "link", "set", dev, "up")
            self._ip("-n", ns, "link", "set", "lo", "up")

    def close(self) -> None:
        """Idempotent: stops our daemons (by process group), deletes our namespaces and temp directory."""
        if self._old_term is not None and threading.current_thread() is threading.main_thread():
            signal.signal(signal.SIGTERM, self._old_term)
            self._old_term = None
        for side in list(self.procs):
            self._stop(side)
        for ns in self.made_ns:
            subprocess.run(["ip", "netns", "del", ns], capture_output=True, timeout=WAIT_S)
        self.made_ns = []
        shutil.rmtree(self.dir, ignore_errors=True)

    # -- daemons

    def _side_dir(self, side: str) -> Path:
        d = self.dir / side
        d.mkdir(mode=0o700, exist_ok=True)
        return d

    def start(self, side: str) -> None:
        d = self._side_dir(side)
        (d / "strongswan.conf").write_text(_STRONGSWAN_CONF.format(plugins=_PLUGINS, dir=d))
        # ip netns exec gives a private mount namespace (it remounts /sys there); a tmpfs on /run inside it
        # gives this daemon its own /var/run/charon.pid
        script = f"mount -t tmpfs ippf-run /run && exec {CHARON}"
        env = {**os.environ, "STRONGSWAN_CONF": str(d / "strongswan.conf")}
        # setpriv --pdeathsig: ip, unshare and sh each exec the next, so charon keeps this process as its parent
        # and is killed with it even when no cleanup runs (SIGKILL, a crash)
        self.procs[side] = subprocess.Popen(
            ["setpriv", "--pdeathsig", "KILL", "ip", "netns", "exec", self.ns[side], "unshare", "-m", "--propagation",
             "private", "sh", "-c", script],
            stdout=subprocess.DEVNULL, stderr=open(d / "stderr", "w"), env=env, start_new_session=True)
        deadline = time.monotonic() + WAIT_S
        while not (d / "charon.vici").exists():
            if self.procs[side].poll() is not None or time.monotonic() > deadline:
                err = (d / "stderr").read_text()[-400:] + self.log(side)[-400:]
                raise Unavailable(f"charon did not start in namespace {self.ns[side]}: {err.strip()}")
            time.sleep(0.02)

    def _stop(self, side: str) -> None:
        proc = self.procs.pop(side)
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=WAIT_S)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait(timeout=WAIT_S)
        sock = self._side_dir(side) / "charon.vici"
        sock.unlink(missing_ok=True)

    def log(self, side: str) -> str:
        p = self._side_dir(side) / "charon.log"
        return p.read_text(errors="replace") if p.exists() else ""

    def swanctl(self, side: str, *args: str, timeout: float = WAIT_S) -> subprocess.CompletedProcess:
        uri = f"unix://{self._side_dir(side)}/charon.vici"
        try:
            # the command comes first, its options after it
            return subprocess.run([SWANCTL, args[0], "--uri", uri, *args[1:]], capture_output=True, text=True,
                                  timeout=timeout + 2)
        except subprocess.TimeoutExpired as exc:
            return subprocess.CompletedProcess(exc.cmd, 124, exc.stdout or "", exc.stderr or "")

    def load(self, side: str, conf: str) -> None:
        path = self._side_dir(side) / "swanctl.conf"
        path.write_text(conf)
        os.chmod(path, 0o600)
        r = self.swanctl(side, "--load-all", "--noprompt", "--file", str(path))
        if r.returncode != 0:
            raise RuntimeError(f"swanctl --load-all ({side}) failed: {r.stdout[-300:]} {r.stderr[-300:]}")

    # -- one negotiation

    def negotiate(self, ali: Conn, dev: Conn) -> Outcome:
        """Fresh daemons, both sides loaded, initiate from Alibaba then from the device (each child of the
        initiator), rekey once when PFS is on. The first failure decides the outcome."""
        for side in ("ali", "dev"):
            if side in self.procs:
                self._stop(side)
            self.start(side)
        self.load("ali", ali.text)
        self.load("dev", dev.text)
        pfs = ali.pfs or dev.pfs
        for side, conn, direction in (("ali", ali, "alibaba->device"), ("dev", dev, "device->alibaba")):
            for name in conn.children:
                r = self.swanctl(side, "--initiate", "--child", name, "--timeout", str(WAIT_S),
                                 "--loglevel", "-1")
                if r.returncode != 0:
                    return self._failed("child" if "ESTABLISHED" in self._ike_state(side) else "ike", direction,
                                        timeout=r.returncode == 124)
                if pfs:
                    if not self._rekey(side, name):
                        return self._failed("rekey", direction)
            # the next direction starts from nothing: a reused IKE SA would skip its checks
            for s in ("ali", "dev"):
                self.swanctl(s, "--terminate", "--ike", "peer", "--timeout", "1", "--force")
        return Outcome(True, log=self._logs())

    def _ike_state(self, side: str) -> str:
        return self.swanctl(side, "--list-sas", "--ike", "peer").stdout

    def _child_ids(self, side: str, child: str) -> dict[int, str]:
        """{unique id: state} of the CHILD_SAs of that name (swanctl --list-sas: "  net0: #2, reqid 1, INSTALLED")."""
        out = self._ike_state(side)
        return {int(n): st for n, st in re.findall(rf"^\s+{re.escape(child)}: #(\d+), reqid \d+, (\w+)", out, re.M)}

    def _rekey(self, side: str, child: str) -> bool:
        """Rekey the CHILD_SA once; True when a new one is installed, False when the rekey failed."""
        before = max(self._child_ids(side, child), default=0)
        mark = {s: len(self.log(s)) for s in ("ali", "dev")}
        self.swanctl(side, "--rekey", "--child", child)
        deadline = time.monotonic() + WAIT_S
        while time.monotonic() < deadline:
            if any(n > before and st == "INSTALLED" for n, st in self._child_ids(side, child).items()):
                return True
            since = "".join(self.log(s)[mark[s]:] for s in ("ali", "dev"))
            if re.search(r"received \w+ (notify error|error notify)|CHILD_SA rekeying failed|"
                         r"failed to establish CHILD_SA|no acceptable proposal|no matching proposal", since):
                return False
            time.sleep(0.05)
        return False

    def _logs(self) -> str:
        return "=== alibaba ===\n" + self.log("ali") + "\n=== device ===\n" + self.log("dev")

    def _failed(self, phase: str, direction: str, timeout: bool = False) -> Outcome:
        logs = self._logs()
        notify = None
        received = re.findall(r"received (\w+) (?:notify error|error notify)", logs)
        # charon prints the notifies it sends in short form, N(NO_PROP) (its libcharon's notify short names)
        sent = [_SHORT.get(n, n) for n in re.findall(r"(?:sending|generating)[^\n]*?N\((\w+)\)", logs)]
        for name in _NOTIFIES:
            if name in received or name in sent:
                notify = name
                break
        if notify is None:
            for pattern, name in _EVENTS:
                if pattern.search(logs):
                    notify = name
                    break
        return Outcome(False, notify, "timeout" if timeout and notify is None else phase, direction, logs)
