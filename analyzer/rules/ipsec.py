"""Phase 2 (IPsec): ESP algorithms, PFS, protocol, encapsulation mode, volume lifetimes."""
from __future__ import annotations

from analyzer.algorithms import ALIBABA_DH_GROUPS, ALIBABA_ENCRYPTION, dh_name
from analyzer.fixes import (SAME, alibaba_accepts, alibaba_alg, alibaba_alternative, alibaba_group, sm_gateway,
                            with_device)
from analyzer.findings import Fix
from analyzer.i18n import N_, _
from analyzer.rules import Hit, lint_of, rule
from analyzer.rules.common import ali_esp, esp_matches, first_src, offered, offered_text, unsupported_only


def _esp(pair):
    return [p for p in pair.endpoint.ipsec.proposals if p.protocol == "esp" and p.mode == "tunnel"]


def esp_value(pair, attr: str, label: str, alibaba_field: str):
    """One ESP parameter Alibaba uses that no usable device proposal offers (shared by two rules)."""
    ali, ep = pair.ali, pair.endpoint
    want = getattr(ali_esp(ali), attr)[0]
    usable = _esp(pair)
    have = offered(usable, attr)
    if not usable or want in have:
        return
    a = ali_esp(ali)
    yield Hit(_("IPsec {parameter}: Alibaba uses {alibaba}, the device offers {device}").format(
              parameter=_(label), alibaba=want, device=offered_text(usable, have)),
              alibaba=a.src.get(attr), alibaba_value=alibaba_alg(want), device=first_src(usable, attr),
              fix=pair.fixer.ipsec_proposal(ep, a.encryption[0], a.integrity[0], device=pair.device,
                                            pfs=ali.ipsec.pfs_group) +
              _ali_side(pair, usable, attr, alibaba_field, have))


def _ali_side(pair, usable, attr: str, alibaba_field: str, have: list) -> Fix | None:
    """The Alibaba-side alternative of an ESP value fix (as for IKE values): a value Alibaba accepts from a device
    proposal that holds Alibaba's other ESP value, or the device's only value; else "change the device"."""
    a, sm = ali_esp(pair.ali), sm_gateway(pair.ali)
    other = "integrity" if attr == "encryption" else "encryption"
    fit = [v for p in usable if getattr(a, other)[0] in getattr(p, other) for v in getattr(p, attr)
           if alibaba_accepts(alibaba_field, v, sm) is not None]
    if fit:
        return alibaba_alternative(alibaba_field, fit[:1], sm)
    if any(alibaba_accepts(alibaba_field, v, sm) is not None for v in have):
        return alibaba_alternative(alibaba_field, have, sm) if len(have) == 1 else None
    if not have:  # nothing to mirror (e.g. a weak group refused by the device); AES-GCM carries no integrity
        gcm = attr == "integrity" and any("gcm" in e for q in usable for e in q.encryption)
        return Fix(note=_("Alibaba offers no AES-GCM: change the device to an AES-CBC transform with an HMAC")) \
            if gcm else None
    return alibaba_alternative(alibaba_field, have, sm)


def esp_combination(pair):
    """Both ESP values exist on the device, but never in the same transform set / proposal."""
    ali, ep = pair.ali, pair.endpoint
    a = ali_esp(ali)
    usable = _esp(pair)
    if usable and not esp_matches(a, usable) and a.encryption[0] in offered(usable, "encryption") \
            and a.integrity[0] in offered(usable, "integrity"):
        yield Hit(_("ESP {encryption} and {integrity} are both configured, but never in the same transform "
                    "set/proposal").format(encryption=a.encryption[0], integrity=a.integrity[0]),
                  device=ep.ipsec.at("proposals"),
                  fix=pair.fixer.ipsec_proposal(ep, a.encryption[0], a.integrity[0], device=pair.device,
                                                pfs=ali.ipsec.pfs_group))


@rule("EncryptionAlgorithmMismatch", "error", N_("Encryption algorithm mismatch"),
      N_("IPsec-phase (phase 2, ESP) encryption differs."))
def encryption(pair):
    """The ESP encryption algorithm must be offered by the device."""
    yield from esp_value(pair, "encryption", N_("encryption"), "IpsecConfig.IpsecEncAlg")


@rule("PfsMismatch", "error", N_("PFS mismatch"),
      N_("Phase-2 DH group (PFS) differs, or enabled on one side only (Alibaba IpsecPfs `disabled` means PFS off). "
         "PFS disabled on both sides is a match."))
def pfs(pair):
    """PFS must be off on both sides, or on with the same DH group."""
    ali, ep = pair.ali, pair.endpoint
    want, have = ali.ipsec.pfs_group, ep.ipsec.pfs_group
    if want == have:
        return
    if want is None:
        msg = _("PFS is disabled on Alibaba but the device requires {device}").format(device=dh_name(have))
    elif have is None:
        msg = _("Alibaba requires PFS {alibaba} but PFS is off on the device; the first rekey (or the first "
                "CHILD_SA) fails").format(alibaba=dh_name(want))
    else:
        msg = _("PFS group: Alibaba {alibaba}, device {device}").format(alibaba=dh_name(want), device=dh_name(have))
    yield Hit(msg, alibaba=ali.ipsec.src.get("pfs_group"), alibaba_value=alibaba_group(want),
              device=ep.ipsec.at("pfs_group"),
              fix=pair.fixer.pfs(ep, want, device=pair.device, esp=(ali_esp(ali).encryption[0],
                                                                    ali_esp(ali).integrity[0])) + alibaba_alternative("IpsecConfig.IpsecPfs", [have], sm_gateway(ali),
                                                                 render=dh_name))


def _bad(pair, predicate):
    props = pair.endpoint.ipsec.proposals
    bad = [p for p in props if predicate(p)]
    return bad, len(bad) == len(props)


def _new_esp_tunnel_proposal(pair):
    """A new ESP tunnel-mode proposal for this tunnel only (Alibaba's algorithms; device-only lint: AES/SHA-256)."""
    algs = (ali_esp(pair.ali).encryption[0], ali_esp(pair.ali).integrity[0]) if pair.ali else ("aes128", "sha256")
    return pair.fixer.ipsec_proposal(pair.endpoint, *algs, device=pair.device,
                                     pfs=pair.ali.ipsec.pfs_group if pair.ali else SAME)


@rule("SecurityProtocolMismatch", "error", N_("Security protocol mismatch"),
      N_("Device uses AH (alone or with ESP). Alibaba supports ESP only."), lint=True)
def security_protocol(pair):
    """Alibaba negotiates ESP only."""
    bad, all_bad = _bad(pair, lambda p: p.protocol != "esp")
    for p in bad:
        yield Hit(_("{proposal} uses {protocol}; Alibaba supports ESP only").format(proposal=p.name,
                                                                                   protocol=p.protocol.upper()),
                  severity=None if all_bad else "warning",
                  severity_reason=None if all_bad else N_("another proposal of the device uses ESP"),
                  device=p.at("protocol"),
                  fix=_new_esp_tunnel_proposal(pair))


@rule("EncapsulationModeMismatch", "error", N_("Encapsulation mode mismatch"),
      N_("Device uses transport mode. Alibaba supports tunnel mode only."), lint=True)
def encapsulation(pair):
    """Alibaba negotiates tunnel mode only."""
    bad, all_bad = _bad(pair, lambda p: p.mode != "tunnel")
    for p in bad:
        yield Hit(_("{proposal} uses {mode} mode; Alibaba supports tunnel mode only").format(proposal=p.name,
                                                                                            mode=p.mode),
                  severity=None if all_bad else "warning",
                  severity_reason=None if all_bad else N_("another proposal of the device uses tunnel mode"),
                  device=p.at("mode"),
                  fix=_new_esp_tunnel_proposal(pair))


@rule("TrafficBasedLifetime", "warning", N_("Traffic-based SA lifetime"),
      N_("Alibaba IPsec-VPN FAQ: the device sets a volume-based (kilobytes) lifetime: Alibaba supports time-based "
         "lifetimes only; recommend none or 0."), alibaba_code="LifetimeMismatch", lint=True)
def traffic_lifetime(pair):
    """Alibaba has no volume-based lifetime; a device that rekeys on volume rekeys on its own schedule."""
    ep = pair.endpoint
    kb = ep.ipsec.lifetime_kb
    if kb is None:
        return
    src = ep.ipsec.at("lifetime_kb")
    defaulted = src is not None and src.defaulted
    text = _("the device applies its default traffic-based IPsec SA lifetime of {kb} KB; Alibaba supports "
             "time-based lifetimes only") if defaulted else \
        _("the device sets a traffic-based IPsec SA lifetime of {kb} KB; Alibaba supports time-based lifetimes only")
    yield Hit(text.format(kb=kb),
              severity="info" if defaulted else None,
              severity_reason=N_("a vendor default, not a configured line") if defaulted else None,
              device=src, fix=with_device(pair.fixer.no_volume_lifetime, ep, device=pair.device))


# --- device-only (lint) forms -----------------------------------------------------------------------------

@lint_of("EncryptionAlgorithmMismatch")
def lint_encryption(t):
    yield from lint_esp_value(t, "encryption", ALIBABA_ENCRYPTION)


def lint_esp_value(t, attr: str, allowed):
    """One ESP parameter for which the device offers only values Alibaba does not (shared by two rules)."""
    esp = [p for p in t.endpoint.ipsec.proposals if p.protocol == "esp"]
    have, src = unsupported_only(esp, attr, allowed)
    if have:
        yield Hit(_("ESP {parameter}: the device offers only {device}; Alibaba supports {alibaba}").format(
                  parameter=_(attr), device=", ".join(have), alibaba=", ".join(allowed)),
                  device=src, fix=t.fixer.ipsec_proposal(t.endpoint, "aes128", "sha256", device=t.device))


@lint_of("PfsMismatch")
def lint_pfs(t):
    ep = t.endpoint
    group = ep.ipsec.pfs_group
    if group is not None and group not in ALIBABA_DH_GROUPS:
        yield Hit(_("PFS {group} is not offered by Alibaba (IpsecPfs: {values}, disabled)").format(
                  group=dh_name(group), values=", ".join(alibaba_group(g) for g in ALIBABA_DH_GROUPS)),
                  device=ep.ipsec.at("pfs_group"), fix=t.fixer.pfs(ep, 14, device=t.device))
