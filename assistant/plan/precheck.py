"""Financing pre-check: pure functions over the investor's figures and the rules data.

Each programme is checked condition by condition; a condition is `met`, `not_met` or
`to_confirm` (unknown input, or a rule the sources do not confirm). Amounts are computed
only from the investor's figures and the rules' numbers, and are always *indicative*:
`changes` says what would change the result. No number here comes from code.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Final, Literal

from assistant.plan.rules import Rule, Rules

Status = Literal["met", "not_met", "to_confirm"]
Verdict = Literal["eligible", "not_eligible", "to_confirm"]

MET: Final = "met"
NOT_MET: Final = "not_met"
TO_CONFIRM: Final = "to_confirm"


@dataclass(frozen=True)
class PlanInputs:
    """What the form collected. None = not given / "je ne sais pas"."""

    country: str | None = None        # ISO code of the country of residence ("MA" = lives in Morocco)
    region: str | None = None         # region slug of the project city
    sector: str | None = None         # sector key (knowledge/rules/sectors.yml)
    partners: str | None = None       # alone | mre | other (non-MRE co-investors) | None
    mre_stake: float | None = None    # percent of the project held by MRE when partners are not MRE
    amount: float | None = None       # total project amount, MAD
    fx_share: float | None = None     # percent of the project brought in foreign currency
    stage: str | None = None          # idea | creation | extension
    turnover: float | None = None     # expected yearly turnover, MAD
    capital: float | None = None      # share capital in the statutes, MAD
    jobs: float | None = None         # stable jobs the project should create


@dataclass(frozen=True)
class Condition:
    key: str
    status: Status
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class ProgrammeCheck:
    key: str
    rule: Rule
    verdict: Verdict
    conditions: tuple[Condition, ...]
    amounts: dict[str, float] = field(default_factory=dict)
    changes: tuple[str, ...] = ()

    @property
    def indicative(self) -> bool:
        return True


def verdict_of(conditions: tuple[Condition, ...], rule: Rule) -> Verdict:
    """Not eligible if one condition fails; eligible only if all are met and the rule is confirmed."""
    if any(c.status == NOT_MET for c in conditions):
        return "not_eligible"
    if all(c.status == MET for c in conditions) and rule.confirmed:
        return "eligible"
    return "to_confirm"


def _at_least(value: float | None, floor: float) -> Status:
    if value is None:
        return TO_CONFIRM
    return MET if value >= floor else NOT_MET


def _sector(inputs: PlanInputs, rule: Rule) -> Condition:
    allowed, excluded = rule.sectors("sectors"), rule.sectors("excluded_sectors")
    if inputs.sector is None or inputs.sector == "other":  # unknown, or a sector we cannot classify
        status: Status = TO_CONFIRM
    elif inputs.sector in excluded:
        status = NOT_MET
    elif allowed:
        status = MET if inputs.sector in allowed else NOT_MET
    else:
        status = MET
    return Condition("sector", status, {"sector": inputs.sector, "sectors": sorted(allowed), "excluded": sorted(excluded)})


def _beneficiary(inputs: PlanInputs) -> Condition:
    if inputs.country is None:
        return Condition("mre", TO_CONFIRM)
    if inputs.country == "MA":  # back in Morocco: eligible only if back for good within the year
        return Condition("returned_within", TO_CONFIRM)
    return Condition("mre", MET)


def mre_share(inputs: PlanInputs) -> float | None:
    """Percent of the project held by MRE: all of it alone or with MRE partners."""
    if inputs.partners in ("alone", "mre"):
        return 100.0
    if inputs.partners == "other":
        return inputs.mre_stake
    return None


def check_mdm_classic(inputs: PlanInputs, rule: Rule) -> ProgrammeCheck:
    min_project, min_fx = rule.amount("min_project"), rule.percent("min_fx_share")
    conditions = (
        _beneficiary(inputs),
        Condition("min_project", _at_least(inputs.amount, min_project), {"min": min_project}),
        _sector(inputs, rule),
        Condition("fx_share", _at_least(inputs.fx_share, min_fx), {"min": min_fx, "share": inputs.fx_share}),
    )
    amounts: dict[str, float] = {}
    changes: list[str] = []
    share = mre_share(inputs)
    if inputs.amount is not None and share is not None and not any(c.status == NOT_MET for c in conditions):
        base = inputs.amount * share / 100
        grant = base * rule.percent("grant_rate") / 100
        cap = rule.amount("grant_cap")
        amounts = {"grant_base": round(base, 2), "grant": round(min(grant, cap), 2), "grant_rate": rule.percent("grant_rate")}
        if grant >= cap:
            amounts["grant_cap"] = cap
            changes.append("grant_capped")
        if inputs.fx_share is not None:
            amounts["fx_minimum"] = round(inputs.amount * min_fx / 100, 2)
    elif share is None and inputs.partners == "other":
        changes.append("mre_stake_unknown")
    if inputs.partners == "other":
        changes.append("grant_on_mre_share")
    changes += ["grant_basis_conflict", "clawback", "newer_version"]
    return ProgrammeCheck("mdm_invest_classic", rule, verdict_of(conditions, rule), conditions, amounts, tuple(changes))


def check_mdm_2024(inputs: PlanInputs, rule: Rule) -> ProgrammeCheck:
    """The Department's 19 July 2024 version: only its sectors are stated; the rest is to confirm."""
    conditions = (
        _beneficiary(inputs),
        _sector(inputs, rule),
        Condition("terms_unknown", TO_CONFIRM),
    )
    return ProgrammeCheck("mdm_invest_2024", rule, verdict_of(conditions, rule), conditions, {}, ("launch_unconfirmed",))


def _need(inputs: PlanInputs) -> float | None:
    """What remains to finance after the contribution in foreign currency (when both are known)."""
    if inputs.amount is None or inputs.fx_share is None:
        return None
    return inputs.amount * (1 - inputs.fx_share / 100)


def _young_company(inputs: PlanInputs, max_age: float) -> Condition:
    if inputs.stage in ("idea", "creation"):
        return Condition("new_company", MET, {"max_age": max_age})
    return Condition("company_age", TO_CONFIRM, {"max_age": max_age})


def check_intelaka(inputs: PlanInputs, rule: Rule) -> ProgrammeCheck:
    max_loan = rule.amount("max_loan")
    conditions: tuple[Condition, ...] = (
        _sector(inputs, rule),
        _young_company(inputs, rule.number("company_max_age")),
        Condition("residence", TO_CONFIRM if inputs.country != "MA" else MET),
    )
    if inputs.stage == "extension":  # an existing company: its turnover must stay under the ceiling
        ceiling = rule.amount("turnover_max")
        below: Status = TO_CONFIRM if inputs.turnover is None else (MET if inputs.turnover < ceiling else NOT_MET)
        conditions += (Condition("turnover_max", below, {"max": ceiling, "turnover": inputs.turnover}),)
    amounts: dict[str, float] = {"max_loan": max_loan, "rate_urban": rule.percent("rate_urban"), "rate_rural": rule.percent("rate_rural")}
    need = _need(inputs)
    changes = ["bank_decides"]
    if need is not None and verdict_of(conditions, rule) != "not_eligible":
        amounts["loan"] = round(max(0.0, min(need, max_loan)), 2)
        if need > max_loan:
            changes.append("need_above_ceiling")
    return ProgrammeCheck("intelaka", rule, verdict_of(conditions, rule), conditions, amounts, tuple(changes))


def check_forsa(inputs: PlanInputs, rule: Rule) -> ProgrammeCheck:
    max_loan = rule.amount("max_loan")
    conditions = (
        _young_company(inputs, rule.number("company_max_age")),
        Condition("edition", TO_CONFIRM, {"year": rule.values.get("edition_year", {}).get("year")}),
    )
    amounts: dict[str, float] = {"max_loan": max_loan, "grant": rule.amount("grant")}
    need = _need(inputs)
    if need is not None and verdict_of(conditions, rule) != "not_eligible":
        amounts["loan"] = round(max(0.0, min(need, max_loan)), 2)
    return ProgrammeCheck("forsa", rule, verdict_of(conditions, rule), conditions, amounts, ("later_editions",))


def _jobs(inputs: PlanInputs, rule: Rule) -> Status:
    """The jobs route: at least `jobs_alt` whatever the amount, or `jobs_min` with the amount floor."""
    if inputs.jobs is None:
        return TO_CONFIRM
    return MET if inputs.jobs >= rule.number("jobs_min") else NOT_MET


def check_charter_main(inputs: PlanInputs, rule: Rule) -> ProgrammeCheck:
    floor = rule.amount("min_investment")
    size = _at_least(inputs.amount, floor)
    jobs = _jobs(inputs, rule)
    jobs_route = inputs.jobs is not None and inputs.jobs >= rule.number("jobs_alt")
    conditions = (
        Condition("min_investment", size, {"min": floor}),
        Condition("jobs_given" if inputs.jobs is not None else "jobs", jobs,
                  {"min": rule.number("jobs_min"), "alt": rule.number("jobs_alt"), "jobs": inputs.jobs}),
        _sector(inputs, rule),
    )
    amounts: dict[str, float] = {"prime_cap": rule.percent("prime_cap")}
    if (size == MET or jobs_route) and inputs.amount is not None:
        amounts["prime_max"] = round(inputs.amount * rule.percent("prime_cap") / 100, 2)
    changes = ("jobs_route",) if size == NOT_MET and not jobs_route else ()
    if jobs_route:  # enough jobs: the amount floor does not apply
        verdict = verdict_of(tuple(c for c in conditions if c.key != "min_investment"), rule)
    elif inputs.jobs is not None:
        verdict = verdict_of(conditions, rule)
    else:
        # jobs not given: below the floor the 150-jobs route stays open, so "to confirm", not "no"
        verdict = verdict_of(tuple(c for c in conditions if c.key != "min_investment"), rule)
        if size == NOT_MET and verdict != "not_eligible":
            verdict = "to_confirm"
    return ProgrammeCheck("charter_main", rule, verdict, conditions, amounts, changes)


def check_charter_tpme(inputs: PlanInputs, rule: Rule) -> ProgrammeCheck:
    low, high = rule.amount("min_investment"), rule.amount("max_investment")
    if inputs.amount is None:
        band: Status = TO_CONFIRM
    else:
        band = MET if low <= inputs.amount <= high else NOT_MET
    equity = _at_least(inputs.fx_share, rule.percent("min_equity")) if inputs.fx_share is not None else TO_CONFIRM
    conditions = (
        Condition("investment_band", band, {"min": low, "max": high}),
        Condition("equity", MET if equity == MET else TO_CONFIRM, {"min": rule.percent("min_equity")}),
        Condition("launch", TO_CONFIRM, {"year": rule.values.get("launch_year", {}).get("year")}),
    )
    return ProgrammeCheck("charter_tpme", rule, verdict_of(conditions, rule), conditions, {"prime_cap": rule.percent("prime_cap")}, ("scheme_unconfirmed",))


CHECKS: Final[dict[str, Callable[[PlanInputs, Rule], ProgrammeCheck]]] = {
    "mdm_invest_classic": check_mdm_classic,
    "mdm_invest_2024": check_mdm_2024,
    "intelaka": check_intelaka,
    "forsa": check_forsa,
    "charter_main": check_charter_main,
    "charter_tpme": check_charter_tpme,
}


def precheck(inputs: PlanInputs, rules: Rules) -> list[ProgrammeCheck]:
    """Every programme of the rules file that has a check, in file order."""
    return [CHECKS[key](inputs, rule) for key, rule in rules.programmes.items() if key in CHECKS]
