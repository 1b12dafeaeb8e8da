"""What investors type in the case form: contacts, names, stages, yes/no."""

from __future__ import annotations

import pytest

from assistant.cases import form_answers, validation


@pytest.mark.parametrize(
    ("text", "country", "email", "phone"),
    [
        ("karim@example.com", None, "karim@example.com", None),
        ("Mon mail : Karim.B@Gmail.com", None, "karim.b@gmail.com", None),
        ("+32 470 12 34 56", None, None, "+32470123456"),
        ("0032 470 12 34 56", None, None, "+32470123456"),
        ("06 12 34 56 78", "France", None, "+33612345678"),
        ("0470123456", "Belgique", None, "+32470123456"),
        ("0661234567", None, None, "+212661234567"),
        ("samira@example.ca et +1 514 555 0199", "Canada", "samira@example.ca", "+15145550199"),
    ],
)
def test_contacts_are_parsed_to_email_and_e164(text: str, country: str | None, email: str | None, phone: str | None) -> None:
    contact = validation.parse_contact(text, country)
    assert contact is not None
    assert (contact.email, contact.phone) == (email, phone)


@pytest.mark.parametrize("text", ["abc", "12", "karim@", "@example.com", "+33 1", "", "﷽", "x" * 10000])
def test_invalid_contacts_are_refused(text: str) -> None:
    assert validation.parse_contact(text) is None


def test_whatsapp_senders_are_phone_numbers() -> None:
    assert validation.whatsapp_phone("212661234567") == "+212661234567"
    assert validation.whatsapp_phone("whatsapp:+33612345678") == "+33612345678"
    assert validation.whatsapp_phone("a-web-session-id") is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Karim Benali", "Karim Benali"), ("  كريم   بنعلي ", "كريم بنعلي"), ("Jean-Pierre O'Neil", "Jean-Pierre O'Neil"),
     ("k", None), ("123", None), ("karim@example.com", None), ("<script>alert(1)</script>", None),
     ("un deux trois quatre cinq six sept", None)],
)
def test_names(text: str, expected: str | None) -> None:
    assert validation.clean_name(text) == expected


@pytest.mark.parametrize(
    ("text", "stage"),
    [("Idée", "idea"), ("فكرة", "idea"), ("just an idea", "idea"), ("création", "creation"), ("إنشاء", "creation"),
     ("extension", "extension"), ("توسيع", "extension"), ("je veux agrandir mon entreprise", "extension"), ("bof", None),
     # typed as people answer (not the buttons' words)
     ("we are creating it", "creation"), ("setting up the company now", "creation"), ("en cours de création", "creation"),
     ("je suis en train de monter la boîte", "creation"), ("kan9ad les papiers daba", "creation"),
     ("كنأسس الشركة دابا", "creation"), ("still thinking about it", "idea"), ("mazal ma bdit", "idea"),
     ("كنفكر فقط", "idea"), ("I already have a company in Tangier", "extension"),
     ("j'ai déjà une société", "extension"), ("3ndi charika f casa", "extension"), ("عندي شركة ف طنجة", "extension"),
     # not started yet, with the Darija negation and in every language (session 25, over REST)
     ("ba9i ma bditch", "idea"), ("mazal ma bdina", "idea"), ("ما بديتش", "idea"), ("لم أبدأ بعد", "idea"),
     ("pas encore commencé", "idea"), ("not yet", "idea"), ("I haven't started", "idea"), ("wakha", None)],
)
def test_stages_in_every_language(text: str, stage: str | None) -> None:
    assert validation.parse_stage(text) == stage


@pytest.mark.parametrize(
    ("text", "stage"),
    [
        # "projet" is said of every stage: the stage's own words decide, the idea only without them
        ("c'est juste un projet pour l'instant", "idea"), ("j'ai un projet mais pas encore de société", "idea"),
        ("projet", "idea"), ("ghir projet daba", "idea"), ("مازال غير مشروع", "idea"), ("it's only a project for now", "idea"),
        ("mon projet est en cours de création", "creation"), ("en train de monter le projet", "creation"),
        ("je lance mon projet", "creation"), ("المشروع في طور التأسيس", "creation"), ("in the process of registering", "creation"),
        ("rani kanftah charika", "creation"),
        ("c'est un projet d'extension", "extension"), ("agrandir mon projet", "extension"), ("مشروع توسعة", "extension"),
        ("ma société existe déjà", "extension"), ("my company already exists", "extension"),
        ("expanding my existing project", "extension"), ("bghit nwess3 lmchro3", "extension"),
        # nothing exists yet: a negated company is no extension
        ("mazal ma 3ndich charika", "idea"), ("عندي مشروع ولكن مازال ما عنديش شركة", "idea"),
        ("i have a project but no company yet", "idea"), ("we don't have a company yet", "idea"),
        ("لم أؤسس الشركة بعد", "idea"), ("je réfléchis encore", "idea"),
        ("just a question", None), ("merci", None),
    ],
)
def test_a_stage_typed_as_a_sentence_is_read_by_its_own_words(text: str, stage: str | None) -> None:
    assert validation.parse_stage(text) == stage


@pytest.mark.parametrize(
    ("text", "answer"),
    [("oui", True), ("yes", True), ("نعم", True), ("wakha", True), ("non", False), ("no", False), ("لا", False), ("peut-être", None)],
)
def test_yes_no(text: str, answer: bool | None) -> None:
    assert validation.parse_yes_no(text) is answer


def test_country_codes_for_local_numbers() -> None:
    assert validation.country_code("Belgique") == "BE"
    assert validation.country_code("ana f Italia") == "IT"
    assert validation.country_code("هولندا") == "NL"
    assert validation.country_code("Atlantis") is None


@pytest.mark.parametrize(
    ("text", "language", "stored"),
    [
        ("f belgique", "fr", "Belgique"),
        ("fi italia", "fr", "Italie"),
        ("في بلجيكا", "ar", "بلجيكا"),
        ("فبلجيكا", "ar", "بلجيكا"),
        ("ساكن فإيطاليا", "ar", "إيطاليا"),
        ("in belgium", "en", "Belgium"),
        ("the netherlands", "en", "Netherlands"),
        ("je vis en Allemagne.", "fr", "Allemagne"),
        ("ana sakn f hulanda", "fr", "Pays-Bas"),
        ("aux États-Unis", "fr", "États-Unis"),
        ("Belgique ?", "fr", "Belgique"),
        ("Belgique", "ar", "بلجيكا"),  # the name in the user's language
        ("in Australia", "en", "Australia"),  # not in the list: as typed, without the preposition
        ("à Bruxelles, en Belgique", "fr", "Bruxelles, en Belgique"),  # only a leading preposition goes
        ("Atlantis", "fr", "Atlantis"),
        ("en", "fr", "en"),  # a preposition alone is what was typed
        ("1", "fr", None),
    ],
)
def test_the_country_is_stored_without_the_preposition_typed_before_it(text: str, language: str, stored: str | None) -> None:
    assert validation.clean_country(text, language) == stored


def test_undecided_region() -> None:
    assert form_answers.undecided("pas encore décidé")
    assert form_answers.undecided("لم أقرر بعد")
    assert form_answers.undecided("je ne sais pas")
    assert not form_answers.undecided("Tanger")
