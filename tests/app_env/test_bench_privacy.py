"""The benchmarks' held-out results keep counts, never an example's text (bench/results/ is read
by people who must not see the held-out sets); dev-set results keep the text, to be read."""

from __future__ import annotations

import json
from pathlib import Path

from bench.conversations import HELDOUT, Conversation, Outcome, Turn, failure_counts, is_heldout
from bench.kb import false_confident, in_base_scores

SECRET = "ana bghit nhel chi charika f tanja"


def outcome(failures: list[tuple[str, str]], variety: str = "darija", tags: tuple[str, ...] = ("typo_sms",)) -> Outcome:
    conversation = Conversation("darija-secret-id", variety, list(tags), [Turn(SECRET, None, {})])
    return Outcome(conversation, not failures, [f"turn 1 {SECRET!r}: {text}" for _, text in failures],
                   [kind for kind, _ in failures])


def test_held_out_conversation_results_are_counts_without_ids_or_text() -> None:
    outcomes = [outcome([("entry → clarified (turn 1)", f"[entry → clarified] {SECRET}"),
                         ("language (turn 1)", f"[language] {SECRET}")]),
                outcome([("form slot (turn 2+)", "[form slot] ...")], variety="fr", tags=("form",)),
                outcome([])]
    counts = failure_counts(outcomes)
    written = json.dumps(counts, ensure_ascii=False)
    assert SECRET not in written and "secret-id" not in written
    assert counts["conversations"] == 3 and counts["failed"] == 2
    assert counts["first_failure_kinds"] == {"entry → clarified (turn 1)": 1, "form slot (turn 2+)": 1}
    assert counts["failure_kinds"]["language (turn 1)"] == 1
    assert counts["first_failure_kinds_by_group"]["typo_sms"] == {"entry → clarified (turn 1)": 1}


def test_only_the_held_out_folder_counts_as_held_out(tmp_path: Path) -> None:
    assert is_heldout(HELDOUT) and is_heldout(HELDOUT / "sub")
    assert not is_heldout(Path("tests/data/dev_conversations")) and not is_heldout(tmp_path)


def test_knowledge_base_misses_are_kinds_and_only_dev_false_confident_keep_text() -> None:
    items = [{"text": SECRET, "variety": "darija", "expected": "a"}, {"text": "ok", "variety": "darija", "expected": "b"}]
    parses = [{"intent": "ask_x", "confidence": 0.9}, {"intent": "ask_x", "confidence": 0.9}]
    results = [{"ranked": ["c", "a"], "confident": True, "outside": False},
               {"ranked": ["b"], "confident": True, "outside": False}]
    score = in_base_scores(items, parses, results)["darija"]
    assert (score.n, score.top1, score.top3) == (2, 1, 2)
    assert score.miss_kinds == {"another entry first, answered": 1} and score.missed_entries == {"a": 1}
    assert SECRET not in repr(score)
    heldout = false_confident(items, parses, results)["darija"]
    dev = false_confident(items, parses, results, with_text=True)["darija"]
    assert heldout == (2, 2, []) and [q["text"] for q in dev[2]] == [SECRET, "ok"]
