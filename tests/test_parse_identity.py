"""The device model `show` prints, pinned by digest for every fixture device config.

Speed work on the parse loop (keyword tables, lazy networks, fewer splits) must not change a single byte of
any model: each fixture's `ipsec-preflight show` output (run from the repository root, so the file names in it
are the relative ones) is hashed and compared with the digest taken before that work. A change that is meant to
alter a model updates the digest here, visibly, in the same commit: `python tests/test_parse_identity.py` prints
the current table.
"""
from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

# relative path -> sha256 (first 20 hex digits) of `exit <code>` + stdout of `ipsec-preflight show <path>`
PINNED = {
    "fixtures/asa/ikev1-objnat.asa.cfg": "80bf9f57c120c8e115c0",
    "fixtures/asa/vti-bgp-ikev2.asa.cfg": "beffeb379b81c89705fe",
    "fixtures/audit/devices/hz/hz-dc-edge01.cfg": "05919b48a0e751428e20",
    "fixtures/audit/devices/other/bj-dc-asa01.cfg": "ac48db27e09031f73965",
    "fixtures/audit/devices/other/gz-nat-branch01.cfg": "3f4e8ea9ce85ad9ad4f2",
    "fixtures/audit/devices/other/sh-branch-ar01.cfg": "ec07f515fcaa60d5bbba",
    "fixtures/ci/h3c-three-policies.cfg": "4ccfa1502ff82fdc8b0c",
    "fixtures/example/branch-router.cfg": "330c43ed5d21d8cae717",
    "fixtures/fix-safety/asa-objects.cfg": "4451a68cbbd7da38a3ea",
    "fixtures/fix-safety/ios-acl-on-interface.cfg": "f3219bf79a403da1a683",
    "fixtures/fixes/shared-h3c.cfg": "d077149cd8c98590a8c5",
    "fixtures/fixes/shared-huawei.cfg": "d2efe48c30923018afb8",
    "fixtures/fixes/shared-ios.cfg": "80675fd6aba117175a7f",
    "fixtures/h3c/cmw5-ikev1-policy.cfg": "77d73881fd2426dcd234",
    "fixtures/h3c/cmw5-ikev1-route.cfg": "440201babac6161bb22d",
    "fixtures/h3c/cmw7-ikev1-route.cfg": "4e089835e959eb835150",
    "fixtures/h3c/cmw7-ikev2-route.cfg": "b4c359d8963f0f70b168",
    "fixtures/huawei/ar-v200r010-ikev1-template.cfg": "b962fadd7a835942c070",
    "fixtures/huawei/ar-v200r010-ikev1-zones.cfg": "a80e4adb76246ba42108",
    "fixtures/huawei/ar-v200r010-ikev2-dialer.cfg": "d784eeeed856ecf311c6",
    "fixtures/huawei/ar-v200r010-ikev2-tunnel.cfg": "7dca904ba52d4244049d",
    "fixtures/huawei/usg6500-ikev1-shared-loopback.cfg": "985abb6c328fc0963ecb",
    "fixtures/huawei/usg6500-ikev2-policy.cfg": "523c8eb606b719246d9b",
    "fixtures/huawei/usg6555e-nat-policy-two-flows.cfg": "8a99a5a38e8bcf7c1510",
    "fixtures/ios/c8000v-17.12-ikev2-map.cfg": "efa9c3b450f2629c6847",
    "fixtures/ios/isr4451-17.12-ikev1-map.cfg": "88fbe1e03cbb8c83176f",
    "fixtures/pairs/ikev1-map.asa.cfg": "61ec91a5f85551b0d680",
    "fixtures/pairs/ikev1-map.cfg": "e0ad7cb4661e57fc97de",
    "fixtures/pairs/ikev1-map.h3c.cfg": "e5007a937cc394893994",
    "fixtures/pairs/ikev1-map.huawei.cfg": "9bc7d10c12569e0ad740",
    "fixtures/pairs/ikev2-map.cfg": "8b02a29613dfddf58872",
    "fixtures/pairs/ikev2-vti.cfg": "841429549893fca8845d",
    "fixtures/repo/archive/gz-legacy-rtr01.cfg": "fb396da6c1312a4901ae",
    "fixtures/repo/configs/beijing/bj-dc-asa01.cfg": "7816b2a68cf0709e102c",
    "fixtures/repo/configs/guangzhou/gz-nat-branch01.cfg": "c19f148ff62ffed3f08d",
    "fixtures/repo/configs/hangzhou/core/hz-dc-edge01.cfg": "b96dea354bfc0b1d7f3d",
    "fixtures/repo/configs/shanghai/sh-branch-ar01.cfg": "c8fb16decce58953fcfa",
}


def device_files() -> list[str]:
    return sorted(str(p.relative_to(ROOT)) for p in (ROOT / "fixtures").rglob("*.cfg"))


def digest(rel: str) -> str:
    from typer.testing import CliRunner

    from analyzer.cli import app

    result = CliRunner().invoke(app, ["show", rel])
    return hashlib.sha256(f"exit {result.exit_code}\n{result.stdout}".encode()).hexdigest()[:20]


@pytest.fixture
def at_root(monkeypatch):
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("rel", sorted(PINNED))
def test_show_output_unchanged(rel, at_root):
    assert digest(rel) == PINNED[rel], f"`ipsec-preflight show {rel}` changed (a model differs): if intended, re-pin"


def test_every_fixture_device_config_is_pinned(at_root):
    assert set(device_files()) - set(PINNED) == set(), "new fixture device configs: add their digests to PINNED"


def test_digest_tells_models_apart(at_root):
    # the pin would catch nothing if every file hashed alike (e.g. an invocation error)
    assert len({PINNED[r] for r in PINNED}) == len(PINNED)
    assert digest("fixtures/pairs/ikev1-map.cfg") != digest("fixtures/pairs/ikev2-map.cfg")


def test_decisive_banner_fast_form_finds_what_the_multiline_form_finds(at_root):
    import re

    from parsers.registry import _DECISIVE, _at_newline

    texts = [p.read_text(errors="replace") for p in (ROOT / "fixtures").rglob("*.cfg")]
    texts += ["version 7.1.064, Release 0821P11\n", "#\n version 7.1.064, Release 0821P11\n", "x version 7.1.0, Release 1\n",
              "\r\n version 5.20, Release 2208P01\r\n", "sysname A\nversion 5.20.1, ESS 1234\n"]
    assert _DECISIVE, "no vendor has a decisive banner: this test checks nothing"
    for _, banner in _DECISIVE:
        fast, at_newline = _at_newline(banner)
        assert at_newline  # the banner we ship is of the form the fast path takes
        for text in texts:
            slow = banner.search(text)
            quick = fast.search("\n" + text)
            assert (slow.group(0) if slow else None) == (quick.group(0)[1:] if quick else None)
    assert _at_newline(re.compile("^a|b", re.MULTILINE))[1] is False  # `^a|b` is not `\n(a|b)`


def test_children_made_on_first_use_are_the_scanned_lines():
    from parsers.blocks import Line, scan

    text = "interface Gi0/1\n description uplink\n ip address 192.0.2.1 255.255.255.0\n!\ncrypto map M 10 ipsec-isakmp\n set peer 192.0.2.9\n"
    blocks = scan(text, lambda line: line.startswith(("interface", "crypto")), None)
    assert blocks[0].texts() == ["description uplink", "ip address 192.0.2.1 255.255.255.0"]
    assert blocks[0].children == [Line(2, "description uplink"), Line(3, "ip address 192.0.2.1 255.255.255.0")]
    assert blocks[0].children is blocks[0].children  # made once: words split once per line
    blocks[1].children = [c for c in blocks[1].children if c.words[0] != "set"]
    assert blocks[1].texts() == [] and blocks[1].rows == []


if __name__ == "__main__":  # print the table for PINNED
    sys.path.insert(0, str(ROOT))
    os.chdir(ROOT)
    for rel in device_files():
        print(f'    "{rel}": "{digest(rel)}",')
