"""Rules about Terraform inputs (issue 14): values known only after apply (plan) or not resolvable (HCL), and
connections a plan replaces. The checker drops every other finding on an unknown field (it would compare a
stand-in); these say "cannot verify" instead."""
from __future__ import annotations

import re

from analyzer.i18n import N_, _
from analyzer.model import AlibabaTunnel, Source
from analyzer.rules import Hit, rule
from parsers.terraform_plan import CREATE_FIRST

_RESOURCE = re.compile(r"^.*?alicloud_vpn_connection\.[^.]+\.")


def source_of(t: AlibabaTunnel, path: str) -> Source:
    """The Source the loader gave an unknown field (it holds why), else one naming the field."""
    ep = t.endpoint
    maps = [ep.src, ep.ike.src, ep.ipsec.src] + [p.src for p in ep.ike.proposals + ep.ipsec.proposals]
    for src in (s for m in maps for s in m.values()):
        if src.field == path:
            return src
    return Source(file=t.file, field=path)


def _gateway_unknown(t: AlibabaTunnel, path: str) -> bool:
    """Whether path is what would have given the tunnel's gateway address: the gateway (its id or address), or
    the LocalId that stands in for it when the input has no gateway address."""
    ep = t.endpoint
    gateway = (ep.src.get("local_address") or Source()).field
    local_id = ep.ike.src.get("local_id")
    if ep.local_address is None and gateway in t.unknown:
        return path == gateway  # said once, at the gateway
    return ep.local_address is None and local_id is not None and path == local_id.field


@rule("KnownAfterApply", "info", N_("Cannot verify until apply"),
      N_("Not in the catalog: a Terraform value that is known only after apply (plan: after_unknown) or that is "
         "not a literal (HCL: an expression other than a literal, var. or local.) is never guessed."),
      alibaba_code=None, needs_endpoint=False)
def known_after_apply(pair):
    """One finding per Terraform field whose value is not known: it was not compared (never a default).

    Every other finding that would read such a field is dropped by the checker, as it would compare a stand-in.
    When the unknown field is the tunnel's gateway address and so nothing paired, the finding is an error:
    nothing of the tunnel was compared (a plan that creates the VPN gateway is checked after apply)."""
    t = pair.tunnel
    for path in t.unknown:
        src = source_of(t, path)
        note = src.note or ""  # "not known: WHY", or "PATH (not known: WHY)" for a gateway address
        m = re.search(r"\(not known: (.*)\)$", note)
        why = note.removeprefix("not known: ") if note.startswith("not known: ") \
            else m.group(1) if m else _("not known")
        name = _RESOURCE.sub("", path)
        after = why.startswith("known after apply")
        detail = why.removeprefix("known after apply").strip() if after else f"({why})"
        text = (_("cannot verify until apply: {field}") if after else _("cannot verify: {field}")).format(field=name) \
            + (f" {detail}" if detail else "")
        if pair.endpoint is None and _gateway_unknown(t, path):
            again = _("check again once the VPN gateway exists") if after else \
                _("give the gateway address as a literal LocalId, or check the plan JSON (terraform show -json PLAN)")
            yield Hit(_("{text}; the tunnel's gateway address is not known, so it was paired with no device tunnel "
                        "and nothing of it was compared ({again})").format(text=text, again=again), alibaba=src,
                      severity="error", severity_reason=N_("nothing of this tunnel was compared"))
        else:
            yield Hit(text, alibaba=src)


@rule("PlanReplacesConnection", "info", N_("The plan replaces the connection"),
      N_("Not in the catalog: the alicloud provider replaces a connection when a ForceNew argument changes "
         "(vpn_gateway_id, customer_gateway_id, a tunnel's customer_gateway_id: "
         "resource_alicloud_vpn_connection.go)."), alibaba_code=None, needs_endpoint=False)
def plan_replaces(pair):
    """A Terraform plan that deletes and re-creates the connection: the tunnel goes down during apply."""
    t = pair.tunnel
    if t.plan_action == "replace":
        yield Hit(_("this plan replaces the connection (delete, then create): the tunnel is torn down and "
                    "renegotiates from scratch on apply, with a new connection id (and a new random Psk where none "
                    "is set)"), alibaba=Source(file=t.file, field=t.connection_name or t.connection_key))
    elif t.plan_action == CREATE_FIRST:
        yield Hit(_("this plan replaces the connection (create_before_destroy: the new one is created, then the old "
                    "one deleted): the new connection negotiates from scratch, with a new connection id (and a new "
                    "random Psk where none is set); both exist until the old one is deleted"),
                  alibaba=Source(file=t.file, field=t.connection_name or t.connection_key))
