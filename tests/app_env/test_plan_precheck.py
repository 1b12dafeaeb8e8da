"""Financing pre-check, legal-form advice and amount parsing: tables from the fact sheet.

Figures (1 MDH minimum, 25 % in foreign currency, 10 % grant capped at 5 MDH, Intelaka's
1.2 MDH, Forsa's 100 000 MAD, the charter's 50 MDH) come from shared/domain-facts.md §5
through knowledge/rules/financing.yml; these tests read the same file, so a change of rule
is a change of data, and the boundary cases below say what the data must produce.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from assistant.plan.amounts import parse_amount, parse_count, parse_share
from assistant.plan.legal_form import advise
from assistant.plan.precheck import PlanInputs, ProgrammeCheck, precheck
from assistant.plan.rules import RulesError, load_rules, parse_rules

ROOT = Path(__file__).resolve().parents[2]
RULES = load_rules(ROOT / "knowledge" / "rules")


def checks(**kw: Any) -> dict[str, ProgrammeCheck]:
    return {c.key: c for c in precheck(PlanInputs(**kw), RULES)}


def cond(check: ProgrammeCheck, key: str) -> str:
    return next(c.status for c in check.conditions if c.key == key)


BASE = dict(country="BE", region="tanger_tetouan_al_hoceima", sector="hotels", partners="alone", stage="idea")


# ------------------------------------------------------------------------- MDM Invest classic
@pytest.mark.parametrize(
    ("amount", "fx", "partners", "stake", "sector", "min_project", "fx_ok", "sector_ok", "grant"),
    [
        # exactly 1 MDH: the minimum is met (">= 1 MDH")
        (1_000_000, 25, "alone", None, "hotels", "met", "met", "met", 100_000),
        (999_999, 30, "alone", None, "hotels", "not_met", "met", "met", None),
        # 24.9 % in foreign currency: below the 25 % floor
        (2_000_000, 24.9, "alone", None, "hotels", "met", "not_met", "met", None),
        (2_000_000, 25, "alone", None, "hotels", "met", "met", "met", 200_000),
        # the grant cap: 10 % of 60 MDH is 6 MDH, capped at 5 MDH
        (60_000_000, 30, "alone", None, "health", "met", "met", "met", 5_000_000),
        (50_000_000, 30, "alone", None, "health", "met", "met", "met", 5_000_000),
        # a co-investor who is not MRE: the grant is on the MRE's share only
        (2_000_000, 30, "other", 50, "industry", "met", "met", "met", 100_000),
        (2_000_000, 30, "mre", None, "industry", "met", "met", "met", 200_000),
        # excluded sector
        (3_000_000, 40, "alone", None, "real_estate", "met", "met", "not_met", None),
        # digital is not a classic sector (it is in the 2024 version)
        (3_000_000, 40, "alone", None, "digital", "met", "met", "not_met", None),
    ],
)
def test_mdm_invest_classic(amount: float, fx: float, partners: str, stake: float | None, sector: str, min_project: str,
                            fx_ok: str, sector_ok: str, grant: float | None) -> None:
    c = checks(**{**BASE, "amount": amount, "fx_share": fx, "partners": partners, "mre_stake": stake, "sector": sector})["mdm_invest_classic"]
    assert cond(c, "min_project") == min_project
    assert cond(c, "fx_share") == fx_ok
    assert cond(c, "sector") == sector_ok
    assert c.amounts.get("grant") == grant
    # never "eligible" outright: the classic terms are to confirm (a newer version is announced)
    assert c.verdict == ("not_eligible" if "not_met" in (min_project, fx_ok, sector_ok) else "to_confirm")
    assert "newer_version" in c.changes


def test_grant_cap_is_flagged_as_what_changes_the_result() -> None:
    c = checks(**{**BASE, "amount": 60_000_000, "fx_share": 30, "sector": "health"})["mdm_invest_classic"]
    assert c.amounts["grant_cap"] == 5_000_000 and "grant_capped" in c.changes


def test_non_mre_partner_with_unknown_stake_gives_no_grant_figure() -> None:
    c = checks(**{**BASE, "amount": 2_000_000, "fx_share": 30, "partners": "other", "mre_stake": None})["mdm_invest_classic"]
    assert "grant" not in c.amounts and "mre_stake_unknown" in c.changes


def test_resident_in_morocco_must_confirm_the_return_date() -> None:
    c = checks(**{**BASE, "country": "MA", "amount": 2_000_000, "fx_share": 30})["mdm_invest_classic"]
    assert cond(c, "returned_within") == "to_confirm"


def test_unknown_answers_are_to_confirm_not_failures() -> None:
    c = checks(country=None, sector=None, amount=None, fx_share=None)["mdm_invest_classic"]
    assert {x.status for x in c.conditions} == {"to_confirm"}
    assert c.verdict == "to_confirm" and not c.amounts


# ------------------------------------------------------------------------- MDM Invest 2024
@pytest.mark.parametrize(
    ("sector", "classic", "v2024"),
    [
        ("digital", "not_met", "met"),
        ("tourism", "not_met", "met"),
        ("education", "met", "met"),
        ("hotels", "met", "met"),
        ("real_estate", "not_met", "not_met"),
        ("commerce", "not_met", "not_met"),
    ],
)
def test_both_mdm_versions_where_they_differ(sector: str, classic: str, v2024: str) -> None:
    c = checks(**{**BASE, "amount": 2_000_000, "fx_share": 30, "sector": sector})
    assert cond(c["mdm_invest_classic"], "sector") == classic
    assert cond(c["mdm_invest_2024"], "sector") == v2024
    # the 2024 version's terms are not stated: no amount, never "eligible"
    assert c["mdm_invest_2024"].amounts == {}
    assert c["mdm_invest_2024"].verdict in ("to_confirm", "not_eligible")
    assert cond(c["mdm_invest_2024"], "terms_unknown") == "to_confirm"


# ------------------------------------------------------------------------- other programmes
@pytest.mark.parametrize(
    ("amount", "fx", "sector", "loan", "verdict"),
    [
        (600_000, 50, "hotels", 300_000, "to_confirm"),
        (5_000_000, 20, "industry", 1_200_000, "to_confirm"),  # need 4 MDH, ceiling 1.2 MDH
        (600_000, 100, "hotels", 0, "to_confirm"),
        (600_000, 50, "real_estate", None, "not_eligible"),
    ],
)
def test_intelaka(amount: float, fx: float, sector: str, loan: float | None, verdict: str) -> None:
    c = checks(**{**BASE, "amount": amount, "fx_share": fx, "sector": sector})["intelaka"]
    assert c.amounts.get("loan") == loan
    assert c.verdict == verdict
    assert c.amounts["max_loan"] == 1_200_000


@pytest.mark.parametrize(("amount", "fx", "stage", "loan"), [(600_000, 50, "idea", 100_000), (150_000, 50, "creation", 75_000), (600_000, 50, "extension", 100_000)])
def test_forsa(amount: float, fx: float, stage: str, loan: float) -> None:
    c = checks(**{**BASE, "amount": amount, "fx_share": fx, "stage": stage})["forsa"]
    assert c.amounts["loan"] == loan and c.amounts["grant"] == 10_000
    assert c.verdict == "to_confirm"  # later editions are unconfirmed
    assert cond(c, "new_company" if stage != "extension" else "company_age") == ("met" if stage != "extension" else "to_confirm")


@pytest.mark.parametrize(
    ("amount", "size", "prime_max", "sector"),
    [(50_000_000, "met", 15_000_000, "industry"), (49_999_999, "not_met", None, "industry"), (80_000_000, "met", 24_000_000, "agriculture")],
)
def test_charter_main_threshold(amount: float, size: str, prime_max: float | None, sector: str) -> None:
    c = checks(**{**BASE, "amount": amount, "fx_share": 30, "sector": sector})["charter_main"]
    assert cond(c, "min_investment") == size
    assert c.amounts.get("prime_max") == prime_max
    assert cond(c, "jobs") == "to_confirm"
    assert c.verdict == ("not_eligible" if sector == "agriculture" else "to_confirm")


@pytest.mark.parametrize(("amount", "band"), [(1_000_000, "met"), (50_000_000, "met"), (999_000, "not_met"), (50_000_001, "not_met")])
def test_charter_tpme_band(amount: float, band: str) -> None:
    c = checks(**{**BASE, "amount": amount, "fx_share": 30})["charter_tpme"]
    assert cond(c, "investment_band") == band
    assert cond(c, "launch") == "to_confirm"


@pytest.mark.parametrize(
    ("amount", "jobs", "jobs_status", "verdict", "prime_max"),
    [
        # >= 50 MDH with 50-149 stable jobs, or >= 150 jobs whatever the amount (shared/domain-facts.md §5.5)
        (50_000_000, 50, "met", "eligible", 15_000_000),
        (50_000_000, 49, "not_met", "not_eligible", 15_000_000),
        (49_999_999, 149, "met", "not_eligible", None),
        (2_000_000, 150, "met", "eligible", 600_000),
        (None, 150, "met", "eligible", None),
        (60_000_000, None, "to_confirm", "to_confirm", 18_000_000),
    ],
)
def test_charter_main_jobs_routes(amount: float | None, jobs: float | None, jobs_status: str, verdict: str,
                                  prime_max: float | None) -> None:
    c = checks(**{**BASE, "amount": amount, "fx_share": 30, "sector": "industry", "jobs": jobs})["charter_main"]
    assert cond(c, "jobs" if jobs is None else "jobs_given") == jobs_status
    assert c.verdict == verdict
    assert c.amounts.get("prime_max") == prime_max


@pytest.mark.parametrize(
    ("stage", "turnover", "status"),
    [("extension", 9_999_999, "met"), ("extension", 10_000_000, "not_met"), ("extension", None, "to_confirm"), ("idea", 20_000_000, None)],
)
def test_intelaka_turnover_ceiling_for_an_existing_company(stage: str, turnover: float | None, status: str | None) -> None:
    c = checks(**{**BASE, "sector": "commerce", "stage": stage, "turnover": turnover})["intelaka"]
    assert next((x.status for x in c.conditions if x.key == "turnover_max"), None) == status
    if status == "not_met":
        assert c.verdict == "not_eligible"


# ------------------------------------------------------------------------- legal form
@pytest.mark.parametrize(
    ("inputs", "form", "first_reason", "alternatives"),
    [
        (dict(partners="alone", country="BE", amount=600_000, sector="hotels"), "sarl_au", "alone_sarl_au", {"sas", "auto_entrepreneur"}),
        (dict(partners="mre", country="BE", amount=600_000, sector="hotels"), "sarl", "partners_sarl", {"sa", "sas", "snc"}),
        (dict(partners="other", country="FR", amount=50_000, sector="commerce"), "sarl", "partners_sarl", {"sa", "sas", "snc"}),
        (dict(partners=None, country="FR", amount=None, sector=None), "sarl_au", "partners_unknown", {"sas", "auto_entrepreneur", "sarl"}),
        (dict(partners="alone", country="MA", amount=80_000, sector="banking"), "sa", "banking_needs_sa", set()),
    ],
)
def test_legal_form_path(inputs: dict[str, Any], form: str, first_reason: str, alternatives: set[str]) -> None:
    advice = advise(PlanInputs(**inputs), RULES)
    assert advice.form == form
    assert advice.reasons[0].key == first_reason
    assert {a.form for a in advice.alternatives} == alternatives


@pytest.mark.parametrize(
    ("country", "sector", "amount", "ae_reason", "capital_reason"),
    [
        ("BE", "commerce", 600_000, "ae_residence", "capital_free"),
        ("MA", "commerce", 100_000, "ae_possible", "capital_free"),
        ("MA", "hotels", 100_001, "ae_excluded_sector", "capital_free"),
    ],
)
def test_auto_entrepreneur_and_capital_reasons(country: str, sector: str, amount: float, ae_reason: str,
                                               capital_reason: str) -> None:
    advice = advise(PlanInputs(partners="alone", country=country, sector=sector, amount=amount), RULES)
    ae = next(a for a in advice.alternatives if a.form == "auto_entrepreneur")
    assert ae.reason.key == ae_reason and ae.reason.values == {"goods": 500_000, "services": 200_000}
    assert advice.reasons[-1].key == capital_reason


@pytest.mark.parametrize(
    ("sector", "turnover", "reason", "cap", "ae_alternative"),
    [
        # the auto-entrepreneur ceilings: 500 000 MAD (industry, trade, crafts), 200 000 MAD (services)
        ("commerce", 500_000, "turnover_within_ae", 500_000, "ae_residence"),
        ("commerce", 500_001, "turnover_above_ae", 500_000, "ae_above_ceiling"),
        ("digital", 200_000, "turnover_within_ae", 200_000, "ae_residence"),
        ("digital", 200_001, "turnover_above_ae", 200_000, "ae_above_ceiling"),
        ("restaurant", 300_000, "turnover_between_ae", None, "ae_residence"),  # neither list: both ceilings shown
        ("restaurant", 600_000, "turnover_above_ae", 500_000, "ae_above_ceiling"),
        ("hotels", 100_000, None, None, "ae_excluded_sector"),  # excluded activity: no ceiling to compare with
        ("commerce", None, None, None, "ae_residence"),
    ],
)
def test_turnover_against_the_auto_entrepreneur_ceilings(sector: str, turnover: float | None, reason: str | None,
                                                         cap: float | None, ae_alternative: str) -> None:
    advice = advise(PlanInputs(partners="alone", country="BE", sector=sector, turnover=turnover), RULES)
    shown = [r for r in advice.reasons if r.key.startswith("turnover_")]
    assert [r.key for r in shown] == ([reason] if reason else [])
    if shown and cap:
        assert shown[0].values["cap"] == cap
    if shown:  # the ceilings' source and status are said with them
        assert shown[0].values["status"] == "to_confirm" and shown[0].values["source"].date is not None
    assert next(a for a in advice.alternatives if a.form == "auto_entrepreneur").reason.key == ae_alternative


@pytest.mark.parametrize(
    ("partners", "capital", "capital_reason", "sa_reason"),
    [
        ("mre", 100_000, "capital_below_threshold", "sa_alt_capital_low"),
        ("mre", 100_001, "capital_blocked", "sa_alt_capital_low"),
        ("mre", 300_000, "capital_blocked", "sa_alt"),
        ("mre", None, "capital_free", "sa_alt"),
        ("alone", 50_000, "capital_below_threshold", None),
    ],
)
def test_capital_against_the_blocked_account_and_the_sa_minimum(partners: str, capital: float | None, capital_reason: str,
                                                                sa_reason: str | None) -> None:
    advice = advise(PlanInputs(partners=partners, country="FR", sector="commerce", capital=capital), RULES)
    assert advice.reasons[-1].key == capital_reason
    sa = next((a for a in advice.alternatives if a.form == "sa"), None)
    assert (sa.reason.key if sa else None) == sa_reason


# ------------------------------------------------------------------------- amounts
@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("600k", 600_000), ("600K DH", 600_000), ("600 000 DH", 600_000), ("600 000 dhs", 600_000),
        ("600.000", 600_000), ("600,000 MAD", 600_000), ("600000", 600_000), ("1,2 million", 1_200_000),
        ("1.2M", 1_200_000), ("1,5 MDH", 1_500_000), ("2 millions de dirhams", 2_000_000),
        ("٦٠٠ ألف", 600_000), ("600 ألف درهم", 600_000), ("٦٠٠٠٠٠ درهم", 600_000), ("مليون درهم", 1_000_000),
        ("60 mlyoun santim", 600_000), ("60 مليون سنتيم", 600_000), ("50 melyoun", 50_000_000),
        ("100 alf dirham", 100_000), ("un million", 1_000_000), ("nos mlyoun", 500_000),
        ("around 750,000 dirhams", 750_000), ("j'ai environ 1 200 000 dh", 1_200_000), ("3 milliards", 3_000_000_000),
        ("I have 600k saved", 600_000),
        # Arabizi: digits inside words are letters (3 = ع, 7 = ح), only numbers with their unit count
        ("3ndi 200 mlyoun santim", 2_000_000), ("3ndi 600k", 600_000), ("bghit n7el b 2 mlyoun dh", 2_000_000),
        ("3ndi 300 alf f l3am", 300_000), ("2mdh", 2_000_000), ("600000dh", 600_000),
    ],
)
def test_amounts_people_write(text: str, value: float) -> None:
    parsed = parse_amount(text)
    assert parsed.ok, (text, parsed)
    assert parsed.value == value


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("-5000", "negative"), ("moins 200000", "negative"), ("0", "absurd"), ("12", "absurd"),
        ("999999999999999", "absurd"), ("60000 euros", "currency"), ("50k €", "currency"),
        ("beaucoup", "unreadable"), ("", "unreadable"), ("شحال", "unreadable"),
    ],
)
def test_bad_amounts_are_asked_again(text: str, problem: str) -> None:
    parsed = parse_amount(text)
    assert not parsed.ok and parsed.problem == problem


@pytest.mark.parametrize(
    ("text", "total", "share"),
    [
        ("25 %", None, 25), ("24,9%", None, 24.9), ("tout", 600_000, 100), ("kolchi", 600_000, 100),
        ("la moitié", 600_000, 50), ("300k", 600_000, 50), ("150 000 DH", 600_000, 25), ("rien", 600_000, 0),
        ("النصف", 600_000, 50), ("all of it", 1_000_000, 100), ("30 فالمية", None, 30),
    ],
)
def test_foreign_currency_share(text: str, total: float | None, share: float) -> None:
    parsed = parse_share(text, total)
    assert parsed.ok, (text, parsed)
    assert parsed.value == share


@pytest.mark.parametrize(("text", "total"), [("150 %", None), ("900k", 600_000), ("-10 %", None)])
def test_bad_shares(text: str, total: float | None) -> None:
    assert not parse_share(text, total).ok


@pytest.mark.parametrize(
    ("text", "value", "problem"),
    [("5", 5, None), ("12 emplois", 12, None), ("٥", 5, None), ("4 khdama", 4, None), ("walou", 0, None), ("aucun", 0, None),
     ("-3", None, "negative"), ("une dizaine", None, "unreadable"), ("2,5", None, "unreadable"), ("10 000 000 000", None, "absurd")],
)
def test_counts_people_write(text: str, value: int | None, problem: str | None) -> None:
    parsed = parse_count(text)
    assert (parsed.value, parsed.problem) == (value, problem)


# ------------------------------------------------------------------------- rules data
def test_every_rule_has_sources_and_a_status() -> None:
    for rule in [*RULES.programmes.values(), *RULES.forms.values()]:
        assert rule.sources and rule.status in ("confirmed", "to_confirm")


def test_rules_file_errors_name_the_key() -> None:
    with pytest.raises(RulesError, match=r"programmes\.x"):
        parse_rules({"financing.yml": {"reviewed_on": "2026-12-02", "programmes": {"x": {"entry": "e", "status": "confirmed"}}},
                     "legal_forms.yml": {"reviewed_on": "2026-12-02", "forms": {}}, "sectors.yml": {"sectors": {}}})


RULES_FILES: dict[str, Any] = {
    "financing.yml": {"reviewed_on": "2026-12-02", "programmes": {"x": {"entry": "e", "status": "to_confirm", "sources": []}}},
    "legal_forms.yml": {"reviewed_on": "2026-11-30", "forms": {"y": {"entry": "e", "status": "to_confirm", "sources": [{"title": "T", "url": "https://a.ma/x", "kind": "press", "date": "2024-07-19"}]}}},
    "sectors.yml": {"sectors": {}},
}


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ({"title": "T", "url": "https://a.ma/x", "kind": "press", "date": "Nov 2021"}, r"programmes\.x: sources\[0\]\.date"),
        ({"title": "T", "url": "https://a.ma/x", "kind": "blog", "date": "2021-11"}, r"sources\[0\]\.kind"),
        ({"title": "T", "url": "https://a.ma/x", "date": "2021-11"}, r"sources\[0\]\.kind"),
        ({"title": "T", "url": "a.ma", "kind": "press", "date": "2021"}, r"sources\[0\]\.url"),
        ({"title": "T", "url": "https://a.ma/x", "kind": "press", "date": "2999-01-01"}, r"future"),
    ],
)
def test_rule_sources_are_validated_like_knowledge_sources(source: dict[str, str], message: str) -> None:
    files = {**RULES_FILES, "financing.yml": {"reviewed_on": "2026-12-02", "programmes": {"x": {"entry": "e", "status": "to_confirm", "sources": [source]}}}}
    with pytest.raises(RulesError, match=message):
        parse_rules(files)


def test_a_confirmed_rule_needs_an_official_or_law_source() -> None:
    secondary = {"title": "T", "url": "https://a.ma/x", "kind": "secondary", "date": "undated"}
    files: dict[str, Any] = {**RULES_FILES, "financing.yml": {"reviewed_on": "2026-12-02", "programmes": {"x": {"entry": "e", "status": "confirmed", "sources": [secondary]}}}}
    with pytest.raises(RulesError, match=r"programmes\.x: status confirmed needs"):
        parse_rules(files)
    files["financing.yml"]["programmes"]["x"]["status"] = "to_confirm"
    rule = parse_rules(files).programmes["x"]
    assert rule.sources[0].kind == "secondary" and rule.sources[0].date is None and rule.sources[0].precision == "undated"


def test_the_rules_review_date_has_the_entries_name() -> None:
    """`reviewed_on` in the rules as in the entries; the old `verified_on` is refused by name."""
    import datetime as dt

    assert RULES.reviewed_on >= dt.date(2026, 11, 1)
    secondary = {"title": "T", "url": "https://a.ma/x", "kind": "secondary", "date": "undated"}
    files: dict[str, Any] = {**RULES_FILES, "financing.yml": {"reviewed_on": "2026-12-02", "programmes": {"x": {"entry": "e", "status": "to_confirm", "sources": [secondary]}}}}
    assert parse_rules(files).reviewed_on == dt.date(2026, 11, 30)  # the older of the two files
    old = {**files, "legal_forms.yml": {**{k: v for k, v in RULES_FILES["legal_forms.yml"].items() if k != "reviewed_on"}, "verified_on": "2026-12-02"}}
    with pytest.raises(RulesError, match=r"legal_forms\.yml: verified_on: renamed reviewed_on"):
        parse_rules(old)
    missing = {**files, "financing.yml": {k: v for k, v in files["financing.yml"].items() if k != "reviewed_on"}}
    with pytest.raises(RulesError, match=r"financing\.yml: reviewed_on: must be a date"):
        parse_rules(missing)


def test_rule_sources_have_iso_dates_and_kinds() -> None:
    for rule in [*RULES.programmes.values(), *RULES.forms.values()]:
        for source in rule.sources:
            assert source.kind in ("official", "law", "press", "secondary")
            assert source.precision in ("day", "month", "year", "undated") and (source.date is None) == (source.precision == "undated")


def test_a_rule_is_not_more_confirmed_than_its_entry() -> None:
    from types import SimpleNamespace

    from assistant.kb.schema import load_directory
    from assistant.plan.rules import problems_with_entries

    entries = {e.id: e for e in load_directory(ROOT / "knowledge")}
    assert problems_with_entries(RULES, entries) == []
    weaker = {**entries, "investment-charter": SimpleNamespace(confirmed=False)}
    assert problems_with_entries(RULES, weaker) == ["programmes.charter_main: confirmed, but entry 'investment-charter' is to_confirm"]
    missing = {k: v for k, v in entries.items() if k != "forsa"}
    assert problems_with_entries(RULES, missing) == ["programmes.forsa: entry 'forsa' does not exist"]


def test_kb_check_validates_the_rules(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import shutil

    from assistant.kb.cli import main

    assert main(["check", str(ROOT / "knowledge")]) == 0
    copy = tmp_path / "knowledge"
    shutil.copytree(ROOT / "knowledge", copy)
    rules = copy / "rules" / "financing.yml"
    rules.write_text(rules.read_text(encoding="utf-8").replace('date: "2022-03"', 'date: "Mar 2022"'), encoding="utf-8")
    assert main(["check", str(copy)]) == 1
    assert "error: rules: financing.yml: programmes.forsa: sources[0].date" in capsys.readouterr().out


def test_rule_entries_exist_in_the_knowledge_base() -> None:
    ids = {p.stem for p in (ROOT / "knowledge").rglob("*.yml")}
    for rule in [*RULES.programmes.values(), *RULES.forms.values()]:
        assert rule.entry in ids, rule.key
    for p in RULES.country_programmes:
        assert p.entry in ids


@pytest.mark.parametrize(
    ("text", "sector"),
    [
        ("un petit hôtel", "hotels"), ("riad à Marrakech", "hotels"), ("فندق صغير", "hotels"), ("fondo9", "hotels"),
        ("une école privée", "education"), ("startup numérique", "digital"), ("promotion immobilière", "real_estate"),
        ("agence de voyages", "tourism"), ("a factory", "industry"), ("مصحة", "health"), ("hanout", "commerce"),
        ("restaurant", "restaurant"), ("je ne sais pas", None),
    ],
)
def test_sector_words(text: str, sector: str | None) -> None:
    assert RULES.sector_of(text) == sector


def test_every_plan_text_exists_in_french_arabic_and_english() -> None:
    import string

    from assistant.plan.document import texts

    def leaves(node: Any, path: str = "") -> Iterator[tuple[str, dict[str, str]]]:
        if isinstance(node, dict) and {"fr", "ar", "en"} & set(node) and all(isinstance(v, str) for v in node.values()):
            yield path, node
        elif isinstance(node, dict):
            for key, value in node.items():
                yield from leaves(value, f"{path}.{key}")

    found = list(leaves(texts()))
    assert len(found) > 100
    for path, node in found:
        assert set(node) == {"fr", "ar", "en"}, path
        assert any("\u0600" <= ch <= "\u06ff" for ch in node["ar"]), path
        fields = [{f for _, f, _, _ in string.Formatter().parse(node[lang]) if f} for lang in ("fr", "ar", "en")]
        assert fields[0] == fields[1] == fields[2], path  # the same placeholders in every language
