"""Legal-form advice: a short decision path with the reason for each step.

Alone or with partners, where the investor lives (the auto-entrepreneur regime needs
residence in Morocco), the sector (banking and insurance cannot use a SARL; hoteliers
are excluded from the auto-entrepreneur list), the amount (a blocked account above the
threshold, the SA's minimum capital). Thresholds come from `knowledge/rules/legal_forms.yml`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from assistant.kb.sources import ordered
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
        alternatives.append(Alternative("sa", _sa_alternative(inputs, rules)))
        alternatives.append(Alternative("sas", Reason("sas_alt")))
        alternatives.append(Alternative("snc", Reason("snc_alt")))
    else:
        if inputs.partners is None:
            path.append(Reason("partners_unknown"))
        else:
            path.append(Reason("alone_sarl_au"))
        if (turnover := _turnover_vs_ceiling(inputs, rules)) is not None:
            path.append(turnover)
        form = "sarl_au"
        alternatives.append(Alternative("sas", Reason("sas_alt")))
        alternatives.append(Alternative("auto_entrepreneur", _auto_entrepreneur(inputs, rules)))
        if inputs.partners is None:
            alternatives.append(Alternative("sarl", Reason("partners_sarl", {"max": sarl.number("max_associates")})))
    path.append(Reason("limited_liability"))
    path.append(_capital(inputs, blocked))
    return LegalAdvice(form, tuple(path), tuple(alternatives), forms[form].entry)


def _capital(inputs: PlanInputs, blocked: float) -> Reason:
    """The capital is not the project amount: the investor sets it; the threshold is what matters."""
    if inputs.capital is None:
        return Reason("capital_free", {"threshold": blocked})
    key = "capital_blocked" if inputs.capital > blocked else "capital_below_threshold"
    return Reason(key, {"capital": inputs.capital, "threshold": blocked})


def _sa_alternative(inputs: PlanInputs, rules: Rules) -> Reason:
    sa = rules.forms["sa"]
    values = {"min_shareholders": sa.number("min_shareholders"), "min_capital": sa.amount("min_capital")}
    if inputs.capital is not None and inputs.capital < sa.amount("min_capital"):
        return Reason("sa_alt_capital_low", values | {"capital": inputs.capital})
    return Reason("sa_alt", values)


def _activity(inputs: PlanInputs, rules: Rules) -> str | None:
    """goods (industry, trade, crafts) or services, for the auto-entrepreneur ceilings; None if not known."""
    ae = rules.forms["auto_entrepreneur"]
    for activity in ("goods", "services"):
        if inputs.sector in ae.sectors(f"{activity}_sectors"):
            return activity
    return None


def _ceiling_source(rules: Rules) -> dict[str, Any]:
    """The ceilings' best source (official first, newest first) and whether the rule is confirmed."""
    ae = rules.forms["auto_entrepreneur"]
    return {"source": ordered(ae.sources)[0], "status": ae.status}


def _turnover_vs_ceiling(inputs: PlanInputs, rules: Rules) -> Reason | None:
    """The expected turnover against the auto-entrepreneur ceiling of the activity (with its source)."""
    ae = rules.forms["auto_entrepreneur"]
    if inputs.turnover is None or inputs.sector in ae.sectors("excluded_sectors"):
        return None  # not given, or the activity cannot use the regime at all (said in the alternatives)
    caps = {"goods": ae.amount("turnover_cap_goods"), "services": ae.amount("turnover_cap_services")}
    activity = _activity(inputs, rules)
    values: dict[str, Any] = {"turnover": inputs.turnover, **_ceiling_source(rules)}
    if activity is not None:
        key = "turnover_above_ae" if inputs.turnover > caps[activity] else "turnover_within_ae"
        return Reason(key, values | {"cap": caps[activity], "activity": activity})
    if inputs.turnover > max(caps.values()):
        return Reason("turnover_above_ae", values | {"cap": max(caps.values()), "activity": "goods"})
    if inputs.turnover <= min(caps.values()):
        return Reason("turnover_within_ae", values | {"cap": min(caps.values()), "activity": "services"})
    return Reason("turnover_between_ae", values | caps)


def _auto_entrepreneur(inputs: PlanInputs, rules: Rules) -> Reason:
    ae = rules.forms["auto_entrepreneur"]
    caps = {"goods": ae.amount("turnover_cap_goods"), "services": ae.amount("turnover_cap_services")}
    if inputs.sector in ae.sectors("excluded_sectors"):
        return Reason("ae_excluded_sector", caps)
    turnover = _turnover_vs_ceiling(inputs, rules)
    if turnover is not None and turnover.key == "turnover_above_ae":
        return Reason("ae_above_ceiling", caps)
    if inputs.country != "MA" and ae.values.get("requires_residence"):
        return Reason("ae_residence", caps)
    return Reason("ae_possible", caps)
