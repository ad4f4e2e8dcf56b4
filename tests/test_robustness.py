"""Bad input never crashes: seeded mutations of real-looking inputs give a model or a located InputError.
(Bounded and deterministic; the property-based fuzzing is tests/test_fuzz.py, the systematic sweep of every
fixture line tests/test_crash_sweep.py.)"""
import json
import random

import pytest

from conftest import CORPUS, FIXTURES
from parsers import alibaba
from parsers.common import InputError
from parsers.registry import VENDORS, parse_device

_VALUES = [None, 1, -5, 10 ** 30, "x", "", [], {}, [1], {"a": 1}, True, "true", "group99", "0.0.0.0/33", "1.2.3.4/8,,", 3.5]
_JUNK = ["", " ", "\x00", "crypto map", "crypto map X 10", "ike peer", " set pfs group", " rule permit ip source",
         "interface", " ip address 1.2.3.4", "access-list 100 permit", "acl number", " pre-shared-key",
         "  match identity remote address", "tunnel-group", "crypto ikev1 policy x", " sa duration time-based abc",
         " dh groupX", "crypto isakmp key", " set peer", "ipsec policy p 10 isakmp", " security acl", "ike proposal",
         " encryption-algorithm", " esp encryption-algorithm", "object network", " subnet 1.1.1.1", "\u4e2d\u6587 \ufffd"]


def _mutate(rng, o):
    if isinstance(o, dict):
        o = dict(o)
        for k in list(o):
            r = rng.random()
            if r < 0.08:
                o[k] = rng.choice(_VALUES)
            elif r < 0.12:
                del o[k]
            else:
                o[k] = _mutate(rng, o[k])
    elif isinstance(o, list):
        o = [_mutate(rng, x) for x in o]
    return o


@pytest.mark.parametrize("name", ["describe-vpn-connections-page.json", "terraform-show-alicloud_vpn_connection.json",
                                  "create-vpn-connection-request-dual.json"])
def test_mutated_alibaba_json_never_crashes(tmp_path, name):
    rng = random.Random(name)
    base = json.loads((FIXTURES / "alibaba" / name).read_text())
    path = tmp_path / "m.json"
    for _ in range(150):
        path.write_text(json.dumps(_mutate(rng, base)))
        try:
            alibaba.load(path)
        except InputError as exc:
            assert str(path) in str(exc)


def test_mutated_device_configs_never_crash():
    rng = random.Random(7)
    files = sorted(FIXTURES.glob("*/*.cfg")) + (sorted(CORPUS.glob("*/*.cfg")) if CORPUS.is_dir() else [])
    for _ in range(150):
        lines = rng.choice(files).read_text(errors="replace").splitlines()
        for _ in range(rng.randint(1, 8)):
            j = rng.randrange(len(lines) + 1)
            k = min(j, len(lines) - 1)
            op = rng.random()
            if op < 0.3 or not lines:
                lines.insert(j, rng.choice(_JUNK))
            elif op < 0.5:
                lines[k] = lines[k][:rng.randint(0, 30)]
            elif op < 0.7:
                del lines[k]
            else:
                lines[k] = " ".join(w for w in lines[k].split() if rng.random() > 0.3)
        text = "\n".join(lines)
        for vendor in VENDORS:
            parse_device(text, "mutated.cfg", vendor)  # must not raise
