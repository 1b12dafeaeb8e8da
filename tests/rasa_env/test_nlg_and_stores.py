"""The response catalog NLG, and the tracker/lock stores chosen from the environment."""

from __future__ import annotations

import asyncio
import os
import re
import sys
import uuid
from pathlib import Path

import pytest
from rasa.core.lock_store import InMemoryLockStore, RedisLockStore
from rasa.shared.core.domain import Domain
from rasa.shared.core.events import SlotSet, UserUttered
from rasa.shared.core.trackers import DialogueStateTracker

from assistant.bidi import FSI, PDI, isolate_ltr
from assistant.nlg import CatalogNaturalLanguageGenerator
from assistant.settings import ROOT, get_settings
from assistant.stores.lock import EnvironmentLockStore
from assistant.stores.tracker import EnvironmentSQLTrackerStore
from tests.conftest import service_unavailable

DOMAIN = Domain.load(str(ROOT / "domain.yml"))


def test_catalog_responses_render_in_the_conversation_language() -> None:
    nlg = CatalogNaturalLanguageGenerator(domain=DOMAIN)
    nlg.responses = DOMAIN.responses  # what Rasa's Agent does after loading a model
    tracker = DialogueStateTracker.from_events("x", [SlotSet("language", "ar")], slots=DOMAIN.slots)
    greeting = asyncio.run(nlg.generate("utter_greet", tracker, "rest"))
    assert greeting and "مرحبا" in greeting["text"] and len(greeting["buttons"]) == 4
    opened = asyncio.run(nlg.generate("utter_case_opened", tracker, "rest", reference="MRE-2026-000001", days=3))
    assert opened and "MRE-2026-000001" in opened["text"]


def render(name: str, language: str, **kwargs: object) -> str:
    nlg = CatalogNaturalLanguageGenerator(domain=DOMAIN)
    nlg.responses = DOMAIN.responses
    tracker = DialogueStateTracker.from_events("x", [SlotSet("language", language)], slots=DOMAIN.slots)
    message = asyncio.run(nlg.generate(name, tracker, "rest", **kwargs))
    assert message is not None
    return str(message["text"])


def test_arabic_responses_have_their_numbers_isolated() -> None:
    """#13: the plan's Arabic examples ("مثلا: 50%") showed as "%50" right-to-left; every Arabic
    response's own numbers, percentages, e-mails and phone numbers are isolated when loaded."""
    assert f"{FSI}50%{PDI}" in render("utter_ask_plan_mre_stake", "ar")
    assert f"{FSI}600{PDI} ألف درهم، {FSI}1,2{PDI} مليون" in render("utter_ask_plan_amount", "ar")
    assert f"{FSI}30%{PDI}" in render("utter_ask_plan_fx_share", "ar")
    assert f"{FSI}+32 470 12 34 56{PDI}" in render("utter_ask_case_contact", "ar")  # one run, not five
    assert f"{FSI}1{PDI} (غير راضٍ) إلى {FSI}5{PDI}" in render("utter_case_rating_unclear", "ar")
    # a number grouped by plain spaces is one run: two isolates would show "500 000" as "000 500"
    assert f"{FSI}500 000{PDI} درهم" in render("utter_bad_input_number", "ar")
    assert isolate_ltr("من 1 إلى 50") == f"من {FSI}1{PDI} إلى {FSI}50{PDI}"
    # French and English untouched; a value filled in is not isolated twice
    assert "50 %" in render("utter_ask_plan_mre_stake", "fr") and FSI not in render("utter_ask_plan_mre_stake", "fr")
    assert FSI not in render("utter_ask_plan_amount", "en")
    summary = isolate_ltr("• المبلغ: 600.000 درهم")
    rendered = render("utter_plan_summary", "ar", summary=summary)
    assert f"{FSI}600.000{PDI}" in rendered and FSI + FSI not in rendered
    # no Arabic response keeps a bare number (list numbers at the start of a line aside)
    nlg = CatalogNaturalLanguageGenerator(domain=DOMAIN)
    nlg.responses = DOMAIN.responses
    bare = []
    for name, variations in nlg.responses.items():
        for variation in variations:
            if (variation.get("condition") or [{}])[0].get("value") == "ar" and variation.get("text"):
                outside = re.sub(r"\u2068[^\u2069]*\u2069|^\d{1,2}[.)]\s|\{[^}]*\}", "", variation["text"], flags=re.M)
                if re.search(r"\d", outside):
                    bare.append((name, variation["text"]))
    assert not bare, bare


def test_a_response_in_both_places_is_refused() -> None:
    nlg = CatalogNaturalLanguageGenerator(domain=DOMAIN)
    with pytest.raises(ValueError, match="both"):
        nlg.responses = {**DOMAIN.responses, "utter_greet": []}


def store_roundtrip(store: EnvironmentSQLTrackerStore) -> None:
    sender = uuid.uuid4().hex
    tracker = DialogueStateTracker.from_events(sender, [UserUttered("Bonjour")], slots=DOMAIN.slots)
    asyncio.run(store.save(tracker))
    again = asyncio.run(store.retrieve(sender))
    assert again is not None and again.latest_message is not None and again.latest_message.text == "Bonjour"


def test_sqlite_tracker_store_from_the_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_DATABASE_URL", f"sqlite:///{tmp_path / 'tracker.db'}")
    get_settings.cache_clear()
    store_roundtrip(EnvironmentSQLTrackerStore(domain=DOMAIN))
    assert (tmp_path / "tracker.db").exists()


def test_postgresql_tracker_store(monkeypatch: pytest.MonkeyPatch) -> None:
    url = os.environ.get("TEST_DATABASE_URL")
    if not url:
        service_unavailable("PostgreSQL", "TEST_DATABASE_URL is not set")
    monkeypatch.setenv("TRACKER_DATABASE_URL", url)
    get_settings.cache_clear()
    try:
        store = EnvironmentSQLTrackerStore(domain=DOMAIN)
    except Exception as exc:
        service_unavailable("PostgreSQL", f"unreachable ({exc.__class__.__name__})")
    store_roundtrip(store)


def test_lock_store_is_in_memory_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("REDIS_URL", raising=False)
    get_settings.cache_clear()
    assert isinstance(EnvironmentLockStore(), InMemoryLockStore)


def test_redis_lock_store_when_configured(monkeypatch: pytest.MonkeyPatch) -> None:
    url = os.environ.get("REDIS_URL")
    if not url:
        service_unavailable("Redis", "REDIS_URL is not set")
    get_settings.cache_clear()
    store = EnvironmentLockStore()
    assert isinstance(store, RedisLockStore)
    try:
        store.red.ping()
    except Exception as exc:
        service_unavailable("Redis", f"{url} unreachable ({exc.__class__.__name__})")

    async def lock_conversation() -> None:
        conversation = uuid.uuid4().hex
        async with store.lock(conversation):
            assert store.get_lock(conversation) is not None  # visible to every replica through Redis
        assert store.get_lock(conversation) is None

    asyncio.run(lock_conversation())


def test_action_responses_are_still_validated_after_the_performance_patch() -> None:
    from jsonschema import ValidationError
    from rasa.core.actions.action import RemoteAction

    from assistant import rasa_patches

    rasa_patches.apply()

    action = RemoteAction("action_x", None)
    assert action._validate_action_result({"events": [{"event": "slot", "name": "a", "value": 1}], "responses": []})
    with pytest.raises(ValidationError, match="Failed to validate Action server response"):
        action._validate_action_result({"events": "not a list"})


def test_the_patches_guard_the_send_of_every_output_channel_the_widget_s_too() -> None:
    """Staff replies' delivery states (assistant/delivery.py) are recorded by the base output
    channel and by the widget's, which overrides send_response."""
    from rasa.core.channels.channel import OutputChannel

    from assistant import rasa_patches
    from assistant.channels.socketio import StampedSocketIOOutput

    rasa_patches.apply()
    for cls in (OutputChannel, StampedSocketIOOutput):
        assert getattr(cls.__dict__["send_response"], "guarded", False), cls


def test_the_patch_is_in_effect_when_rasa_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    """`assistant.rasa_start` (used by the launcher, make shell, make test-stories, Kubernetes)
    applies the patch before Rasa's command line runs; building the NLG does not."""
    import rasa.__main__
    from rasa.core.actions.action import RemoteAction
    from rasa.core.nlg.generator import NaturalLanguageGenerator
    from rasa.utils.endpoints import read_endpoint_config

    from assistant import rasa_patches, rasa_server, rasa_start
    from assistant.settings import ROOT

    monkeypatch.setenv("ACTION_SERVER_URL", "http://127.0.0.1:5055/webhook")
    monkeypatch.setenv("ACTION_SERVER_TOKEN", "test-token")  # endpoints.yml expands it
    monkeypatch.setenv("RASA_TOKEN", "test-rasa-token")
    get_settings.cache_clear()  # the launcher reads RASA_TOKEN through the settings
    monkeypatch.setattr(RemoteAction, "_validate_action_result", lambda self, result: True)  # unpatched
    NaturalLanguageGenerator.create(read_endpoint_config(str(ROOT / "endpoints.yml"), "nlg"), DOMAIN)
    assert not rasa_patches.applied()
    started: list[tuple[list[str], bool]] = []
    monkeypatch.setattr(rasa.__main__, "main", lambda: started.append((list(sys.argv), rasa_patches.applied())))
    rasa_start.main(["shell", "--port", "5006"])
    assert started == [(["rasa", "shell", "--port", "5006"], True)]

    monkeypatch.setattr(RemoteAction, "_validate_action_result", lambda self, result: True)  # unpatched again
    monkeypatch.setattr(sys, "argv", ["rasa_server", "--port", "5005"])
    rasa_server.main()
    get_settings.cache_clear()
    assert started[1][0][:4] == ["rasa", "run", "--port", "5005"] and started[1][1] is True


def test_the_patch_refuses_an_unknown_rasa_version(monkeypatch: pytest.MonkeyPatch) -> None:
    import rasa

    from assistant import rasa_patches

    monkeypatch.setattr(rasa, "__version__", "3.7.0")
    with pytest.raises(RuntimeError, match=r"written for Rasa 3\.6\.21"):
        rasa_patches.apply()


def test_a_token_beginning_with_a_dash_reaches_rasa_as_the_token(monkeypatch: pytest.MonkeyPatch) -> None:
    """`secrets.token_urlsafe` starts with "-" once in 64 draws: Rasa must still start (argparse exit 2)."""
    from rasa.__main__ import create_argument_parser

    from assistant import rasa_server

    monkeypatch.setenv("RASA_TOKEN", "-Xy_12ab")
    get_settings.cache_clear()
    try:
        arguments = rasa_server.rasa_arguments(["--port", "5005"])
    finally:
        get_settings.cache_clear()
    parsed = create_argument_parser().parse_args(arguments[1:])
    assert parsed.auth_token == "-Xy_12ab" and parsed.port == 5005
