"""The creation-plan form and action against a real database, and the PDF link of the service."""

from __future__ import annotations

import asyncio
import json
import subprocess
from pathlib import Path
from typing import Any

import pytest
from aiohttp.test_utils import TestClient, TestServer
from rasa_sdk.executor import CollectingDispatcher

from assistant.actions.plan import ActionShowPlan, ActionStartPlan, known_values
from assistant.actions.plan_form import ValidatePlanForm
from assistant.plan.store import delete_plans, plan_by_token, plan_for_conversation
from assistant.responses import catalog_buttons
from assistant.service.app import create_app
from tests.support.trackers import make_tracker, texts

pytestmark = pytest.mark.parametrize("database", ["sqlite"], indirect=True)

DOMAIN_SLOTS = ["plan_country", "plan_region", "plan_sector", "plan_partners", "plan_partners_mre", "plan_mre_stake",
                "plan_amount", "plan_fx_share", "plan_stage", "plan_turnover", "plan_capital", "plan_jobs", "plan_confirmed"]
FILLED = {
    "plan_country": "BE", "plan_region": "tanger_tetouan_al_hoceima", "plan_sector": "hotels", "plan_partners": "mre",
    "plan_amount": 600000.0, "plan_fx_share": 100.0, "plan_stage": "idea", "plan_confirmed": True,
}


async def validate(slot: str, value: Any, text: str | None = None, intent: str | None = None, confidence: float = 0.5,
                   **kwargs: Any) -> tuple[dict[str, Any], CollectingDispatcher]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker(text if text is not None else str(value), intent, confidence, active_loop="plan_form", **kwargs)
    result = await getattr(ValidatePlanForm(), f"validate_{slot}")(value, dispatcher, tracker, {})
    return result, dispatcher


ANSWERS = [
        ("plan_country", "Belgique", {"plan_country": "BE"}, None),
        ("plan_country", "sakn f almania", {"plan_country": "DE"}, None),
        ("plan_country", "فرنسا", {"plan_country": "FR"}, None),
        ("plan_country", "Japon", {"plan_country": "other"}, None),
        ("plan_country", "???", {"plan_country": None}, "utter_invalid_plan_country"),
        ("plan_region", "Al Hoceima", {"plan_region": "tanger_tetouan_al_hoceima"}, None),
        ("plan_region", "f l7ouceima", {"plan_region": "tanger_tetouan_al_hoceima"}, None),
        ("plan_region", "وجدة", {"plan_region": "oriental"}, None),
        ("plan_region", "je ne sais pas encore", {"plan_region": "undecided"}, None),
        ("plan_region", "Springfield", {"plan_region": None}, "utter_invalid_plan_region"),
        ("plan_sector", "un petit hôtel", {"plan_sector": "hotels"}, None),
        ("plan_sector", "لوطيل", {"plan_sector": "other", "plan_sector_text": "لوطيل"}, None),
        ("plan_sector", "ma3reftch", {"plan_sector": "unknown"}, None),
        ("plan_sector", "boulangerie", {"plan_sector": "other", "plan_sector_text": "boulangerie"}, None),
        ("plan_partners", "avec ma soeur", {"plan_partners": "partners"}, None),
        ("plan_partners", "seul", {"plan_partners": "alone"}, None),
        ("plan_partners", "m3a khouya li sakn f lmaghrib", {"plan_partners": "other"}, None),
        ("plan_partners", "bof", {"plan_partners": None}, "utter_invalid_plan_partners"),
        ("plan_partners_mre", True, {"plan_partners_mre": True, "plan_partners": "mre"}, None),
        ("plan_partners_mre", "non, il vit au Maroc", {"plan_partners_mre": False, "plan_partners": "other"}, None),
        ("plan_amount", "600k", {"plan_amount": 600000}, None),
        ("plan_amount", "٦٠٠ ألف", {"plan_amount": 600000}, None),
        ("plan_amount", "60 mlyoun santim", {"plan_amount": 600000}, None),
        ("plan_amount", "1,2 million", {"plan_amount": 1200000}, None),
        ("plan_amount", "je ne sais pas", {"plan_amount": "unknown"}, None),
        ("plan_amount", "-5000", {"plan_amount": None}, "utter_invalid_plan_amount_negative"),
        ("plan_amount", "99999999999999", {"plan_amount": None}, "utter_invalid_plan_amount_absurd"),
        ("plan_amount", "50 000 euros", {"plan_amount": None}, "utter_invalid_plan_amount_currency"),
        ("plan_amount", "pas mal", {"plan_amount": None}, "utter_invalid_plan_amount_unreadable"),
        ("plan_fx_share", "24,9 %", {"plan_fx_share": 24.9}, None),
        ("plan_fx_share", "tout", {"plan_fx_share": 100.0}, None),
        ("plan_fx_share", "جميع المبلغ", {"plan_fx_share": 100.0}, None),
        ("plan_fx_share", "120 %", {"plan_fx_share": None}, "utter_invalid_plan_share"),
        ("plan_stage", "juste une idée", {"plan_stage": "idea"}, None),
        ("plan_stage", "jsp", {"plan_stage": "unknown"}, None),
        # Arabizi: digits inside words are letters ("3ndi" = I have), not amounts
        ("plan_country", "sakn f bljika", {"plan_country": "BE"}, None),
        ("plan_amount", "3ndi 200 mlyoun santim", {"plan_amount": 2000000}, None),
        ("plan_partners", "wa7di", {"plan_partners": "alone"}, None),
        ("plan_stage", "fikra", {"plan_stage": "idea"}, None),
        ("plan_turnover", "300k", {"plan_turnover": 300000}, None),
        ("plan_turnover", "ma3reftch", {"plan_turnover": "unknown"}, None),
        ("plan_turnover", "-5", {"plan_turnover": None}, "utter_invalid_plan_amount_negative"),
        ("plan_turnover", "99999999999999", {"plan_turnover": None}, "utter_invalid_plan_figure_absurd"),
        ("plan_capital", "100 000 DH", {"plan_capital": 100000}, None),
        ("plan_capital", "لا أعرف", {"plan_capital": "unknown"}, None),
        ("plan_capital", "bof", {"plan_capital": None}, "utter_invalid_plan_amount_unreadable"),
        ("plan_jobs", "5 emplois", {"plan_jobs": 5}, None),
        ("plan_jobs", "٣", {"plan_jobs": 3}, None),
        ("plan_jobs", "walou", {"plan_jobs": 0}, None),
        ("plan_jobs", "je sais pas", {"plan_jobs": "unknown"}, None),
        ("plan_jobs", "une dizaine", {"plan_jobs": None}, "utter_invalid_plan_jobs"),
]


async def test_answers_in_every_variety(loaded_knowledge: str) -> None:
    """One database for the whole table (each case is a typed answer and what the form keeps)."""
    failures = []
    for slot, value, expected, error in ANSWERS:
        result, dispatcher = await validate(slot, value)
        if result != expected or texts(dispatcher) != ([error] if error else []):
            failures.append((slot, value, result, texts(dispatcher)))
    assert not failures


async def test_capital_above_the_project_amount_is_asked_again(loaded_knowledge: str) -> None:
    result, dispatcher = await validate("plan_capital", "2 millions", slots={"plan_amount": 600000.0})
    assert result == {"plan_capital": None} and texts(dispatcher) == ["utter_invalid_plan_capital_above_amount"]


async def test_share_of_an_amount_uses_the_project_amount(loaded_knowledge: str) -> None:
    result, _ = await validate("plan_fx_share", "150 000 DH", slots={"plan_amount": 600000.0})
    assert result == {"plan_fx_share": 25.0}


async def test_question_in_the_middle_is_answered_and_the_slot_asked_again(loaded_knowledge: str) -> None:
    result, dispatcher = await validate("plan_amount", "c'est quoi le capital minimum d'une SARL ?", intent="ask_legal_form", confidence=0.95)
    assert result == {"plan_amount": None}
    assert texts(dispatcher) and texts(dispatcher)[0].startswith("utter_kb_answer")


@pytest.mark.parametrize(("slot", "text", "language"), [
    ("plan_country", "je veux ouvrir un riad à Marrakech, quelles aides ?", "fr"),
    ("plan_sector", "what is the minimum capital for a SARL?", "en"),
    ("plan_amount", "شحال خاص ديال الراسمال لشركة المساهمة؟", "ar"),
    ("plan_region", "chhal khass dyal capital l sarl ?", "fr"),
])
async def test_a_question_the_classifier_is_unsure_of_is_not_taken_as_the_answer(
    loaded_knowledge: str, slot: str, text: str, language: str
) -> None:
    """A question typed instead of an answer, read at low confidence, is answered (or the
    investor told there is no reliable answer) and the slot asked again: never stored as a
    country or sector, never "invalid"."""
    result, dispatcher = await validate(slot, text, intent="ask_region", confidence=0.5, slots={"language": language})
    assert result == {slot: None}
    assert texts(dispatcher)[0].startswith(("utter_kb_", "utter_plan_not_found_in_form")), texts(dispatcher)


async def test_cancel_stops_the_form(loaded_knowledge: str) -> None:
    result, _ = await validate("plan_sector", "annuler")
    assert result == {"plan_sector": None, "plan_cancelled": True}
    tracker = make_tracker("annuler", slots={"plan_cancelled": True})
    assert await ValidatePlanForm().required_slots(DOMAIN_SLOTS, CollectingDispatcher(), tracker, {}) == []


async def test_follow_up_questions_only_when_needed(database: str) -> None:
    """Partners' follow-ups only with partners; the turnover only where a rule needs it (the
    auto-entrepreneur ceilings when alone or not said, Intelaka's ceiling for an existing company)."""
    cases: tuple[tuple[str, str, set[str]], ...] = (
        ("alone", "idea", {"plan_turnover"}), ("partners", "idea", {"plan_partners_mre"}),
        ("other", "creation", {"plan_mre_stake"}), ("mre", "idea", set()), ("unknown", "idea", {"plan_turnover"}),
        ("mre", "extension", {"plan_turnover"}),
    )
    for partners, stage, asked in cases:
        tracker = make_tracker("x", slots={"plan_partners": partners, "plan_stage": stage})
        slots = await ValidatePlanForm().required_slots(DOMAIN_SLOTS, CollectingDispatcher(), tracker, {})
        assert {"plan_partners_mre", "plan_mre_stake", "plan_turnover"} & set(slots) == asked, (partners, stage)
        assert {"plan_capital", "plan_jobs"} <= set(slots)


async def test_known_values_are_not_asked_again(loaded_knowledge: str) -> None:
    tracker = make_tracker(
        "je veux ouvrir un hôtel à Al Hoceima, j'ai 600 000 DH",
        "request_plan",
        entities=[{"entity": "city", "value": "Al Hoceima"}],
        slots={"case_country": "Belgique", "case_stage": "creation"},
    )
    known = await known_values(tracker)
    assert known == {"plan_country": "BE", "plan_region": "tanger_tetouan_al_hoceima", "plan_sector": "hotels",
                     "plan_amount": 600000, "plan_stage": "creation"}
    events = await ActionStartPlan().run(CollectingDispatcher(), tracker, {})
    assert {e["name"]: e["value"] for e in events}["plan_amount"] == 600000


async def test_whatsapp_number_gives_the_country(loaded_knowledge: str) -> None:
    tracker = make_tracker("bghit plan", "request_plan", channel="whatsapp", sender="whatsapp:32470123456")
    assert (await known_values(tracker))["plan_country"] == "BE"
    moroccan = make_tracker("bghit plan", "request_plan", channel="whatsapp", sender="212612345678")
    assert "plan_country" not in await known_values(moroccan)


async def plan_messages_for(slots: dict[str, Any], language: str = "fr", sender: str = "conv-plan") -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    dispatcher = CollectingDispatcher()
    tracker = make_tracker("/affirm", "affirm", slots={**slots, "language": language}, sender=sender)
    events = await ActionShowPlan().run(dispatcher, tracker, {})
    return dispatcher.messages, events


async def test_the_plan_in_chat_is_stored_behind_a_link(loaded_knowledge: str) -> None:
    messages, events = await plan_messages_for(FILLED)
    text = "\n".join(m["text"] for m in messages)
    assert "SARL" in text and "CRI" in text and "Tanger-Tétouan-Al Hoceïma" in text
    assert "1. Certificat négatif" in text and "8. Annonces légales" in text
    assert "MBI" in text and "MeM" in text  # Belgium, and everywhere
    assert "indicatif" in text
    steps = messages[1]["buttons"]
    assert len(steps) == 8 and steps[0]["payload"] == '/ask_creation{"kb_entry": "negative-certificate"}'
    assert messages[-1]["buttons"][0]["payload"] == "/request_human"
    token = {e["name"]: e["value"] for e in events}["plan_token"]
    assert f"/plan/{token}.pdf?lang=fr" in text and f"/plan/{token}.pdf?lang=ar" in text
    stored = await plan_for_conversation("conv-plan")
    assert stored is not None and stored.token == token and set(stored.documents) == {"fr", "ar", "en"}
    assert stored.inputs["amount"] == 600000.0
    # a second plan in the same conversation keeps the same link
    _, events2 = await plan_messages_for({**FILLED, "plan_amount": 2_000_000.0})
    assert {e["name"]: e["value"] for e in events2}["plan_token"] == token
    assert await delete_plans("conv-plan") == 1 and await plan_by_token(token) is None


async def test_the_plan_shows_no_number_it_was_not_given(loaded_knowledge: str) -> None:
    """With every answer unknown, the only amounts are the rules' and the entries' own."""
    unknown = {k: "unknown" for k in FILLED} | {"plan_confirmed": True, "plan_country": "FR", "plan_region": "undecided"}
    messages, _ = await plan_messages_for(unknown)
    text = "\n".join(m["text"] for m in messages)
    assert "Subvention indicative" not in text and "Crédit indicatif" not in text
    assert "non précisé" not in text  # the inputs are shown in the summary and the PDF, not repeated in chat
    assert "Tremplin" in text


async def test_plan_in_arabic_and_english(loaded_knowledge: str) -> None:
    for language, expected in (("ar", "الشهادة السلبية"), ("en", "Negative certificate")):
        messages, _ = await plan_messages_for(FILLED, language)
        assert expected in "\n".join(m["text"] for m in messages)


async def test_cancelled_form_shows_no_plan(loaded_knowledge: str) -> None:
    messages, _ = await plan_messages_for({**FILLED, "plan_cancelled": True})
    assert [m.get("response") for m in messages] == ["utter_plan_cancelled"]


async def test_pdf_link_serves_each_language_and_refuses_bad_input(loaded_knowledge: str, tmp_path: Path) -> None:
    _, events = await plan_messages_for(FILLED, sender="conv-pdf")
    token = {e["name"]: e["value"] for e in events}["plan_token"]
    client = TestClient(TestServer(create_app(run_background_tasks=False)))
    await client.start_server()
    try:
        for lang, expected in (("fr", "Certificat négatif"), ("ar", "الشهادة السلبية"), ("en", "Negative certificate")):
            response = await client.get(f"/plan/{token}.pdf?lang={lang}")
            assert response.status == 200 and response.content_type == "application/pdf"
            assert response.headers["Cache-Control"] == "private, no-store"
            body = await response.read()
            assert body.startswith(b"%PDF")
            path = tmp_path / f"plan-{lang}.pdf"
            path.write_bytes(body)
            extracted = (await asyncio.to_thread(
                subprocess.run, ["pdftotext", "-raw", str(path), "-"], capture_output=True, text=True, check=True
            )).stdout
            if lang != "ar":
                assert expected in extracted
        assert (await client.get("/plan/" + "x" * 43 + ".pdf")).status == 404
        assert (await client.get("/plan/short.pdf")).status == 404
        assert (await client.get(f"/plan/{token}.pdf?lang=de")).status == 400
    finally:
        await client.close()


async def test_plan_is_attached_to_a_case_opened_afterwards(loaded_knowledge: str, aiohttp_client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    """The adviser sees the plan and the answers on the case page, and can download the PDF; erasure removes it."""
    from assistant.cases import store
    from tests.app_env.test_case_store import request_for
    from tests.app_env.test_service import csrf_of, login

    _, events = await plan_messages_for(FILLED, sender="conv-case")
    token = {e["name"]: e["value"] for e in events}["plan_token"]
    case, _ = await store.open_case(request_for("conv-case"))
    monkeypatch.setenv("COOKIE_SECURE", "false")
    from assistant.db.engine import session_scope
    from assistant.db.models import StaffUser
    from assistant.service.auth import hash_password
    from assistant.settings import get_settings

    get_settings.cache_clear()
    async with session_scope() as session:
        session.add(StaffUser(email="samira@cellule.ma", name="Samira Alaoui", password_hash=hash_password("correct-horse-battery")))
    client = await aiohttp_client(create_app(get_settings(), run_background_tasks=False))
    await login(client)
    html = await (await client.get(f"/staff/cases/{case.reference}")).text()
    assert "Plan de création de l&#39;investisseur" in html or "Plan de création de l'investisseur" in html
    assert "Forme conseillée : SARL" in html and "Belgique" in html and "MDM Invest" in html
    assert f"/plan/{token}.pdf?lang=fr" in html
    arabic = await (await client.get(f"/staff/cases/{case.reference}?lang=ar")).text()
    assert "خطة إنشاء المشروع لدى المستثمر" in arabic and f"/plan/{token}.pdf?lang=ar" in arabic
    # the staff JSON API and the export (right of access) carry the plan and its answers
    detail = await (await client.get(f"/api/cases/{case.reference}")).json()
    plan = detail["plan"]
    assert plan["language"] == "fr" and plan["inputs"]["amount"] == 600000.0 and plan["inputs"]["country"] == "BE"
    assert plan["pdf"]["ar"] == f"/plan/{token}.pdf?lang=ar" and plan["document"]["legal"]["form"] == "sarl"
    exported = await (await client.get(f"/api/cases/{case.reference}/export")).json()
    assert set(exported["plan"]["documents"]) == {"fr", "ar", "en"} and exported["plan"]["inputs"] == plan["inputs"]
    # erased with the case, through the staff API
    csrf = await csrf_of(client)
    assert (await client.post(f"/api/cases/{case.reference}/erase", headers={"X-CSRF-Token": csrf})).status == 200
    assert await plan_by_token(token) is None
    assert (await (await client.get(f"/api/cases/{case.reference}")).json())["plan"] is None
    assert (await (await client.get(f"/api/cases/{case.reference}/export")).json())["plan"] is None
    assert (await client.get(f"/plan/{token}.pdf?lang=fr")).status == 404
    html = await (await client.get(f"/staff/cases/{case.reference}")).text()
    assert "/plan/" not in html


def correction_titles() -> list[tuple[str, str, str]]:
    """(language, title, field) of every button of the plan's correction menu."""
    return [(language, title, field) for field, titles in catalog_buttons("utter_ask_plan_correction").items()
            for language, title in titles.items()]


#: Field names typed the way people write them at the correction menu (Darija, Arabizi, with a verb).
TYPED_FIELDS = [
    ("البلد", "plan_country"), ("بلادي", "plan_country"), ("lblad", "plan_country"), ("corriger le pays", "plan_country"),
    ("the country", "plan_country"), ("المدينة", "plan_region"), ("bdel lmdina", "plan_region"), ("la ville", "plan_region"),
    ("l9ita3", "plan_sector"), ("النشاط", "plan_sector"), ("الشركا", "plan_partners"), ("chraka", "plan_partners"),
    ("الفلوس", "plan_amount"), ("bdel lmablagh", "plan_amount"), ("le montant", "plan_amount"), ("الدوفيز", "plan_fx_share"),
    ("l3omla", "plan_fx_share"), ("المرحلة", "plan_stage"), ("lmar7ala", "plan_stage"), ("شيفر دافير", "plan_turnover"),
    ("le chiffre d'affaires", "plan_turnover"), ("راس المال", "plan_capital"), ("ras lmal", "plan_capital"),
    ("change the capital", "plan_capital"), ("الخدامين", "plan_jobs"), ("khdama", "plan_jobs"), ("number of jobs", "plan_jobs"),
]


async def test_every_correction_option_typed_asks_its_question_again(loaded_knowledge: str) -> None:
    """Bug: "البلد" typed at the correction menu went back to the summary instead of the country."""
    cases = [(lang, title, field) for lang, title, field in correction_titles()]
    cases += [("ar" if any("\u0600" <= c <= "\u06ff" for c in typed) else "fr", typed, field) for typed, field in TYPED_FIELDS]
    failures = []
    for language, typed, field in cases:
        for intent in (None, "deny", "inform"):  # whatever the NLU reads in a field name
            slots = {**FILLED, "plan_partners": "alone", "language": language}  # alone: every field asked
            result, dispatcher = await validate("plan_confirmed", typed, intent=intent, slots=slots)
            expected = {"plan_confirmed": None, field: None}
            if field == "plan_partners":
                expected |= {"plan_partners_mre": None, "plan_mre_stake": None}
            if result != expected or texts(dispatcher):
                failures.append((language, typed, intent, result, texts(dispatcher)))
    assert len(cases) >= 57 and not failures, failures


@pytest.mark.parametrize(
    ("typed", "expected", "said"),
    [
        ("je confirme", {"plan_confirmed": True}, []), ("looks good", {"plan_confirmed": True}, []),
        ("واخا أكد", {"plan_confirmed": True}, []), ("wakha", {"plan_confirmed": True}, []),
        ("Corriger", {"plan_confirmed": None}, ["utter_ask_plan_correction"]),
        ("bdel", {"plan_confirmed": None}, ["utter_ask_plan_correction"]),
        ("تعديل", {"plan_confirmed": None}, ["utter_ask_plan_correction"]),
        ("annuler", {"plan_confirmed": None, "plan_cancelled": True}, []),
    ],
)
async def test_summary_answers_typed(loaded_knowledge: str, typed: str, expected: dict[str, Any], said: list[str]) -> None:
    result, dispatcher = await validate("plan_confirmed", typed, slots=FILLED)
    assert result == expected and texts(dispatcher) == said


@pytest.mark.parametrize("typed", ["لا أعرف", "ma3reftch", "je ne sais pas", "I don't know"])
async def test_dont_know_read_as_a_no_is_a_dont_know(loaded_knowledge: str, typed: str) -> None:
    """The "I don't know" button typed at "are your partners MRE too?" (the NLU may read "لا أعرف" as deny)."""
    result, dispatcher = await validate("plan_partners_mre", False, text=typed, intent="deny")
    assert result == {"plan_partners_mre": "unknown", "plan_partners": "other"} and texts(dispatcher) == []


def menu_fields(dispatcher: CollectingDispatcher) -> list[str]:
    (message,) = dispatcher.messages
    assert message["response"] == "utter_ask_plan_correction"
    return [json.loads(b["payload"].removeprefix("/deny"))["plan_field"] for b in message["buttons"]]


#: The turnover named at the correction menu, in every variety, typed or pressed.
TURNOVER_ASKED_FOR = [
    ("fr", "Chiffre d'affaires"), ("fr", "le chiffre d'affaires"), ("ar", "رقم المعاملات"), ("ar", "شيفر دافير"),
    ("fr", "ra9m lmo3amalat"), ("en", "Turnover"), ("en", "change the turnover"),
    ("fr", '/deny{"plan_field": "plan_turnover"}'), ("ar", '/deny{"plan_field": "plan_turnover"}'),
]


@pytest.mark.parametrize(("language", "typed"), TURNOVER_ASKED_FOR)
async def test_correction_menu_offers_only_the_fields_this_plan_asked(loaded_knowledge: str, language: str, typed: str) -> None:
    """Bug (#13): with partners and a new project the turnover is never asked, yet the menu
    offered it, and choosing it went straight back to the summary."""
    partners_new = {**FILLED, "plan_partners": "mre", "plan_stage": "creation", "language": language}
    result, dispatcher = await validate("plan_confirmed", False, text="/deny", intent="deny", slots=partners_new)
    titles = {b["title"] for b in dispatcher.messages[0]["buttons"]}
    assert result == {"plan_confirmed": None} and "plan_turnover" not in menu_fields(dispatcher)
    assert menu_fields(dispatcher) == [f for f, _ in catalog_buttons("utter_ask_plan_correction").items() if f != "plan_turnover"]
    assert titles == {t[language] for f, t in catalog_buttons("utter_ask_plan_correction").items() if f != "plan_turnover"}
    # the turnover asked for anyway (typed, or a button of an older menu): the menu again, nothing cleared
    entities = [{"entity": "plan_field", "value": "plan_turnover"}] if typed.startswith("/") else []
    result, dispatcher = await validate("plan_confirmed", typed, intent="deny", entities=entities, slots=partners_new)
    assert result == {"plan_confirmed": None} and "plan_turnover" not in menu_fields(dispatcher)
    # alone, or an existing company: the turnover was asked, so it is offered and asked again
    for changed in ({"plan_partners": "alone"}, {"plan_stage": "extension"}):
        result, dispatcher = await validate("plan_confirmed", False, text="/deny", intent="deny", slots={**partners_new, **changed})
        assert "plan_turnover" in menu_fields(dispatcher), changed
        result, dispatcher = await validate("plan_confirmed", typed, intent="deny", entities=entities, slots={**partners_new, **changed})
        assert result == {"plan_confirmed": None, "plan_turnover": None} and not dispatcher.messages, (changed, result)
