"""Knowledge entries: the real content is valid, broken entries are refused with file and field."""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.kb.render import format_amount, format_count, numbers_in, render_fact
from assistant.kb.schema import KnowledgeError, load_directory, validate_entry
from assistant.kb.short import sources_behind
from assistant.kb.sources import PRECISIONS, SOURCE_KINDS, on_official_site, untied_facts
from assistant.languages import LANGUAGES
from tests.app_env.conftest import KNOWLEDGE

REFERENCE = KNOWLEDGE / "legal_forms" / "sarl-capital.yml"


def reference_entry() -> dict[str, Any]:
    return yaml.safe_load(REFERENCE.read_text(encoding="utf-8"))


def test_the_knowledge_base_is_valid_and_large_enough() -> None:
    entries = load_directory(KNOWLEDGE)
    assert len(entries) >= 60
    topics = {e.topic for e in entries}
    assert topics == {"legal_forms", "creation", "regions", "taxes", "financing", "programmes", "exchange"}
    assert sum(1 for e in entries if e.topic == "regions" and e.subject) == 12


def test_every_entry_has_three_languages_sources_and_a_review_date() -> None:
    for entry in load_directory(KNOWLEDGE):
        for lang in LANGUAGES:
            assert entry.title[lang] and entry.answer[lang], entry.id
        assert entry.sources and all(s.url.startswith("http") for s in entry.sources), entry.id
        assert all(s.kind in SOURCE_KINDS and s.precision in PRECISIONS for s in entry.sources), entry.id
        assert entry.reviewed_on.year >= 2025, entry.id
        if not entry.confirmed:
            assert all(entry.caveat.get(lang) for lang in LANGUAGES), entry.id


def test_numbers_are_the_same_in_every_language() -> None:
    for entry in load_directory(KNOWLEDGE):
        texts = {lang: f"{entry.title[lang]} {entry.answer[lang]} {entry.caveat.get(lang, '')}" for lang in LANGUAGES}
        assert numbers_in(texts["ar"]) == numbers_in(texts["fr"]) == numbers_in(texts["en"]), entry.id


def test_unconfirmed_facts_of_the_fact_sheet_are_not_stated_as_certain() -> None:
    by_id = {e.id: e for e in load_directory(KNOWLEDGE)}
    # §9 conflicts and §10 gaps of shared/domain-facts.md
    for entry_id in ("mdm-invest-new-version", "mbi", "negative-certificate-fee", "taxe-professionnelle",
                     "fondation-mohammedia", "auto-entrepreneur-eligibility", "bank-offers-mre"):
        assert not by_id[entry_id].confirmed, entry_id


@pytest.mark.parametrize(
    ("mutate", "field"),
    [
        (lambda d: d.pop("sources"), "sources"),
        (lambda d: d["answer"].pop("ar"), "answer.ar"),
        (lambda d: d["title"].update(ar="Capital minimum"), "title.ar"),
        (lambda d: d["answer"].update(en=d["answer"]["en"] + " {unknown_fact}"), "answer.en"),
        (lambda d: d["answer"].update(en=d["answer"]["en"].replace("{blocked_threshold}", "MAD 200,000")), "answer.en"),
        (lambda d: d.update(status="maybe"), "status"),
        (lambda d: d.update(reviewed_on="last week"), "reviewed_on"),
        (lambda d: d.update(verified_on="2026-11-22"), "verified_on"),  # the old name: one name only
        (lambda d: d["sources"][0].update(url="ftp://x"), "sources[0].url"),
        (lambda d: d["sources"][0].pop("url"), "sources[0].url"),
        (lambda d: d["sources"][0].pop("date"), "sources[0].date"),
        (lambda d: d["sources"][0].update(date="n.d."), "sources[0].date"),
        (lambda d: d["sources"][0].pop("kind"), "sources[0].kind"),
        (lambda d: d["sources"][0].update(kind="blog"), "sources[0].kind"),
        # a law text reproduced on a private site is not the Bulletin officiel
        (lambda d: d["sources"][0].update(kind="law", url="https://bennani.legal/loi-5-96/"), "sources[0].kind"),
        (lambda d: d["sources"][0].update(kind="official", url="https://www.scribd.com/doc/1/loi"), "sources[0].kind"),
        (lambda d: d["sources"][0].update(supports=["no_such_fact"]), "sources[0].supports"),
        (lambda d: d["sources"][0].update(quotes="OMPIC"), "sources[0].quotes"),
        (lambda d: d["keywords"].pop("arabizi"), "keywords.arabizi"),
        (lambda d: d["facts"].update(extra={"amount": "lots"}), "facts.extra"),
        (lambda d: d.update(topic="weather"), "topic"),
        (lambda d: d.update(id="Bad Id"), "id"),
    ],
)
def test_malformed_entries_are_refused_naming_file_and_field(mutate: Any, field: str) -> None:
    data = copy.deepcopy(reference_entry())
    mutate(data)
    with pytest.raises(KnowledgeError) as error:
        validate_entry(data, "knowledge/legal_forms/sarl-capital.yml")
    assert error.value.file == "knowledge/legal_forms/sarl-capital.yml"
    assert error.value.field == field or error.value.field.startswith(field)


def test_confirmed_entries_need_an_official_or_law_source() -> None:
    """Secondary sources alone leave an entry to_confirm; press counts when it quotes the body."""
    data = reference_entry()
    data["status"] = "confirmed"
    for src in data["sources"]:
        src["kind"] = "secondary"
    with pytest.raises(KnowledgeError) as error:
        validate_entry(data, "knowledge/legal_forms/sarl-capital.yml")
    assert error.value.field == "status" and "official" in error.value.message
    data["sources"][0].update(kind="press", quotes="OMPIC")
    assert validate_entry(data, "knowledge/legal_forms/sarl-capital.yml").confirmed
    for entry in load_directory(KNOWLEDGE):
        if entry.confirmed:
            assert any(s.authoritative for s in entry.sources), entry.id


def test_official_and_law_sources_are_on_official_sites() -> None:
    data = reference_entry()
    data["sources"][0].update(kind="law", url="https://www.sgg.gov.ma/Portals/0/BO/2011/BO_5956_Fr.pdf")
    data["sources"][1].update(kind="official", url="https://rabat.eregulations.org/procedure/1")
    validate_entry(data, "knowledge/legal_forms/sarl-capital.yml")
    for entry in load_directory(KNOWLEDGE):
        for source in entry.sources:
            if source.kind in ("official", "law"):
                assert on_official_site(source.url), (entry.id, source.url)


def test_every_fact_has_a_source() -> None:
    data = reference_entry()
    facts = list(data["facts"])
    for src in data["sources"]:
        src["supports"] = facts[:-1]
    with pytest.raises(KnowledgeError) as error:
        validate_entry(data, "knowledge/legal_forms/sarl-capital.yml")
    assert error.value.field == f"facts.{facts[-1]}"


def test_a_condition_lost_in_one_language_is_caught() -> None:
    """A fact stated twice in French but once in Arabic: a clause was dropped in translation."""
    data = reference_entry()
    data["answer"]["fr"] += " Rappel : au-delà de {blocked_threshold}, le dépôt est obligatoire."
    with pytest.raises(KnowledgeError) as error:
        validate_entry(data, "knowledge/legal_forms/sarl-capital.yml")
    assert error.value.field in ("answer.ar", "answer.en") and "blocked_threshold" in error.value.message


def test_to_confirm_entries_need_a_caveat() -> None:
    data = reference_entry()
    data["status"] = "to_confirm"
    data.pop("caveat", None)
    with pytest.raises(KnowledgeError, match="caveat"):
        validate_entry(data, "knowledge/legal_forms/sarl-capital.yml")


def test_directory_load_is_all_or_nothing(tmp_path: Path) -> None:
    target = tmp_path / "knowledge" / "legal_forms"
    target.mkdir(parents=True)
    good = reference_entry()
    good["related"] = []
    (target / "sarl-capital.yml").write_text(yaml.safe_dump(good, allow_unicode=True), encoding="utf-8")
    (target / "broken.yml").write_text("id: broken\ntopic: [", encoding="utf-8")
    with pytest.raises(KnowledgeError) as error:
        load_directory(tmp_path / "knowledge")
    assert "broken.yml" in error.value.file and "not valid YAML" in str(error.value)


@pytest.mark.parametrize(
    ("fact", "fr", "ar", "en"),
    [
        ({"amount": 100000, "currency": "MAD"}, "100\u202f000 MAD", "100.000 درهم", "MAD 100,000"),
        ({"amount": 5000000, "currency": "MAD"}, "5 millions de dirhams", "5 ملايين درهم", "MAD 5 million"),
        ({"amount": 230, "currency": "MAD"}, "230 MAD", "230 درهما", "MAD 230"),
        ({"percent": 0.5}, "0,5\u00a0%", "0.5%", "0.5%"),
        ({"number": 90, "unit": "day"}, "90 jours", "90 يوما", "90 days"),
        ({"number": 5, "unit": "year"}, "5 ans", "5 سنوات", "5 years"),
        ({"number": 2, "unit": "month"}, "deux mois", "شهران", "two months"),
        ({"number": 1, "unit": "year"}, "un an", "سنة واحدة", "one year"),
        ({"date": "2024-07-19"}, "19 juillet 2024", "19 يوليوز 2024", "19 July 2024"),
    ],
)
def test_facts_render_per_language(fact: dict[str, Any], fr: str, ar: str, en: str) -> None:
    assert [render_fact(fact, lang) for lang in ("fr", "ar", "en")] == [fr, ar, en]


def test_number_extraction_agrees_across_notations() -> None:
    assert numbers_in("100 000 MAD") == numbers_in("MAD 100,000") == numbers_in("100.000 درهم") == {"100000"}
    assert numbers_in("0,5 %") == numbers_in("0.5%") == {"0.5"}
    assert numbers_in("loi ٢٤-١٠") == {"24", "10"}
    assert format_amount(1_200_000, "MAD", "fr") == "1,2 million de dirhams"
    assert format_count(36, "month", "ar") == "36 شهرا"


def test_answers_are_short_enough_for_a_phone() -> None:
    for entry in load_directory(KNOWLEDGE):
        for lang in LANGUAGES:
            assert len(entry.answer[lang]) <= 900, (entry.id, lang)
            assert not re.search(r"\{[a-z_]+\}", entry.answer[lang]), (entry.id, lang)


def test_every_fact_of_every_entry_is_tied_to_the_sources_that_state_it() -> None:
    """A short answer cites the sources behind its facts: every fact is named in the `supports`
    of at least one source (`make kb-check` refuses an untied fact, naming file and fact)."""
    for entry in load_directory(KNOWLEDGE):
        assert not untied_facts(entry.sources, entry.facts), entry.id


def test_a_source_that_states_no_figure_is_not_cited_for_one() -> None:
    """`supports: []`: the source backs the text but none of the facts (a 2015 article is not
    shown under 2024 rates); without `supports` a source still stands behind the whole text."""
    data = reference_entry()
    facts = list(data["facts"])
    data["sources"][0]["supports"] = []
    for src in data["sources"][1:]:
        src["supports"] = facts
    entry = validate_entry(data, "knowledge/legal_forms/sarl-capital.yml")
    background, *others = entry.sources
    assert background.tied and not background.supports and not background.whole
    assert background not in sources_behind(entry.sources, [facts[0]])
    assert set(sources_behind(entry.sources, [facts[0]])) == set(others)
    del data["sources"][1]["supports"]
    whole = validate_entry(data, "knowledge/legal_forms/sarl-capital.yml").sources[1]
    assert whole.whole and whole in sources_behind([*entry.sources[:1], whole], [facts[0]])


def test_kb_check_names_an_untied_fact(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from assistant.kb.cli import main

    target = tmp_path / "legal_forms"
    target.mkdir()
    data = reference_entry()
    data["related"] = []
    facts = list(data["facts"])
    for src in data["sources"]:
        src["supports"] = []
    del data["sources"][0]["supports"]  # the whole text: valid for the loader, untied for kb-check
    (target / "sarl-capital.yml").write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")
    assert main(["check", str(tmp_path), "--partial"]) == 1
    out = capsys.readouterr().out
    assert f"legal_forms/sarl-capital.yml: facts.{facts[0]}" in out


def test_a_draft_ties_facts_to_sources_in_its_form() -> None:
    """The console's draft form takes a source's facts after its date (`… | date | a, b`), keeps
    them through a round trip, and refuses a draft whose fact no source names (as kb-check does)."""
    from assistant.insights.drafts import DraftError, document_from_form, form_from_document, validate

    data = reference_entry()
    facts = list(data["facts"])
    form = form_from_document(data)
    lines = [" | ".join(line.split(" | ")[:4]) for line in form["sources"].split("\n")]
    form["sources"] = "\n".join([f"{lines[0]} | {', '.join(facts)}", *(f"{line} | " for line in lines[1:])])
    doc = document_from_form(form)
    assert doc["sources"][0]["supports"] == facts and doc["sources"][1]["supports"] == []
    validate(doc)
    assert form_from_document(doc)["sources"].split("\n")[0].endswith(f"| {', '.join(facts)}")
    doc["sources"][0]["supports"] = facts[1:]
    with pytest.raises(DraftError, match=f"facts.{facts[0]}"):
        validate(doc)
