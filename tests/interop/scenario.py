"""A tunnel described once, rendered two ways: the Alibaba connection JSON (DescribeVpnConnection shape) and
the Cisco IOS configuration that mirrors it, both then read by our own parsers. Deviations change the device
side (or, for what IOS cannot express, the Alibaba side) by name, so a test can say which one it applied."""
from __future__ import annotations

import json
from dataclasses import dataclass, replace

ALI_GW, DEV_IP = "198.51.100.60", "203.0.113.60"  # the public addresses the configs name (documentation ranges)

# our canonical names -> Alibaba API value / IOS isakmp / IOS ikev2 / IOS transform-set. Written here again on
# purpose, not imported from parsers/cisco_ios/fixes.py: a wrong product table must not confirm itself in the lab.
ALI_ENC = {"aes128": "aes", "aes192": "aes192", "aes256": "aes256", "3des": "3des", "des": "des"}
V1_ENC = {"aes128": "aes", "aes192": "aes 192", "aes256": "aes 256", "3des": "3des", "des": "des"}
V2_ENC = {"aes128": "aes-cbc-128", "aes192": "aes-cbc-192", "aes256": "aes-cbc-256", "3des": "3des", "des": "des"}
ESP_ENC = {"aes128": "esp-aes", "aes192": "esp-aes 192", "aes256": "esp-aes 256", "3des": "esp-3des", "des": "esp-des"}
V1_HASH = {"md5": "md5", "sha1": "sha", "sha256": "sha256", "sha384": "sha384", "sha512": "sha512"}
ESP_AUTH = {"md5": "esp-md5-hmac", "sha1": "esp-sha-hmac", "sha256": "esp-sha256-hmac", "sha384": "esp-sha384-hmac",
            "sha512": "esp-sha512-hmac"}
CIPHERS = ("aes128", "aes192", "aes256", "3des")
HASHES = ("sha1", "sha256", "sha384", "sha512", "md5")
GROUPS = (2, 5, 14)  # Alibaba's IkePfs/IpsecPfs values that strongSwan's openssl plugin still offers (not 1)


@dataclass(frozen=True)
class Side:
    """One side's settings from its own point of view (local = this side)."""
    version: str = "ikev2"
    mode: str = "main"
    ike_enc: str = "aes128"
    ike_auth: str = "sha1"
    ike_dh: int = 14
    ike_life: int = 86400
    esp_enc: str = "aes128"
    esp_auth: str = "sha1"
    pfs: int | None = 14
    esp_life: int = 3600
    key: int = 1  # which test key the side holds: sides with different numbers hold different keys
    # the device only (Alibaba takes one value per parameter): a further cipher it offers, in a second isakmp
    # policy (IKEv1) or the same ikev2 proposal, and in a second transform set tried first
    ike_extra: str | None = None
    esp_extra: str | None = None
    # (type, value): ip, fqdn; the device side on IKEv2 also user-fqdn (IOS `email`) and key-id
    local_id: tuple[str, str] = ("ip", ALI_GW)
    remote_id: tuple[str, str] = ("ip", DEV_IP)
    local_nets: tuple[str, ...] = ("10.60.0.0/16",)
    remote_nets: tuple[str, ...] = ("172.20.8.0/22",)


def psk(s: Side) -> str:
    """The side's key. Only its number is in the Side, so no test output (hypothesis prints the sides) holds it."""
    return f"Interop-Key-{s.key}"


def mirror(ali: Side) -> Side:
    """The device side that matches ``ali`` exactly."""
    return replace(ali, local_id=ali.remote_id, remote_id=ali.local_id, local_nets=ali.remote_nets,
                   remote_nets=ali.local_nets)


def alibaba_json(s: Side) -> str:
    def ident(i: tuple[str, str]) -> str:
        return i[1]

    return json.dumps({
        "VpnConnectionId": "vco-interop0000000000001", "Name": "interop", "VpnGatewayId": "vpn-interop00000000001",
        "CustomerGatewayId": "cgw-interop00000000001", "InternetIp": ALI_GW,
        "LocalSubnet": ",".join(s.local_nets), "RemoteSubnet": ",".join(s.remote_nets),
        "EnableDpd": True, "EnableNatTraversal": True, "State": "active",
        "IkeConfig": {"Psk": psk(s), "IkeVersion": s.version, "IkeMode": s.mode, "IkeEncAlg": ALI_ENC[s.ike_enc],
                      "IkeAuthAlg": s.ike_auth, "IkePfs": f"group{s.ike_dh}", "IkeLifetime": s.ike_life,
                      "LocalId": ident(s.local_id), "RemoteId": ident(s.remote_id)},
        "IpsecConfig": {"IpsecEncAlg": ALI_ENC[s.esp_enc], "IpsecAuthAlg": s.esp_auth,
                        "IpsecPfs": f"group{s.pfs}" if s.pfs else "disabled", "IpsecLifetime": s.esp_life},
    }, indent=1)


def _wildcard(net: str) -> str:
    from netaddr import IPNetwork
    n = IPNetwork(net)
    return f"{n.network} {n.hostmask}"


_IOS_V2_ID = {"ip": "address", "fqdn": "fqdn", "user-fqdn": "email", "key-id": "key-id"}


def _id_v2(kind: str, i: tuple[str, str]) -> str:
    """IOS `identity local` / `match identity remote` (Cisco, "IKEv2 profile" configuration commands)."""
    return f"{kind} {_IOS_V2_ID[i[0]]} {i[1]}"


def ios_config(d: Side, hostname: str = "edge01", domain: str = "example.net") -> str:
    """The IOS crypto-map configuration for the device side, written the way `show running-config` prints it."""
    peer = d.remote_id[1] if d.remote_id[0] == "ip" else ALI_GW
    out = ["!", "version 16.9", f"hostname {hostname}", "!", f"ip domain name {domain}", "!"]
    profile = d.version == "ikev1" and (d.mode == "aggressive" or d.remote_id[0] == "fqdn")
    if d.version == "ikev1":
        if d.ike_extra:
            out += ["crypto isakmp policy 5", f" encr {V1_ENC[d.ike_extra]}", f" hash {V1_HASH[d.ike_auth]}",
                    " authentication pre-share", f" group {d.ike_dh}", f" lifetime {d.ike_life}"]
        out += ["crypto isakmp policy 10", f" encr {V1_ENC[d.ike_enc]}", f" hash {V1_HASH[d.ike_auth]}",
                " authentication pre-share", f" group {d.ike_dh}", f" lifetime {d.ike_life}"]
        if profile:  # an isakmp profile: the identity it expects, its own, and the mode it initiates
            out += ["crypto keyring KR-ALIYUN", f"  pre-shared-key address {ALI_GW} key {psk(d)}", "!",
                    "crypto isakmp profile ISAKMP-ALIYUN", "   keyring KR-ALIYUN",
                    f"   match identity {'host' if d.remote_id[0] == 'fqdn' else 'address'} {d.remote_id[1]}"
                    + ("" if d.remote_id[0] == "fqdn" else " 255.255.255.255"),
                    f"   self-identity {'fqdn' if d.local_id[0] == 'fqdn' else 'address'}"]
            out += ["   initiate mode aggressive"] if d.mode == "aggressive" else []
            out += ["!"]
        else:
            if d.local_id[0] == "fqdn":  # IKEv1 identities on IOS: the address, or hostname.domain
                out += ["crypto isakmp identity hostname"]
            out += [f"crypto isakmp key {psk(d)} address {ALI_GW}", "!"]
    else:
        extra = f" {V2_ENC[d.ike_extra]}" if d.ike_extra else ""
        out += ["crypto ikev2 proposal IKEV2-PROP", f" encryption {V2_ENC[d.ike_enc]}{extra}",
                f" integrity {d.ike_auth}", f" group {d.ike_dh}", "!",
                "crypto ikev2 policy IKEV2-POL", " proposal IKEV2-PROP", "!",
                "crypto ikev2 keyring IKEV2-KR", " peer ALIYUN", f"  address {ALI_GW}",
                f"  pre-shared-key {psk(d)}", " !", "!",
                "crypto ikev2 profile IKEV2-ALIYUN",
                " match " + _id_v2("identity remote", d.remote_id) + (" 255.255.255.255" if d.remote_id[0] == "ip" else ""),
                " " + _id_v2("identity local", d.local_id),
                " authentication remote pre-share", " authentication local pre-share",
                " keyring local IKEV2-KR", f" lifetime {d.ike_life}", "!"]
    sets = "TS-ALIYUN"
    if d.esp_extra:
        out += [f"crypto ipsec transform-set TS-EXTRA {ESP_ENC[d.esp_extra]} {ESP_AUTH[d.esp_auth]}", " mode tunnel", "!"]
        sets = "TS-EXTRA TS-ALIYUN"
    out += [f"crypto ipsec transform-set TS-ALIYUN {ESP_ENC[d.esp_enc]} {ESP_AUTH[d.esp_auth]}", " mode tunnel", "!",
            "crypto map CMAP 10 ipsec-isakmp", f" set peer {peer}",
            f" set security-association lifetime seconds {d.esp_life}", f" set transform-set {sets}"]
    if d.pfs:
        out += [f" set pfs group{d.pfs}"]
    if d.version == "ikev2":
        out += [" set ikev2-profile IKEV2-ALIYUN"]
    elif profile:
        out += [" set isakmp-profile ISAKMP-ALIYUN"]
    out += [" match address VPN-ALIYUN", "!", "interface GigabitEthernet0/1",
            f" ip address {DEV_IP} 255.255.255.252", " crypto map CMAP", "!",
            "interface GigabitEthernet0/2", " ip address 172.20.8.1 255.255.252.0", "!",
            "ip access-list extended VPN-ALIYUN"]
    out += [f" permit ip {_wildcard(lo)} {_wildcard(re_)}" for lo in d.local_nets for re_ in d.remote_nets]
    out += ["!", f"ip route 0.0.0.0 0.0.0.0 203.0.113.61", "!", "end"]
    return "\n".join(out) + "\n"


def protocol_stricter(ali: Side, dev: Side) -> set[str]:
    """The named deviations (analyzer.rules.Deviation) that apply to this pair of sides: where Alibaba
    documents an error that the protocol (and strongSwan) would negotiate through."""
    out = set()
    if ali.version == "ikev1":
        if set(ali.local_nets) != set(dev.remote_nets) or set(ali.remote_nets) != set(dev.local_nets):
            out.add("ikev1-exact-selectors")
        if len(ali.local_nets) > 1 or len(ali.remote_nets) > 1 or len(dev.local_nets) > 1 or len(dev.remote_nets) > 1:
            out.add("ikev1-one-cidr-pair")
        if ali.mode == "main" and "fqdn" in (ali.local_id[0], ali.remote_id[0], dev.local_id[0], dev.remote_id[0]):
            out.add("ikev1-main-mode-ip-ids")
    return out
