"""Legal-form advice: a short decision path with the reason for each step.

Alone or with partners, where the investor lives (the auto-entrepreneur regime needs
residence in Morocco), the sector (banking and insurance cannot use a SARL; hoteliers
are excluded from the auto-entrepreneur list), the amount (a blocked account above the
threshold, the SA's minimum capital). Thresholds come from `knowledge/rules/legal_forms.yml`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.plan.precheck import PlanInputs
from assistant.plan.rules import Rules


@dataclass(frozen=True)
class Reason:
    """A rendered-later reason: a text key and the values it shows."""

    key: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Alternative:
    form: str
    reason: Reason


@dataclass(frozen=True)
class LegalAdvice:
    form: str
    reasons: tuple[Reason, ...]          # the decision path, in order
    alternatives: tuple[Alternative, ...]
    entry: str                            # knowledge entry with the details


def advise(inputs: PlanInputs, rules: Rules) -> LegalAdvice:
    forms = rules.forms
    sarl, sa = forms["sarl"], forms["sa"]
    blocked = sarl.amount("blocked_account_above")
    path: list[Reason] = []
    alternatives: list[Alternative] = []
    if inputs.sector in sarl.sectors("excluded_sectors"):
        path.append(Reason("banking_needs_sa"))
        return LegalAdvice("sa", tuple(path), (), sa.entry)

    together = inputs.partners in ("mre", "other")
    if together:
        path.append(Reason("partners_sarl", {"max": sarl.number("max_associates")}))
        form = "sarl"
        alternatives.append(Alternative("sa", Reason("sa_alt", {"min_shareholders": sa.number("min_shareholders"), "min_capital": sa.amount("min_capital")})))
        alternatives.append(Alternative("sas", Reason("sas_alt")))
        alternatives.append(Alternative("snc", Reason("snc_alt")))
    else:
        if inputs.partners is None:
            path.append(Reason("partners_unknown"))
        else:
            path.append(Reason("alone_sarl_au"))
        form = "sarl_au"
        alternatives.append(Alternative("sas", Reason("sas_alt")))
        ae_reason = _auto_entrepreneur(inputs, rules)
        alternatives.append(Alternative("auto_entrepreneur", ae_reason))
        if inputs.partners is None:
            alternatives.append(Alternative("sarl", Reason("partners_sarl", {"max": sarl.number("max_associates")})))
    path.append(Reason("limited_liability"))
    # the capital is not the project amount: the investor sets it; the threshold is what matters
    path.append(Reason("capital_free", {"threshold": blocked}))
    return LegalAdvice(form, tuple(path), tuple(alternatives), forms[form].entry)


def _auto_entrepreneur(inputs: PlanInputs, rules: Rules) -> Reason:
    ae = rules.forms["auto_entrepreneur"]
    caps = {"goods": ae.amount("turnover_cap_goods"), "services": ae.amount("turnover_cap_services")}
    if inputs.sector in ae.sectors("excluded_sectors"):
        return Reason("ae_excluded_sector", caps)
    if inputs.country != "MA" and ae.values.get("requires_residence"):
        return Reason("ae_residence", caps)
    return Reason("ae_possible", caps)
