"""First messages as people type them (#10 part 3: typos, SMS spellings, greetings and thanks
around the question, code-switching between French, Darija, Arabizi, MSA and English), on the
real knowledge base's search, with the intent the NLU should read written beside each message.
The questions (tests/data/dev_first_turns/) were written from /work/shared/how-people-write.md
and the entries, independently of the held-out sets; the same file runs through the real stack
(NLU, language, actions) with `python -m bench.conversations --runs current --dir
tests/data/dev_first_turns`. A message marked `miss` is one the search still answers wrongly
(the reason is written there): it counts against the floor, it is not asserted alone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
import yaml

from assistant.actions.message_search import search_message
from assistant.kb.search import Query
from assistant.nlu.langid import identify
from tests.app_env.test_clarification_dialogues import index

DEV = Path(__file__).resolve().parents[1] / "data" / "dev_first_turns"
ITEMS: dict[str, dict[str, Any]] = {
    c["id"]: c for path in sorted(DEV.glob("*.yml")) for c in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]
}
ANSWER_LANGUAGE = {"fr": "fr", "arabizi": "fr", "ar": "ar", "darija": "ar", "en": "en"}
#: share of the messages of each variety the search must answer as expected
FLOOR = 0.85


def answered(item: dict[str, Any]) -> bool:
    """Whether the search answers the message as expected (an entry, or a clarifying question)."""
    turn = item["turns"][0]
    expect = turn["expect"]
    result = search_message(index(), Query(text=turn["say"], intent=turn["intent"], intent_confidence=0.95))
    if "clarify" in expect:
        return result.ambiguous and bool(set(expect["clarify"]) & {e.id for e in result.options})
    wanted = {expect["entry"]} if isinstance(expect["entry"], str) else set(expect["entry"])
    return bool(result.confident and not result.ambiguous and not result.outside and result.best
                and result.best.entry.id in wanted)


def test_every_variety_has_many_first_messages() -> None:
    varieties = [c["variety"] for c in ITEMS.values()]
    assert all(varieties.count(v) >= 20 for v in ANSWER_LANGUAGE)


@pytest.mark.parametrize("name", sorted(n for n, c in ITEMS.items() if "miss" not in c["turns"][0]))
def test_first_message_is_answered(name: str) -> None:
    assert answered(ITEMS[name]), ITEMS[name]["turns"][0]


@pytest.mark.parametrize("variety", sorted(ANSWER_LANGUAGE))
def test_most_first_messages_of_each_variety_are_answered(variety: str) -> None:
    items = [c for c in ITEMS.values() if c["variety"] == variety]
    missed = [c["turns"][0]["say"] for c in items if not answered(c)]
    assert 1 - len(missed) / len(items) >= FLOOR, missed


@pytest.mark.parametrize("name", sorted(n for n, c in ITEMS.items() if c["variety"] != "en" or len(c["turns"][0]["say"].split()) > 2))
def test_first_message_language_is_identified(name: str) -> None:
    """The answer's language from the first message alone (a two-word English message such as
    "minimum capital?" has no word that is not also French: left out)."""
    item = ITEMS[name]
    assert identify(item["turns"][0]["say"]).language == ANSWER_LANGUAGE[item["variety"]]
