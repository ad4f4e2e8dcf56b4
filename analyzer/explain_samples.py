"""The fix per vendor that `explain RULE` prints: each vendor's own fixer (parsers/<vendor>/fixes.py) run on a small
sample tunnel of that vendor, asked for the rule's fix intent with values Alibaba accepts (aes, sha256, group14).
`check` writes the same commands for the user's own objects; this shows their form.

The samples are one IKEv1 policy-based tunnel each (device 203.0.113.20, LAN 192.168.20.0/24, Alibaba gateway
198.51.100.10, VPC 10.20.0.0/16), written in each vendor's export syntax like the fixtures; their key is a dummy."""
from __future__ import annotations

from functools import lru_cache
from typing import Callable

GATEWAY, VPC, LAN = "198.51.100.10", "10.20.0.0/16", "192.168.20.0/24"
# values Alibaba accepts (IkeEncAlg aes, IkeAuthAlg sha256, IkePfs group14, 86400 s), strong enough that no vendor
# warns about them (IOS-XE 17.11+ refuses group 2 by default)
ENC, INTEG, GROUP, LIFE = "aes128", "sha256", 14, 86400

SAMPLES = {
    "cisco-ios": """\
version 17.12
hostname sample-ios
crypto isakmp policy 10
 encr aes 256
 hash sha256
 authentication pre-share
 group 14
crypto isakmp key sample-dummy-key address 198.51.100.10
crypto ipsec transform-set TS-SAMPLE esp-aes 256 esp-sha256-hmac
 mode tunnel
crypto map SAMPLE-MAP 10 ipsec-isakmp
 set peer 198.51.100.10
 set transform-set TS-SAMPLE
 match address VPN-SAMPLE
interface GigabitEthernet0/0/0
 ip address 203.0.113.20 255.255.255.0
 ip access-group WAN-IN in
 ip nat outside
 crypto map SAMPLE-MAP
interface GigabitEthernet0/0/1
 ip address 192.168.20.1 255.255.255.0
 ip nat inside
ip nat inside source list NAT-LAN interface GigabitEthernet0/0/0 overload
ip access-list extended NAT-LAN
 permit ip 192.168.20.0 0.0.0.255 any
ip access-list extended VPN-SAMPLE
 permit ip 192.168.20.0 0.0.0.255 10.20.0.0 0.0.255.255
ip access-list extended WAN-IN
 deny   ip any any
""",
    "cisco-asa": """\
ASA Version 9.16(4)
hostname sample-asa
interface GigabitEthernet0/0
 nameif outside
 security-level 0
 ip address 203.0.113.20 255.255.255.0
interface GigabitEthernet0/1
 nameif inside
 security-level 100
 ip address 192.168.20.1 255.255.255.0
object network LAN
 subnet 192.168.20.0 255.255.255.0
object network VPC
 subnet 10.20.0.0 255.255.0.0
access-list VPN-SAMPLE extended permit ip object LAN object VPC
access-list OUTSIDE-IN extended deny ip any any
access-group OUTSIDE-IN in interface outside
crypto ipsec ikev1 transform-set TS-SAMPLE esp-aes-256 esp-sha-hmac
crypto map outside_map 10 match address VPN-SAMPLE
crypto map outside_map 10 set peer 198.51.100.10
crypto map outside_map 10 set ikev1 transform-set TS-SAMPLE
crypto map outside_map interface outside
crypto ikev1 enable outside
crypto ikev1 policy 10
 authentication pre-share
 encryption aes-256
 hash sha
 group 14
 lifetime 86400
tunnel-group 198.51.100.10 type ipsec-l2l
tunnel-group 198.51.100.10 ipsec-attributes
 ikev1 pre-shared-key sample-dummy-key
""",
    "huawei-vrp": """\
!Software Version V200R010C10SPC700
 sysname sample-ar
#
acl number 3000
 rule 5 permit ip source 192.168.20.0 0.0.0.255 destination 10.20.0.0 0.0.255.255
acl number 3001
 rule 10 permit ip source 192.168.20.0 0.0.0.255
#
ipsec proposal SAMPLE
 esp authentication-algorithm sha2-256
 esp encryption-algorithm aes-256
#
ike proposal 10
 encryption-algorithm aes-256
 dh group14
 authentication-algorithm sha2-256
 authentication-method pre-share
#
ike peer SAMPLE
 undo version 2
 exchange-mode main
 pre-shared-key simple sample-dummy-key
 ike-proposal 10
 remote-address 198.51.100.10
#
ipsec policy SAMPLE-MAP 10 isakmp
 security acl 3000
 ike-peer SAMPLE
 proposal SAMPLE
#
interface GigabitEthernet0/0/1
 ip address 203.0.113.20 255.255.255.0
 nat outbound 3001
 ipsec policy SAMPLE-MAP
#
interface GigabitEthernet0/0/2
 ip address 192.168.20.1 255.255.255.0
#
return
""",
    "h3c-comware": """\
 version 7.1.064, Release 0821P16
#
 sysname sample-msr
#
acl advanced 3000
 rule 0 permit ip source 192.168.20.0 0.0.0.255 destination 10.20.0.0 0.0.255.255
#
acl advanced 3001
 rule 5 permit ip source 192.168.20.0 0.0.0.255
#
ike proposal 10
 encryption-algorithm aes-cbc-256
 dh group14
 authentication-algorithm sha256
#
ike keychain SAMPLE
 pre-shared-key address 198.51.100.10 255.255.255.255 key simple sample-dummy-key
#
ike profile SAMPLE
 keychain SAMPLE
 match remote identity address 198.51.100.10 255.255.255.255
 proposal 10
#
ipsec transform-set SAMPLE
 esp encryption-algorithm aes-cbc-256
 esp authentication-algorithm sha256
#
ipsec policy SAMPLE-MAP 10 isakmp
 transform-set SAMPLE
 security acl 3000
 remote-address 198.51.100.10
 ike-profile SAMPLE
#
interface GigabitEthernet0/0
 ip address 203.0.113.20 255.255.255.0
 nat outbound 3001
 ipsec apply policy SAMPLE-MAP
#
interface GigabitEthernet0/1
 ip address 192.168.20.1 255.255.255.0
#
return
""",
}


def _pairs():
    from netaddr import IPNetwork

    from analyzer.model import SelectorPair

    return [SelectorPair(local=IPNetwork(LAN), remote=IPNetwork(VPC))]


def _ident():
    from analyzer.model import Identity

    return Identity(type="ip", value=GATEWAY)


def _with(method, *args, device):
    from analyzer.fixes import with_device

    return with_device(method, *args, device=device)


# the samples' inbound access list of the outside interface and their source-NAT access list (None: ASA's NAT
# is object NAT, Huawei/H3C samples filter nothing inbound)
_INBOUND = {"cisco-ios": "WAN-IN", "cisco-asa": "OUTSIDE-IN", "huawei-vrp": "3002", "h3c-comware": "3002"}
_NAT = {"cisco-ios": "NAT-LAN", "cisco-asa": None, "huawei-vrp": "3001", "h3c-comware": "3001"}


def _vendor(device) -> str:
    return device.vendor


# rule code -> the fix intent its findings ask for (as analyzer/rules/*.py call the fixer), with those values
INTENTS: dict[str, Callable] = {
    "PeerMismatch": lambda f, ep, d: f.peer(ep, GATEWAY),
    "IkePortsFiltered": lambda f, ep, d: f.permit_ike(ep, _INBOUND[_vendor(d)], GATEWAY),
    "VpnTrafficNatted": lambda f, ep, d: _with(f.nat_exempt, ep, _NAT[_vendor(d)], _pairs(), device=d),
    "IkeVersionMismatch": lambda f, ep, d: _with(f.version, ep, "ikev1", device=d),
    "NegotiationModeMismatch": lambda f, ep, d: f.mode(ep, "main"),
    "AlgorithmMismatch": lambda f, ep, d: _with(f.ike_proposal, ep, ENC, INTEG, GROUP, LIFE, device=d),
    "AuthenticationAlgorithmMismatch": lambda f, ep, d: _with(f.ike_proposal, ep, ENC, INTEG, GROUP, LIFE, device=d),
    "DhGroupMismatch": lambda f, ep, d: _with(f.ike_proposal, ep, ENC, INTEG, GROUP, LIFE, device=d),
    "ProposalMismatch": lambda f, ep, d: _with(f.ike_proposal, ep, ENC, INTEG, GROUP, LIFE, device=d),
    "PskMismatch": lambda f, ep, d: f.psk(ep),
    "PeerIdMismatch": lambda f, ep, d: f.remote_id(ep, _ident()),
    "LifetimeMismatch": lambda f, ep, d: _with(f.ipsec_lifetime, ep, LIFE, device=d),
    "DpdTimeout": lambda f, ep, d: f.dpd(ep, True),
    "NatTMismatch": lambda f, ep, d: f.natt(ep, True),
    "EncryptionAlgorithmMismatch": lambda f, ep, d: _with(f.ipsec_proposal, ep, ENC, INTEG, device=d),
    "PfsMismatch": lambda f, ep, d: _with(f.pfs, ep, GROUP, device=d),
    "SecurityProtocolMismatch": lambda f, ep, d: f.esp_tunnel(ep),
    "EncapsulationModeMismatch": lambda f, ep, d: f.esp_tunnel(ep),
    "TrafficBasedLifetime": lambda f, ep, d: _with(f.no_volume_lifetime, ep, device=d),
    "TrafficSelectorMismatch": lambda f, ep, d: _with(f.selectors, ep, _pairs(), device=d),
    "MtuTooLarge": lambda f, ep, d: f.mtu(ep, 1399, 1359),  # the FAQ's recommended user MTU; MSS = MTU - 40
}


@lru_cache(maxsize=None)
def _sample(vendor: str):
    """The parsed sample of ``vendor`` (fixers only read the device)."""
    from parsers.registry import parse_device

    return parse_device(SAMPLES[vendor], f"sample.{vendor}.cfg", vendor)


def example_fixes(rule_code: str) -> dict[str, dict] | None:
    """vendor -> {"device": [commands], "note": ...} for the rule's intent on that vendor's sample tunnel; None when
    the rule asks for no fix that a fixer writes (advisory rules, parser diagnostics, audit rules)."""
    intent = INTENTS.get(rule_code)
    if intent is None:
        return None
    from analyzer.fixes import fixer_for

    out = {}
    for vendor in SAMPLES:
        device = _sample(vendor)
        fix = intent(fixer_for(vendor), device.endpoints[0], device)
        out[vendor] = {"device": list(fix.device), "note": fix.note, "alibaba": dict(fix.alibaba)}
    return out
