"""The domain, the response catalog and the action server agree."""

from __future__ import annotations

from typing import Any

import yaml
from rasa_sdk.executor import ActionExecutor

from assistant.languages import LANGUAGES
from assistant.responses import load_catalog
from assistant.service.i18n import STRINGS
from assistant.settings import ROOT

DOMAIN = yaml.safe_load((ROOT / "domain.yml").read_text(encoding="utf-8"))
RASA_DEFAULT_ACTIONS = {"action_validate_slot_mappings"}  # listed in the domain, served by our ValidationAction


def registered_actions() -> set[str]:
    executor = ActionExecutor()
    executor.register_package("assistant.actions")
    return set(executor.actions)


def test_domain_actions_and_registered_actions_are_the_same_set() -> None:
    domain_actions = set(DOMAIN["actions"])
    assert domain_actions == registered_actions()


def all_responses() -> dict[str, list[dict[str, Any]]]:
    return {**DOMAIN["responses"], **load_catalog()}


def test_no_response_is_defined_twice() -> None:
    assert not set(DOMAIN["responses"]) & set(load_catalog())


def test_every_response_exists_in_french_arabic_and_english() -> None:
    for name, variations in all_responses().items():
        languages = []
        for variation in variations:
            condition = variation.get("condition") or []
            assert len(condition) == 1 and condition[0]["name"] == "language", name
            languages.append(condition[0]["value"])
            assert variation.get("text"), name
        assert sorted(languages) == sorted(LANGUAGES), f"{name} has {languages}"


def test_arabic_variations_are_in_arabic_and_buttons_are_translated() -> None:
    for name, variations in all_responses().items():
        by_language = {v["condition"][0]["value"]: v for v in variations}
        # the language picker is trilingual on purpose; a staff message is the staff's own words;
        # a plan message is rendered in the conversation's language from assistant/plan/texts.yml
        if name not in {"utter_choose_language", "utter_staff_message", "utter_plan_message"}:
            assert any("\u0600" <= ch <= "\u06ff" for ch in by_language["ar"]["text"]), name
        counts = {lang: len(v.get("buttons") or []) for lang, v in by_language.items()}
        assert len(set(counts.values())) == 1, f"{name}: buttons differ between languages {counts}"
        payloads = {lang: [b["payload"] for b in v.get("buttons") or []] for lang, v in by_language.items()}
        assert payloads["fr"] == payloads["ar"] or name in {"utter_ask_case_stage", "utter_ask_case_region"}, name


def test_every_form_slot_has_an_ask_action() -> None:
    actions = set(DOMAIN["actions"])
    for slot in DOMAIN["forms"]["case_form"]["required_slots"]:
        assert f"action_ask_{slot}" in actions or f"utter_ask_{slot}" in all_responses(), slot


def test_console_strings_exist_in_every_language() -> None:
    for key, texts in STRINGS.items():
        assert sorted(texts) == sorted(LANGUAGES), key
        assert all(texts[lang].strip() for lang in LANGUAGES), key
        assert any("\u0600" <= ch <= "\u06ff" for ch in texts["ar"]), key
