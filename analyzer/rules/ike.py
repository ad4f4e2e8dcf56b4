"""Phase 1 (IKE): version, mode, algorithms, proposals, key, identities, lifetime, DPD, NAT-T, commit bit."""
from __future__ import annotations

import hmac

from analyzer.algorithms import ALIBABA_DH_GROUPS, ALIBABA_ENCRYPTION, ALIBABA_INTEGRITY, dh_name
from analyzer.fixes import alibaba_accepts, alibaba_alternative, sm_gateway, with_device
from analyzer.findings import Fix
from analyzer.i18n import N_, _
from analyzer.rules import Hit, lint_of, rule
from parsers.generation import PSK_PLACEHOLDER
from analyzer.rules.deviations import IKEV1_MAIN_MODE_IP_IDS
from analyzer.rules.common import ali_ike, first_src, ike_matches, is_private, offered, offered_text, unsupported_only
from analyzer.rules.ipsec import esp_combination, esp_value, lint_esp_value


@rule("IkeVersionMismatch", "error", N_("IKE version mismatch"),
      N_("IKE versions differ, or the device auto-negotiates/offers both (recommend pinning; IKEv2 recommended)."))
def ike_version(pair):
    """Both sides must run the same IKE version."""
    ali, ep = pair.ali, pair.endpoint
    both = {e.ike.version for e in pair.candidates if e.peer_address == ep.peer_address and e.peer_address}
    if ep.ike.version == "any" or {"ikev1", "ikev2"} <= both:
        yield Hit(_("the device offers IKEv1 and IKEv2; Alibaba runs {version}: pin the version").format(
                  version=ali.ike.version),
                  severity="warning", severity_reason=N_("the device also offers Alibaba's version, so it can "
                                                         "negotiate; which version it initiates with is not pinned"),
                  alibaba=ali.ike.src.get("version"), alibaba_value=ali.ike.version,
                  device=ep.ike.at("version"), fix=with_device(pair.fixer.version, ep, ali.ike.version, device=pair.device))
    elif ep.ike.version != ali.ike.version:
        yield Hit(_("Alibaba uses {alibaba}, the device uses {device}").format(alibaba=ali.ike.version,
                                                                               device=ep.ike.version),
                  alibaba=ali.ike.src.get("version"), alibaba_value=ali.ike.version, device=ep.ike.at("version"),
                  fix=with_device(pair.fixer.version, ep, ali.ike.version, device=pair.device) +
                  alibaba_alternative("IkeConfig.IkeVersion", [ep.ike.version], sm_gateway(ali)))


@rule("NegotiationModeMismatch", "error", N_("Negotiation mode mismatch"), N_("IKEv1 main vs aggressive differ."))
def negotiation_mode(pair):
    """IKEv1 main and aggressive mode do not interoperate."""
    ali, ep = pair.ali, pair.endpoint
    if ali.ike.version != "ikev1" or ep.ike.version != "ikev1" or ep.ike.mode == ali.ike.mode:
        return
    sev = "warning" if ep.ike.mode == "any" else None
    yield Hit(_("Alibaba uses {alibaba} mode, the device uses {device}").format(alibaba=ali.ike.mode,
                                                                                device=ep.ike.mode), severity=sev,
              severity_reason=N_("the device accepts either mode as responder; only what it initiates with may "
                                 "differ") if sev else None,
              alibaba=ali.ike.src.get("mode"), alibaba_value=ali.ike.mode, device=ep.ike.at("mode"),
              fix=pair.fixer.mode(ep, ali.ike.mode) + (None if sev else  # "any": the device takes Alibaba's mode
                                                       alibaba_alternative("IkeConfig.IkeMode", [ep.ike.mode],
                                                                           sm_gateway(ali))))


_PHASE1 = ("encryption", "integrity", "dh_groups")


def _phase1_value(pair, attr: str, label: str, alibaba_field: str, render=str):
    ali, ep = pair.ali, pair.endpoint
    a = ali_ike(ali)
    want = getattr(a, attr)[0]
    have = offered(ep.ike.proposals, attr)
    if not ep.ike.proposals or want in have or _fallback_fits(pair):
        return
    shown = offered_text(ep.ike.proposals, have, render)  # never empty (AES-GCM proposals carry no integrity)
    yield Hit(_("IKE {parameter}: Alibaba uses {alibaba}, the device offers {device}").format(
              parameter=_(label), alibaba=render(want), device=shown),
              alibaba=a.src.get(attr), alibaba_value=render(want), device=first_src(ep.ike.proposals, attr),
              fix=pair.fixer.ike_proposal(ep, *_ali_tuple(ali), device=pair.device) +
              _ali_side(pair, attr, alibaba_field, have, render))


def _ali_side(pair, attr: str, alibaba_field: str, have: list, render) -> Fix | None:
    """The Alibaba-side alternative of an IKE value fix: a value the device offers that Alibaba accepts, taken
    from a device proposal that already holds Alibaba's other IKE values (so that one change makes a match) or
    the device's only value; "change the device" when Alibaba accepts none of them."""
    a, sm = ali_ike(pair.ali), sm_gateway(pair.ali)
    others = [o for o in _PHASE1 if o != attr]
    fit = [v for p in pair.endpoint.ike.proposals if all(getattr(a, o)[0] in getattr(p, o) for o in others)
           for v in getattr(p, attr) if alibaba_accepts(alibaba_field, v, sm) is not None]
    if fit:
        return alibaba_alternative(alibaba_field, fit[:1], sm)
    if any(alibaba_accepts(alibaba_field, v, sm) is not None for v in have):
        return alibaba_alternative(alibaba_field, have, sm) if len(have) == 1 else None
    if not have:  # nothing to mirror (e.g. a weak group refused by the device); AES-GCM carries no integrity
        gcm = attr == "integrity" and any("gcm" in e for q in pair.endpoint.ike.proposals for e in q.encryption)
        return Fix(note=_("Alibaba offers no AES-GCM: change the device to an AES-CBC proposal with an integrity "
                          "algorithm")) if gcm else None
    return alibaba_alternative(alibaba_field, have, sm, render)


def _fallback_fits(pair) -> bool:
    """The device falls back to a built-in proposal when none of its configured ones matches (H3C Comware:
    `Ike.fallback`), and that proposal holds Alibaba's whole combination: negotiation succeeds."""
    fb = pair.endpoint.ike.fallback
    return fb is not None and bool(ike_matches(ali_ike(pair.ali), [fb], pair.ali.ike.version))


def _ali_tuple(ali):
    p = ali_ike(ali)
    return p.encryption[0], p.integrity[0], p.dh_groups[0], p.lifetime_s or 86400


@rule("AlgorithmMismatch", "error", N_("Algorithm mismatch"),
      N_("Any of encryption / authentication / DH group differs in IKE or IPsec phase (the specific codes are used "
         "when they apply; this one for IKE encryption and IPsec integrity, which have no code of their own)."))
def algorithm(pair):
    """IKE encryption and IPsec (ESP) integrity must be offered by the device."""
    yield from _phase1_value(pair, "encryption", N_("encryption"), "IkeConfig.IkeEncAlg")
    yield from esp_value(pair, "integrity", N_("integrity"), "IpsecConfig.IpsecAuthAlg")


@rule("AuthenticationAlgorithmMismatch", "error", N_("Authentication algorithm mismatch"),
      N_("IKE-phase (phase 1) authentication/hash algorithm differs."))
def authentication_algorithm(pair):
    """The IKE hash/integrity algorithm must be offered by the device."""
    yield from _phase1_value(pair, "integrity", N_("authentication (hash/integrity)"), "IkeConfig.IkeAuthAlg")


@rule("DhGroupMismatch", "error", N_("DH group mismatch"), N_("IKE-phase (phase 1) DH group differs."))
def dh_group(pair):
    """The IKE DH group (Alibaba's IkePfs) must be offered by the device."""
    yield from _phase1_value(pair, "dh_groups", N_("DH group"), "IkeConfig.IkePfs", render=dh_name)


@rule("ProposalMismatch", "error", N_("No proposal chosen"),
      N_("Generic: parameters disagree so that no proposal is chosen - e.g. every value exists on the device but "
         "never together in one proposal, or only in proposals that do not use pre-shared keys."))
def proposal(pair):
    """A single device proposal must hold Alibaba's whole combination (and use pre-shared keys)."""
    ali, ep = pair.ali, pair.endpoint
    a = ali_ike(ali)
    src = ep.ike.src.get("proposals")  # a built-in default whose contents no document gives (H3C IKEv2)
    unknown_default = src is not None and src.defaulted and "cannot verify" in (src.note or "")
    if not ep.ike.proposals and not unknown_default:  # a default of unknown contents is a parser warning instead
        yield Hit(_("the device has no IKE proposal/policy at all for this tunnel"), device=ep.ike.at("version"),
                  fix=pair.fixer.ike_proposal(ep, *_ali_tuple(ali), device=pair.device))
    elif ep.ike.proposals and not ike_matches(a, ep.ike.proposals, ali.ike.version) and not _fallback_fits(pair):
        values_ok = all(getattr(a, attr)[0] in offered(ep.ike.proposals, attr)
                        for attr in ("encryption", "integrity", "dh_groups"))
        if values_ok:
            same = [p for p in ep.ike.proposals if a.encryption[0] in p.encryption and a.integrity[0] in p.integrity
                    and a.dh_groups[0] in p.dh_groups]
            if same and all(p.auth_method != "pre-share" for p in same):
                yield Hit(_("{proposal} has the right algorithms but authentication {method}; Alibaba authenticates "
                            "with a pre-shared key").format(proposal=same[0].name, method=same[0].auth_method),
                          device=same[0].at("auth_method"),
                          alibaba=ali.ike.src.get("psk"), alibaba_value="pre-shared key",
                          fix=pair.fixer.ike_proposal(ep, *_ali_tuple(ali), device=pair.device))
            elif not same:
                yield Hit(_("every IKE value Alibaba uses ({values}) is configured on the device, but never together "
                            "in one proposal").format(
                              values=f"{a.encryption[0]}/{a.integrity[0]}/{dh_name(a.dh_groups[0])}"),
                          device=ep.ike.at("proposals"), alibaba=ali.ike.src.get("version"),
                          fix=pair.fixer.ike_proposal(ep, *_ali_tuple(ali), device=pair.device))
            elif ali.ike.version == "ikev2":
                yield Hit(_("the IKEv2 PRF (Alibaba derives it from IkeAuthAlg = {algorithm}) is not offered by the "
                            "device proposal").format(algorithm=a.integrity[0]), device=first_src(same, "prf"),
                          alibaba=a.src.get("integrity"), alibaba_value=a.integrity[0],
                          fix=pair.fixer.ike_proposal(ep, *_ali_tuple(ali), device=pair.device))
    yield from esp_combination(pair)


_PLACEHOLDER_TEXT = N_("the pre-shared key is still the placeholder {placeholder} that generate writes: paste the "
                       "connection's key")


def _placeholder_key(ep):
    """The device key (local or remote) that is still `generate`'s placeholder, if any."""
    for key in (ep.ike.psk, ep.ike.psk_remote):
        if key is not None and key.secret is not None and key.secret.get_secret_value() == PSK_PLACEHOLDER:
            return key
    return None


@rule("PskMismatch", "error", N_("Pre-shared key mismatch"),
      N_("PSKs differ (comparable when both are readable: plaintext, Cisco type 7 is reversible; vendor-encrypted "
         "forms cannot be compared - say 'not verifiable', never guess)."))
def psk(pair):
    """Keys are compared in memory; only 'differs', 'matches' or 'cannot verify' is ever printed."""
    ali, ep = pair.ali, pair.endpoint
    a, d = ali.ike.psk, ep.ike.psk
    if placeholder := _placeholder_key(ep):  # whatever Alibaba holds (even no Psk): not usable until pasted
        yield Hit(_(_PLACEHOLDER_TEXT).format(placeholder=PSK_PLACEHOLDER), device=placeholder.source,
                  alibaba=ali.ike.src.get("psk"), alibaba_value="<redacted>" if a.secret is not None else None,
                  fix=pair.fixer.psk(ep))
        return
    if a.secret is None:
        yield Hit(_("the Alibaba input carries no Psk (a random key is generated on create): cannot verify"),
                  severity="info", severity_reason=N_("nothing to compare: the key may well match"),
                  alibaba=ali.ike.src.get("psk"))
        return
    if d.form == "missing":
        yield Hit(_("no pre-shared key for peer {peer} found on the device").format(peer=ep.peer_address),
                  device=ep.origin,
                  alibaba=ali.ike.src.get("psk"), alibaba_value="<redacted>", fix=pair.fixer.psk(ep))
        return
    keys = [(False, d)] + ([(True, ep.ike.psk_remote)] if ep.ike.psk_remote is not None else [])
    for remote, key in keys:
        if key.secret is None:
            how = _("vendor-encrypted") if key.form == "encrypted" else _("masked")
            text = _("the key the device expects from the peer (remote key) is stored {form} ({how}), so it cannot "
                     "be compared with Alibaba's Psk: cannot verify") if remote else \
                _("the key is stored {form} ({how}), so it cannot be compared with Alibaba's Psk: cannot verify")
            yield Hit(text.format(form=key.form, how=how), severity="info",
                      severity_reason=N_("nothing to compare: the key may well match"), device=key.source,
                      alibaba=ali.ike.src.get("psk"), alibaba_value="<redacted>")
        elif not hmac.compare_digest(a.secret.get_secret_value().encode(), key.secret.get_secret_value().encode()):
            yield Hit(_("the pre-shared key the device expects from the peer (remote key) differs from Alibaba's")
                      if remote else _("the pre-shared key differs from Alibaba's"), device=key.source,
                      alibaba=ali.ike.src.get("psk"), alibaba_value="<redacted>", fix=pair.fixer.psk(ep))


_MAIN_MODE_ID = N_("the device uses the {type} identity {value} with IKEv1 main mode, which supports IP-address "
                   "identities only")


def _id_equal(a, b) -> bool:
    if b is None or a is None:
        return True
    if "any" in (a.type, b.type):
        return True
    return a.type == b.type and (a.value or "").lower() == (b.value or "").lower()


@rule("PeerIdMismatch", "error", N_("Peer ID mismatch"),
      N_("Alibaba LocalId != device RemoteId, or Alibaba RemoteId != device LocalId (defaults: Alibaba LocalId = "
         "gateway IP, RemoteId = customer-gateway IP). IKEv1 main mode supports IP-address IDs only: an FQDN id "
         "with ikev1+main is an error."), deviations=(IKEV1_MAIN_MODE_IP_IDS,))
def peer_id(pair):
    """Mirror rule for identities, and no FQDN identities in IKEv1 main mode."""
    ali, ep = pair.ali, pair.endpoint
    if not _id_equal(ali.ike.local_id, ep.ike.remote_id):
        yield Hit(_("Alibaba presents LocalId {alibaba}, the device expects {device}").format(
                  alibaba=ali.ike.local_id, device=ep.ike.remote_id),
                  alibaba=ali.ike.src.get("local_id"), alibaba_value=ali.ike.local_id.value,
                  device=ep.ike.at("remote_id"), fix=pair.fixer.remote_id(ep, ali.ike.local_id) +
                  alibaba_alternative("IkeConfig.LocalId", [ep.ike.remote_id], render=str))
    if not _id_equal(ali.ike.remote_id, ep.ike.local_id):
        yield Hit(_("Alibaba expects RemoteId {alibaba}, the device presents {device}").format(
                  alibaba=ali.ike.remote_id, device=ep.ike.local_id),
                  alibaba=ali.ike.src.get("remote_id"), alibaba_value=ali.ike.remote_id.value,
                  device=ep.ike.at("local_id"), fix=_remote_id_fix(pair))
    # the mode actually negotiated: Alibaba initiates in its mode; a device mode that differs is
    # NegotiationModeMismatch, not an identity problem
    if (ali.ike.version == "ikev1" and ep.ike.version == "ikev1" and ali.ike.mode == "main"
            and ep.ike.mode != "aggressive"):
        for on_ali, ident, src in ((True, ali.ike.local_id, ali.ike.src.get("local_id")),
                                   (True, ali.ike.remote_id, ali.ike.src.get("remote_id")),
                                   (False, ep.ike.local_id, ep.ike.at("local_id"))):
            if ident is not None and ident.type not in ("ip", "any"):
                text = _("Alibaba uses the {type} identity {value} with IKEv1 main mode, which supports IP-address "
                         "identities only") if on_ali else _(_MAIN_MODE_ID)
                yield Hit(text.format(type=ident.type, value=ident.value), alibaba=src if on_ali else None,
                          alibaba_value=ident.value if on_ali else None, device=None if on_ali else src,
                          fix=Fix(note=_("use IP-address identities (an SM gateway takes IKEv1 main mode only)"))
                          if sm_gateway(ali) else _aggressive_fix(pair), deviation=IKEV1_MAIN_MODE_IP_IDS.name)


def _aggressive_fix(pair) -> Fix:
    """Aggressive mode on whichever side is not in it yet (never an Alibaba value it already has)."""
    ali, ep = pair.ali, pair.endpoint
    device = pair.fixer.mode(ep, "aggressive") if ep.ike.mode != "aggressive" else Fix()
    alibaba = {"IkeConfig.IkeMode": "aggressive"} if ali.ike.mode != "aggressive" else {}
    return device + Fix(alibaba=alibaba, alibaba_required=bool(alibaba),
                        note=_("use IP-address identities, or aggressive mode on both sides (the commands and the "
                               "Alibaba value)") if alibaba and device.device else
                        _("use IP-address identities, or aggressive mode on both sides"))


def _remote_id_fix(pair) -> Fix:
    """Alibaba's RemoteId set to what the device presents when Alibaba accepts that identity (an IP address or
    an FQDN), else the device's identity changed."""
    ali, ep = pair.ali, pair.endpoint
    device_fix = pair.fixer.local_id(ep, ali.ike.remote_id)
    value = alibaba_accepts("IkeConfig.RemoteId", ep.ike.local_id)
    if value is None:
        return device_fix + Fix(note=_("Alibaba's RemoteId cannot be set to the device's {identity}: change the "
                                       "device").format(identity=ep.ike.local_id))
    return device_fix + Fix(alibaba={"IkeConfig.RemoteId": value})


@rule("LifetimeMismatch", "warning", N_("SA lifetime mismatch"),
      N_("IKE or IPsec SA lifetime (seconds) differs. Different values can still negotiate, but equal values are "
         "recommended for stability across vendors."))
def lifetime(pair):
    """Equal IKE and IPsec SA lifetimes avoid rekey collisions and flaps."""
    ali, ep = pair.ali, pair.endpoint
    a = ali_ike(ali)
    matched = ike_matches(a, ep.ike.proposals, ali.ike.version) or ep.ike.proposals
    lifetimes = {p.lifetime_s for p in matched if p.lifetime_s}
    if a.lifetime_s and lifetimes and a.lifetime_s not in lifetimes:
        yield Hit(_("IKE SA lifetime: Alibaba {alibaba} s, device {device} s").format(
                  alibaba=a.lifetime_s, device=", ".join(map(str, sorted(lifetimes)))),
                  alibaba=a.src.get("lifetime_s"), alibaba_value=a.lifetime_s, device=first_src(matched, "lifetime_s"),
                  fix=pair.fixer.ike_lifetime(ep, a.lifetime_s, device=pair.device, algs=_ali_tuple(ali)[:3]) +
                  alibaba_alternative("IkeConfig.IkeLifetime", [min(lifetimes)], render=lambda v: f"{v} s"))
    if ali.ipsec.lifetime_s and ep.ipsec.lifetime_s and ali.ipsec.lifetime_s != ep.ipsec.lifetime_s:
        yield Hit(_("IPsec SA lifetime: Alibaba {alibaba} s, device {device} s").format(
                  alibaba=ali.ipsec.lifetime_s, device=ep.ipsec.lifetime_s),
                  alibaba=ali.ipsec.src.get("lifetime_s"), alibaba_value=ali.ipsec.lifetime_s,
                  device=ep.ipsec.at("lifetime_s"),
                  fix=with_device(pair.fixer.ipsec_lifetime, ep, ali.ipsec.lifetime_s, device=pair.device) +
                  alibaba_alternative("IpsecConfig.IpsecLifetime", [ep.ipsec.lifetime_s], render=lambda v: f"{v} s"))


@rule("DpdTimeout", "warning", N_("DPD on one side only"),
      N_("DPD enabled on one side only (warning); otherwise runtime-only (network)."))
def dpd_one_side(pair):
    """Dead-peer detection should be on at both ends (Alibaba EnableDpd and the device keepalive/DPD)."""
    ali, ep = pair.ali, pair.endpoint
    if ali.ike.dpd.enabled != ep.ike.dpd.enabled:
        yield Hit(_("DPD is enabled on Alibaba only: a dead tunnel is detected on one side and lingers on the other")
                  if ali.ike.dpd.enabled else
                  _("DPD is enabled on the device only: a dead tunnel is detected on one side and lingers on the "
                    "other"),
                  alibaba=ali.ike.src.get("dpd"), alibaba_value=str(ali.ike.dpd.enabled).lower(),
                  device=ep.ike.at("dpd"), fix=pair.fixer.dpd(ep, ali.ike.dpd.enabled) +
                  Fix(alibaba={"EnableDpd": str(ep.ike.dpd.enabled).lower()}))


@rule("DpdHashNotifyCompatibility", "warning", N_("DPD payload order incompatible"),
      N_("DPD enabled and the device's DPD payload order is not hash-notify (e.g. notify-hash / seq-notify-hash)."))
def dpd_order(pair):
    """Alibaba ignores DPD messages whose hash payload does not come first."""
    ali, ep = pair.ali, pair.endpoint
    if "ikev2" in (ali.ike.version, ep.ike.version):  # IKEv2 DPD is an empty INFORMATIONAL: no payload order
        return
    if ali.ike.dpd.enabled and ep.ike.dpd.enabled and ep.ike.dpd.payload_order == "notify-hash":
        yield Hit(_("the device sends DPD as notify-then-hash; Alibaba expects hash-then-notify and ignores the "
                    "messages, so DPD declares the peer dead"), device=ep.ike.at("dpd"),
                  fix=pair.fixer.dpd(ep, True) + Fix(note=_("the DPD payload order must be hash-notify")))


@rule("NatTMismatch", "warning", N_("NAT-T mismatch"),
      N_("NAT traversal enabled on one side only; device behind NAT (private local address) without NAT-T."))
def nat_t(pair):
    """NAT traversal should match; it is required when the device sits behind NAT."""
    ali, ep = pair.ali, pair.endpoint
    behind_nat = is_private(ep.local_address)
    if behind_nat and not (ali.ike.nat_traversal and ep.ike.nat_traversal):
        text = _("the device is behind NAT ({local}) but NAT-T is off on Alibaba: ESP cannot cross the NAT") \
            if not ali.ike.nat_traversal else \
            _("the device is behind NAT ({local}) but NAT-T is off on the device: ESP cannot cross the NAT")
        yield Hit(text.format(local=ep.local_address), severity="error",
                  severity_reason=N_("behind NAT, NAT-T is required, not a preference"),
                  alibaba=ali.ike.src.get("nat_traversal"),
                  alibaba_value=str(ali.ike.nat_traversal).lower(), device=ep.ike.at("nat_traversal"),
                  fix=pair.fixer.natt(ep, True) + Fix(
                      alibaba={"EnableNatTraversal": "true"}, alibaba_required=True,
                      note=_("behind NAT both sides need NAT-T: the commands and the Alibaba value")))
    elif ali.ike.nat_traversal != ep.ike.nat_traversal:
        yield Hit(_("NAT traversal is enabled on Alibaba only") if ali.ike.nat_traversal else
                  _("NAT traversal is enabled on the device only"), alibaba=ali.ike.src.get("nat_traversal"),
                  alibaba_value=str(ali.ike.nat_traversal).lower(), device=ep.ike.at("nat_traversal"),
                  fix=pair.fixer.natt(ep, ali.ike.nat_traversal))


@rule("CommitMismatch", "error", N_("Commit bit mismatch"),
      N_("Device has the IKEv1 commit bit enabled (Alibaba does not support it)."), lint=True)
def commit_bit(pair):
    """Alibaba does not support the IKEv1 commit bit (not expressible in Cisco, Huawei or H3C configurations).

    Not expressible for the supported vendors, so this rule does not fire on their exports: no Cisco IOS / IOS-XE
    / ASA configuration command sets the ISAKMP commit bit (RFC 2408 §3.1; none found in Cisco documents or real
    configs, issue 10 item 13), and the Huawei VRP and H3C Comware syntax references have none either. Where an
    implementation uses the bit it does so on its own, without configuration (IBM z/OS IKE, for one, always applies
    commit-bit logic as a responder). No parser sets the model's `commit_bit`; the rule fires when one does - a
    vendor added later whose configuration can enable the bit, or a model built by other means - and is tested on
    the model (tests/test_rules.py::test_commit_bit_model_level)."""
    ep = pair.endpoint
    if ep.ike.version == "ikev1" and ep.ike.commit_bit:
        yield Hit(_("the device sets the IKEv1 commit bit, which Alibaba does not support"),
                  device=ep.ike.at("commit_bit"), fix=_("disable the commit bit on the device"))


# --- device-only (lint) forms: the device against what Alibaba supports ---------------------------------

def _lint_phase1(t, attr: str, label: str, allowed, render=str):
    ep = t.endpoint
    have, src = unsupported_only(ep.ike.proposals, attr, allowed)
    if have:
        yield Hit(_("IKE {parameter}: the device offers only {device}; Alibaba supports {alibaba}").format(
                  parameter=_(label), device=", ".join(render(v) for v in have),
                  alibaba=", ".join(render(v) for v in allowed)), device=src,
                  fix=t.fixer.ike_proposal(ep, "aes128", "sha256", 14, 86400, device=t.device))


@lint_of("PskMismatch")
def lint_psk(t):
    """Device alone: only the placeholder can be told (a key is compared with Alibaba's, which lint has not)."""
    if placeholder := _placeholder_key(t.endpoint):
        yield Hit(_(_PLACEHOLDER_TEXT).format(placeholder=PSK_PLACEHOLDER), device=placeholder.source,
                  fix=t.fixer.psk(t.endpoint) if getattr(t, "fixer", None) else None)


@lint_of("AlgorithmMismatch")
def lint_algorithm(t):
    yield from _lint_phase1(t, "encryption", N_("encryption"), ALIBABA_ENCRYPTION)
    yield from lint_esp_value(t, "integrity", ALIBABA_INTEGRITY)


@lint_of("AuthenticationAlgorithmMismatch")
def lint_authentication(t):
    yield from _lint_phase1(t, "integrity", N_("authentication"), ALIBABA_INTEGRITY)


@lint_of("DhGroupMismatch")
def lint_dh(t):
    yield from _lint_phase1(t, "dh_groups", N_("DH group"), ALIBABA_DH_GROUPS, render=dh_name)


@lint_of("IkeVersionMismatch")
def lint_version(t):
    ep = t.endpoint
    if ep.ike.version == "any":
        yield Hit(_("the device negotiates either IKE version with this peer; Alibaba takes exactly one"),
                  severity="warning", severity_reason=N_("the device also offers the version Alibaba runs"),
                  device=ep.ike.at("version"), fix=with_device(t.fixer.version, ep, "ikev2", device=t.device))


@lint_of("PeerIdMismatch")
def lint_peer_id(t):
    ep = t.endpoint
    if ep.ike.version != "ikev1" or ep.ike.mode != "main":
        return
    for ident, src in ((ep.ike.local_id, ep.ike.at("local_id")), (ep.ike.remote_id, ep.ike.at("remote_id"))):
        if ident is not None and ident.type not in ("ip", "any"):
            yield Hit(_(_MAIN_MODE_ID).format(type=ident.type, value=ident.value), device=src,
                      fix=t.fixer.mode(ep, "aggressive") + Fix(
                          alibaba={"IkeConfig.IkeMode": "aggressive"}, alibaba_required=True,
                          note=_("use IP-address identities, or aggressive mode on both sides (the commands and the "
                                 "Alibaba value)")))


@lint_of("DpdHashNotifyCompatibility")
def lint_dpd_order(t):
    ep = t.endpoint  # Alibaba enables DPD by default, so the device's order matters unless DPD is off there
    if ep.ike.version != "ikev2" and ep.ike.dpd.enabled and ep.ike.dpd.payload_order == "notify-hash":
        yield Hit(_("the device sends DPD as notify-then-hash; Alibaba (DPD on by default) expects hash-then-notify "
                    "and ignores the messages"), device=ep.ike.at("dpd"),
                  fix=t.fixer.dpd(ep, True) + Fix(note=_("the DPD payload order must be hash-notify")))


@lint_of("NatTMismatch")
def lint_nat_t(t):
    ep = t.endpoint
    if is_private(ep.local_address) and not ep.ike.nat_traversal:
        yield Hit(_("the device is behind NAT ({local}) with NAT traversal off: ESP cannot cross the NAT").format(
                  local=ep.local_address),
                  severity="error", severity_reason=N_("behind NAT, NAT-T is required, not a preference"),
                  device=ep.ike.at("nat_traversal"), fix=t.fixer.natt(ep, True))
