"""Calibration of the out-of-base detection on the DEV sets only (#11).

`python -m bench.kb_calibrate parse` (Rasa environment) parses, once, with the trained model:
the out-of-base dev sets (tests/data/kb_outside.yml, never trained on; tests/data/kb_outside_fresh.yml,
written apart to estimate how the detection generalises: nothing learns from it), the written near-base
questions the out-of-base evidence learns from (assistant/kb/near_questions.yml), the entries' own
example questions, the NLU's knowledge-base training examples (data/nlu/*/questions.yml) and its dev
messages read as knowledge-base questions (tests/rasa_env/nlu_dev.yml, for bench/kb_outside.py); the
parses go to bench/results/kb_calibration.json.
`python -m bench.kb_calibrate` (either environment) then runs this checkout's search over them,
with the learnt evidence on (`KB_LEARNT=0`: off):
- out-of-base questions answered with an entry (false-confident): the dev set, and the near-base
  questions (training examples of the evidence: a figure on its own training data);
- entry questions: each entry's example questions, searched in an index whose entries have no
  example questions (a question never finds its own words), answered with their entry;
- written in-base questions (assistant/kb/base_questions.yml) answered with their entry (training
  examples of the evidence too; `sweep` leaves each fold out);
- NLU examples: knowledge-base questions the NLU was trained on (no entry label) answered
  with an entry at all: a cost counter, what a stricter detection refuses.
`python -m bench.kb_calibrate sweep` (either environment) chooses the learnt evidence's threshold:
the search without it, each near-base, written in-base (assistant/kb/base_questions.yml) and NLU
question then scored by a `NearBase` trained without its fold; per threshold, what is still
answered.
The held-out sets (kb_heldout.yml, kb_outside_heldout.yml) are never read here: `make bench-kb`
measures them.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
import os
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import yaml

from assistant.contract import INTENT_TOPICS
from assistant.kb import decision
from assistant.kb.evidence import NEAR_QUESTIONS, NearBase, base_questions, short_texts
from assistant.kb.schema import load_directory
from assistant.kb.search import KnowledgeIndex, Query, subjects_from_entities
from assistant.kb.terms import content_terms
from assistant.kb.vocabulary import build_vocabulary, read_vocabulary_documents
from assistant.languages import VARIETIES
from assistant.settings import ROOT

DEV_SETS = ("kb_outside", "kb_outside_fresh", "kb_outside_dev2", "kb_outside_dev2_check", "kb_outside_dev3",
            "kb_outside_dev3_check", "kb_outside_dev4", "kb_outside_dev5", "kb_outside_dev6",
            "kb_outside_dev7", "kb_outside_dev8", "kb_outside_dev9", "kb_outside_dev10", "kb_outside_dev10_check",
            "near_questions")
#: sets measured in aggregate only: a mechanism is tuned without reading their questions' answers
CHECK_SETS = frozenset({"kb_outside_dev2_check", "single_dev2_check", "kb_outside_dev3_check",
                        "kb_outside_dev10_check"})
PARSES = ROOT / "bench" / "results" / "kb_calibration.json"
MODEL = ROOT / "models" / "assistant.tar.gz"


def texts() -> dict[str, list[dict[str, Any]]]:
    """Every calibration question: {"set": [{"text", "variety", "expected"?}]}."""
    out: dict[str, list[dict[str, Any]]] = {}
    for name, path in (("kb_outside", ROOT / "tests" / "data" / "kb_outside.yml"),
                       ("kb_outside_fresh", ROOT / "tests" / "data" / "kb_outside_fresh.yml"),
                       ("kb_outside_dev2", ROOT / "tests" / "data" / "kb_outside_dev2.yml"),
                       ("kb_outside_dev2_check", ROOT / "tests" / "data" / "kb_outside_dev2_check.yml"),
                       ("kb_outside_dev3", ROOT / "tests" / "data" / "kb_outside_dev3.yml"),
                       ("kb_outside_dev3_check", ROOT / "tests" / "data" / "kb_outside_dev3_check.yml"),
                       ("kb_outside_dev4", ROOT / "tests" / "data" / "kb_outside_dev4.yml"),
                       ("kb_outside_dev5", ROOT / "tests" / "data" / "kb_outside_dev5.yml"),
                       ("kb_outside_dev6", ROOT / "tests" / "data" / "kb_outside_dev6.yml"),
                       ("kb_outside_dev7", ROOT / "tests" / "data" / "kb_outside_dev7.yml"),
                       ("kb_outside_dev8", ROOT / "tests" / "data" / "kb_outside_dev8.yml"),
                       ("kb_outside_dev9", ROOT / "tests" / "data" / "kb_outside_dev9.yml"),
                       ("kb_outside_dev10", ROOT / "tests" / "data" / "kb_outside_dev10.yml"),
                       ("kb_outside_dev10_check", ROOT / "tests" / "data" / "kb_outside_dev10_check.yml"),
                       ("near_questions", NEAR_QUESTIONS)):
        out[name] = [{"text": q["text"], "variety": q["variety"]}
                     for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]
    out["base_questions"] = [{"text": q["text"], "variety": q["variety"], "expected": q["entry"]} for q in base_questions()]
    out["entry_questions"] = [
        {"text": q, "variety": v, "expected": e.id}
        for e in load_directory(ROOT / "knowledge") for v in VARIETIES for q in e.questions.get(v, [])
    ]
    nlu: list[dict[str, Any]] = []
    for path in sorted((ROOT / "data" / "nlu").glob("*/questions.yml")):
        for block in yaml.safe_load(path.read_text(encoding="utf-8"))["nlu"]:
            if block.get("intent") in INTENT_TOPICS:
                nlu += [{"text": line[2:].strip(), "variety": path.parent.name}
                        for line in block["examples"].splitlines() if line.startswith("- ")]
    out["nlu_examples"] = nlu
    # the NLU's dev messages read as knowledge-base questions (tests/rasa_env/nlu_dev.yml, never trained on)
    dev = yaml.safe_load((ROOT / "tests" / "rasa_env" / "nlu_dev.yml").read_text(encoding="utf-8"))["messages"]
    out["nlu_dev"] = [{"text": m["text"], "variety": m.get("group", "")} for m in dev
                      if set(m.get("intents") or []) & set(INTENT_TOPICS)]
    return out


def parse(out: dict[str, list[dict[str, Any]]], path: Path = PARSES) -> None:
    """Each question's intent, confidence and entities from the trained model, written to `path`
    with the sets (once: the searches are then run over these parses)."""
    asyncio.run(parse_into(out))
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, ensure_ascii=False, indent=1), encoding="utf-8")


async def parse_into(out: dict[str, list[dict[str, Any]]]) -> None:
    from rasa.core.agent import Agent

    from bench.kb import parse_all, quiet_rasa

    quiet_rasa()
    agent = Agent.load(str(MODEL))
    for items in out.values():
        for item, parsed in zip(items, await parse_all(agent, [q["text"] for q in items]), strict=True):
            item.update(intent=parsed["intent"], confidence=parsed["confidence"], entities=parsed["entities"])


def answered(index: KnowledgeIndex, item: dict[str, Any]) -> str | None:
    """The entry the user gets, or None (out of scope, outside, unsure)."""
    if item["intent"] == "out_of_scope":
        return None
    subjects = subjects_from_entities(item["entities"], index.vocabulary)
    result = index.search(Query(item["text"], item["intent"], item["confidence"], subjects))
    if result.outside or not result.confident or not result.best:
        return None
    return result.best.entry.id


def evaluate(verbose: bool = False) -> dict[str, Any]:
    data = json.loads(PARSES.read_text(encoding="utf-8"))
    entries = load_directory(ROOT / "knowledge")
    vocabulary = build_vocabulary(entries, read_vocabulary_documents(ROOT / "knowledge"))
    learnt = os.environ.get("KB_LEARNT", "1") == "1"
    index = KnowledgeIndex(entries, vocabulary, learnt=learnt)
    report: dict[str, Any] = {}

    def show(label: str, rows: list[tuple[Any, ...]]) -> None:
        for row in rows if verbose else []:
            print(label, *row, sep=" | ")

    for name in DEV_SETS:
        wrong = [(q["variety"], q["text"], got) for q in data[name] if (got := answered(index, q))]
        report[name] = f"{len(wrong)}/{len(data[name])}"
        if name not in CHECK_SETS:
            show(name, wrong)
    blind = KnowledgeIndex([dataclasses.replace(e, questions={}) for e in entries], vocabulary, learnt=learnt)
    per_variety: Counter[str] = Counter()
    lost: list[tuple[Any, ...]] = []
    for q in data["entry_questions"]:
        got = answered(blind, q)
        per_variety[q["variety"]] += got == q["expected"]
        if got != q["expected"]:
            lost.append((q["variety"], q["text"], q["expected"], got))
    report["entry_questions"] = f"{sum(per_variety.values())}/{len(data['entry_questions'])} {dict(per_variety)}"
    written = sum(answered(index, q) == q["expected"] for q in data["base_questions"])
    report["base_questions"] = f"{written}/{len(data['base_questions'])} (its own training data)"
    refused = [(q["variety"], q["text"]) for q in data["nlu_examples"] if not answered(index, q)]
    report["nlu_examples_answered"] = f"{len(data['nlu_examples']) - len(refused)}/{len(data['nlu_examples'])}"
    show("entry_questions", lost)
    show("nlu_refused", refused)
    return report


FOLDS = 5
THRESHOLDS = (3.0, 4.0, 5.0, 6.0, 7.0, 8.0)
TRAINED = ("near_questions", "base_questions", "nlu_examples")  # the sets NearBase learns from


@dataclasses.dataclass(frozen=True)
class Row:
    ok: bool  # answered (with its entry where known) by the search without the learnt evidence
    odds: float  # NearBase's log-odds, trained without the question
    coverage: float = 1.0  # the share of the question's words its answer's entry holds (when asked for)


def left_out_rows(data: dict[str, list[dict[str, Any]]], fold_of: dict[str, list[int]] | None = None,
                  coverage: bool = False) -> dict[str, list[Row]]:
    """Every parsed question searched without the learnt evidence, then scored by a `NearBase` that
    never saw it: a question of a set it learns from (TRAINED) by the model trained without its
    fold (`fold_of[set][i]` in range(FOLDS); default: i % FOLDS); an entry's example question by
    a model trained without them, in an index whose entries lack them (it never finds its own
    words); any other by the model trained on everything. The entries' short texts stay in."""
    entries = load_directory(ROOT / "knowledge")
    vocabulary = build_vocabulary(entries, read_vocabulary_documents(ROOT / "knowledge"))
    index = KnowledgeIndex(entries, vocabulary, learnt=False)
    blind = KnowledgeIndex([dataclasses.replace(e, questions={}) for e in entries], vocabulary, learnt=False)
    terms = {name: [index.question_terms(q["text"])[1] for q in items] for name, items in data.items()}
    folds_of = fold_of or {name: [i % FOLDS for i in range(len(data[name]))] for name in TRAINED}

    def model(fold: int | None, short: list[list[str]]) -> NearBase:
        def keep(name: str) -> list[list[str]]:
            return [t for t, k in zip(terms[name], folds_of[name], strict=True) if fold is None or k != fold]
        return NearBase([*short, *keep("nlu_examples"), *keep("base_questions")], keep("near_questions"))

    short = [content_terms(t) for t in short_texts(entries)]
    folds = [model(k, short) for k in range(FOLDS)]
    full = model(None, short)
    blind_model = model(None, [content_terms(t) for t in short_texts(blind.entries)])
    rows: dict[str, list[Row]] = {}
    for name, items in data.items():
        searcher = blind if name == "entry_questions" else index
        rows[name] = []
        for i, q in enumerate(items):
            got = answered(searcher, q)
            ok = got == q["expected"] if "expected" in q else got is not None
            nb = folds[folds_of[name][i]] if name in folds_of else blind_model if name == "entry_questions" else full
            share = covered(searcher, q, terms[name][i]) if ok and coverage else 1.0
            rows[name].append(Row(ok, nb.odds(terms[name][i]), share))
    return rows


def covered(searcher: KnowledgeIndex, q: dict[str, Any], terms: list[str]) -> float:
    """The share of the question's words the entry it gets holds (decision.coverage)."""
    subjects = subjects_from_entities(q["entities"], searcher.vocabulary)
    result = searcher.search(Query(q["text"], q["intent"], q["confidence"], subjects))
    if not result.best:
        return 1.0
    return decision.coverage(terms, searcher.bm25.tf[searcher.entries.index(result.best.entry)])


def sweep() -> None:
    """The learnt evidence's threshold on written sets, each example left out of its training.

    The search runs once without the learnt part; an answer is refused at threshold t when the
    question's log-odds exceed t under a `NearBase` trained without the question's fold (of the
    near-base questions, the written in-base ones and the NLU's examples; the entries' short texts
    stay in). Printed per threshold: near-base and dev out-of-base questions still answered,
    written in-base and entry questions answered with their entry, NLU examples answered.
    """
    rows = left_out_rows(json.loads(PARSES.read_text(encoding="utf-8")))
    print("threshold | " + " | ".join(rows))
    for t in (float("inf"), *THRESHOLDS):
        print(f"{t} | " + " | ".join(f"{sum(r.ok and r.odds <= t for r in rs)}/{len(rs)}" for rs in rows.values()))


def main() -> int:
    if sys.argv[1:] == ["sweep"]:
        sweep()
        return 0
    if sys.argv[1:] == ["parse"]:
        parse(texts())
        return 0
    for key, value in evaluate(verbose="-v" in sys.argv).items():
        print(f"{key}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
