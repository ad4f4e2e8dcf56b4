"""Algorithm forms that negotiate but do not interoperate on the wire (Alibaba code AlgorithmCompatibility)."""
from __future__ import annotations

from analyzer.findings import Fix
from analyzer.i18n import N_, _
from analyzer.rules import Hit, lint_of, rule
from analyzer.rules.common import ali_esp

_SHA2 = {"sha256", "sha384", "sha512"}

# AR spelling; the USG's is `ipsec sha2 compatible enable` (the model does not say which platform a tunnel is on)
_FIX_NOTE = N_("system view, AR routers; on a USG firewall the command is `ipsec sha2 compatible enable`. It makes "
               "HMAC-SHA-2 follow RFC 4868. Or use SHA-1 on both sides (IpsecConfig.IpsecAuthAlg = sha1 and "
               "`esp authentication-algorithm sha1`)")


def _fix() -> Fix:
    return Fix(device=["ipsec authentication sha2 compatible enable"], note=_(_FIX_NOTE))


def _why(src) -> str:
    """Short: the device reference carries the default's full citation."""
    if src is None or not src.defaulted:
        return ""
    return _(" (no `sha2 compatible enable` line: the Huawei default; how many releases it covers is not verified"
             " in a vendor document)")


@rule("AlgorithmCompatibility", "error", N_("Algorithm implementation incompatible"),
      N_("Both sides agree on an algorithm whose implementations differ: negotiation succeeds, then traffic fails."))
def sha2_truncation(pair):
    """ESP/AH HMAC-SHA-2 must use the RFC 4868 form on both sides.

    Alibaba follows RFC 4868 (HMAC-SHA-256 ICV of 128 bits). A Huawei device without `ipsec authentication sha2
    compatible enable` uses its own SHA-2 form: the SA negotiates, then the first ESP packet fails its integrity
    check. Only parsers that know the vendor's form set it; on other devices the rule never fires."""
    ali, ep = pair.ali, pair.endpoint
    want = ali_esp(ali).integrity[0]
    if want in _SHA2 and ep.ipsec.sha2_rfc4868 is False and any(want in p.integrity for p in ep.ipsec.proposals):
        src = ep.ipsec.at("sha2_rfc4868")
        yield Hit(_("ESP integrity {algorithm}: the device does not use the RFC 4868 HMAC-SHA-2 form that Alibaba "
                    "uses{why}; IKE and the IPsec SA negotiate, then every ESP packet fails authentication").format(
                      algorithm=want, why=_why(src)),
                  alibaba=ali_esp(ali).src.get("integrity"), alibaba_value=want, device=src, fix=_fix())


@lint_of("AlgorithmCompatibility")
def lint_sha2_truncation(t):
    ep = t.endpoint
    used = sorted({i for p in ep.ipsec.proposals for i in p.integrity if i in _SHA2})
    if used and ep.ipsec.sha2_rfc4868 is False:
        src = ep.ipsec.at("sha2_rfc4868")
        yield Hit(_("ESP integrity {algorithms}: the device does not use the RFC 4868 HMAC-SHA-2 form that Alibaba "
                    "uses{why}; the SA negotiates, then ESP packets fail authentication").format(
                      algorithms=", ".join(used), why=_why(src)),
                  device=src, fix=_fix())
