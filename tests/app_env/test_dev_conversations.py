"""The development conversations of tests/data/dev_conversations/ (follow-ups, clarification then
choice, in fr, ar, Darija, Arabizi and en) on the real knowledge base, turn by turn, the context
carried as the knowledge action carries it (slots `kb_subject`, `kb_facet`, the options offered).
Each turn's intent is the one written beside it (what the NLU should read); the same file runs
through the real stack with `python -m bench.conversations --dir tests/data/dev_conversations`.
A turn expecting a response or a form (intent boundaries, code_switch.yml) is the NLU's and the
actions' job, checked on the real stack only; a turn marked `miss` (with its reason) is one the
search still gets wrong, counted only on the real stack."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.app_env.test_clarification_dialogues import Dialogue, index

DEV = Path(__file__).resolve().parents[1] / "data" / "dev_conversations"
CONVERSATIONS: dict[str, dict[str, Any]] = {
    c["id"]: c for path in sorted(DEV.glob("*.yml")) for c in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]
}
ANSWER_LANGUAGE = {"fr": "fr", "arabizi": "fr", "ar": "ar", "darija": "ar", "en": "en"}


def test_there_are_enough_dev_conversations_in_every_variety() -> None:
    varieties = [c["variety"] for c in CONVERSATIONS.values()]
    assert len(varieties) >= 40 and all(varieties.count(v) >= 5 for v in ANSWER_LANGUAGE)


@pytest.mark.parametrize("name", sorted(CONVERSATIONS))
def test_dev_conversation(name: str) -> None:
    conversation = CONVERSATIONS[name]
    dialogue = Dialogue(ANSWER_LANGUAGE[conversation["variety"]])
    topics = {e.id: e.topic for e in index().entries}
    for number, turn in enumerate(conversation["turns"], 1):
        if "press" in turn:
            assert turn["press"] in {e.id for e in dialogue.options}, (name, number, "no such option")
            result = dialogue.turn("", None, entry_id=turn["press"])
        else:
            result = dialogue.turn(turn["say"], turn.get("intent"))
        expect = turn["expect"]
        if ("entry" not in expect and "clarify" not in expect) or "miss" in turn:
            # a response, a form or a boundary: the NLU's and actions' job, checked on the real stack;
            # a turn marked `miss` is one the search still gets wrong (the reason is written there)
            continue
        where = (name, number, turn.get("say"), [h.entry.id for h in result.hits], [e.id for e in result.options])
        if "clarify" in expect:
            options = [e.id for e in result.options[:3]]
            wanted = set(expect["clarify"])
            # the options include an expected one, and all are of the expected ones' topics
            assert result.ambiguous and wanted & set(options), where
            assert {topics[o] for o in options} <= {topics[w] for w in wanted}, where
        elif expect.get("response") == "utter_kb_not_found":
            # what the knowledge action says "not in my sources" to: no answer, no clarifying question
            assert result.outside is None and not (result.hits and (result.confident or result.worth_asking)), where
        else:
            wanted = {expect["entry"]} if isinstance(expect["entry"], str) else set(expect["entry"])
            assert result.confident and not result.ambiguous and result.best, where
            assert result.best.entry.id in wanted, where
