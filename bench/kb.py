"""Knowledge-base evaluation on the held-out questions (`make bench-kb`).

For each question of tests/data/kb_heldout.yml (never used for training or content):
the trained Rasa model gives the intent and entities, the search ranks the entries.
Reported per variety (fr, ar, Darija, Arabizi, en): top-1 and top-3 accuracy of the
full pipeline, the false-confident rate on tests/data/kb_outside.yml (questions no entry
covers that were nevertheless answered with an entry), beside a plain BM25 baseline on the same questions (lower-cased
whitespace tokens over the entries' texts: no normalisation, no stemming, no intent,
no entities), and the intent F1 from Rasa's NLU evaluation (`rasa.nlu.test`) on the
same questions labelled with their entry's topic. Runs in the Rasa environment.
"""

from __future__ import annotations

import asyncio
import json
import re
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from assistant.contract import INTENT_TOPICS
from assistant.kb.schema import Entry, load_directory
from assistant.kb.search import BM25, KnowledgeIndex, Query, subjects_from_entities
from assistant.kb.vocabulary import build_vocabulary, read_vocabulary_documents
from assistant.languages import VARIETIES
from assistant.settings import ROOT

HELDOUT = ROOT / "tests" / "data" / "kb_heldout.yml"
OUTSIDE = ROOT / "tests" / "data" / "kb_outside.yml"  # questions no entry covers
MODEL = ROOT / "models" / "assistant.tar.gz"
RESULTS = ROOT / "bench" / "results"
REPORT_ORDER = ("fr", "ar", "darija", "arabizi", "en")  # rows of the table
TOPIC_INTENT = {topic: intent for intent, topic in INTENT_TOPICS.items()}


@dataclass
class Score:
    n: int = 0
    top1: int = 0
    top3: int = 0
    misses: list[dict[str, Any]] = field(default_factory=list)

    def add(self, ok: bool, ok3: bool, miss: dict[str, Any]) -> None:
        self.n += 1
        self.top1 += ok
        self.top3 += ok3
        if not ok:
            self.misses.append(miss)

    def rate(self, which: str) -> float:
        return (self.top1 if which == "top1" else self.top3) / self.n if self.n else 0.0


def questions(path: Path = HELDOUT) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["questions"])


def answered_with_entry(result: Any) -> bool:
    """An out-of-base question counts as false-confident when an entry is given as the answer."""
    return bool(result.hits) and result.confident and result.outside is None


def plain_tokens(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


class PlainBM25:
    """The baseline: BM25 over raw lower-cased words of every language of each entry."""

    def __init__(self, entries: list[Entry]) -> None:
        self.entries = entries
        self.bm25 = BM25([plain_tokens(" ".join(e.search_text(v) for v in VARIETIES)) for e in entries])

    def rank(self, text: str) -> list[str]:
        scores = self.bm25.scores(plain_tokens(text))
        order = sorted(range(len(scores)), key=lambda i: -scores[i])
        return [self.entries[i].id for i in order if scores[i] > 0][:3]


def build_index() -> tuple[KnowledgeIndex, list[Entry]]:
    directory = ROOT / "knowledge"
    entries = load_directory(directory)
    return KnowledgeIndex(entries, build_vocabulary(entries, read_vocabulary_documents(directory))), entries


def query_from_parse(text: str, parse: dict[str, Any], index: KnowledgeIndex) -> Query:
    intent = parse.get("intent") or {}
    subjects = subjects_from_entities(parse.get("entities") or [], index.vocabulary)
    return Query(text, intent.get("name"), float(intent.get("confidence") or 0), subjects)


async def evaluate(model: Path = MODEL) -> dict[str, Any]:
    from rasa.core.agent import Agent

    index, entries = build_index()
    baseline = PlainBM25(entries)
    agent = Agent.load(str(model))
    topics = {e.id: e.topic for e in entries}
    full: dict[str, Score] = defaultdict(Score)
    plain: dict[str, Score] = defaultdict(Score)
    by_variety: dict[str, list[tuple[str, str]]] = defaultdict(list)
    started = time.perf_counter()
    items = questions()
    for item in items:
        text, variety = item["text"], item["variety"]
        accepted = {item["expected"], *item.get("also_ok", [])}
        parse = await agent.parse_message(text)
        result = index.search(query_from_parse(text, parse, index))
        ranked = [h.entry.id for h in result.hits]
        ok = bool(ranked) and ranked[0] in accepted and result.confident
        full[variety].add(ok, bool(accepted & set(ranked[:3])), {"text": text, "expected": item["expected"], "got": ranked[:3], "confident": result.confident})
        base = baseline.rank(text)
        plain[variety].add(bool(base) and base[0] in accepted, bool(accepted & set(base)), {})
        by_variety[variety].append((text, TOPIC_INTENT[topics[item["expected"]]]))
    elapsed = time.perf_counter() - started
    outside: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # variety -> [answered, total]
    outside_misses: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for item in questions(OUTSIDE):
        text, variety = item["text"], item["variety"]
        parse = await agent.parse_message(text)
        result = index.search(query_from_parse(text, parse, index))
        wrong = answered_with_entry(result)
        outside[variety][0] += wrong
        outside[variety][1] += 1
        if wrong:
            outside_misses[variety].append({"text": text, "got": result.hits[0].entry.id})
    intent_f1 = await intent_scores(agent, by_variety)
    return {
        "questions": len(items),
        "seconds_per_question": elapsed / len(items),
        "varieties": {
            v: {
                "n": full[v].n,
                "top1": full[v].rate("top1"),
                "top3": full[v].rate("top3"),
                "baseline_top1": plain[v].rate("top1"),
                "baseline_top3": plain[v].rate("top3"),
                "intent_f1": intent_f1.get(v),
                "outside_n": outside[v][1],
                "false_confident": outside[v][0] / outside[v][1] if outside[v][1] else None,
                "misses": full[v].misses,
                "outside_misses": outside_misses[v],
            }
            for v in REPORT_ORDER
            if full[v].n
        },
    }


async def intent_scores(agent: Any, by_variety: dict[str, list[tuple[str, str]]]) -> dict[str, float]:
    """Weighted intent F1 per variety from Rasa's own NLU evaluation (rasa.nlu.test)."""
    from rasa.nlu.test import run_evaluation

    scores: dict[str, float] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for variety, pairs in by_variety.items():
            grouped: dict[str, list[str]] = defaultdict(list)
            for text, intent in pairs:
                grouped[intent].append(text)
            data = {"version": "3.1", "nlu": [
                {"intent": intent, "examples": "".join(f"- {t.replace(chr(10), ' ')}\n" for t in texts)}
                for intent, texts in grouped.items()
            ]}
            path = Path(tmp) / f"{variety}.yml"
            path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
            report = await run_evaluation(str(path), agent.processor, output_directory=str(Path(tmp) / variety),
                                          disable_plotting=True, report_as_dict=True)
            scores[variety] = float(report["intent_evaluation"]["report"]["weighted avg"]["f1-score"])
    return scores


def markdown(results: dict[str, Any]) -> str:
    names = {"fr": "French", "ar": "Arabic (MSA)", "darija": "Darija (Arabic script)", "arabizi": "Darija (Arabizi)", "en": "English"}
    lines = [
        "| Variety | Questions | Top-1 | Top-3 | Intent F1 | Baseline BM25 top-1 | Baseline top-3 | Out-of-base questions | False-confident |",
        "|---|---|---|---|---|---|---|---|---|",
    ]
    for v, r in results["varieties"].items():
        lines.append(
            f"| {names[v]} | {r['n']} | {r['top1']:.2f} | {r['top3']:.2f} | {r['intent_f1']:.2f} | "
            f"{r['baseline_top1']:.2f} | {r['baseline_top3']:.2f} | {r['outside_n']} | "
            + (f"{r['false_confident']:.2f} |" if r["false_confident"] is not None else "- |")
        )
    return "\n".join(lines)


def quiet_rasa() -> None:
    import logging

    from rasa.utils.log_utils import configure_structlog

    logging.basicConfig(level=logging.WARNING)
    for name in ("rasa", "tensorflow", "absl"):
        logging.getLogger(name).setLevel(logging.WARNING)
    configure_structlog(logging.WARNING)


def main() -> int:
    quiet_rasa()
    if not MODEL.exists():
        print("no trained model: run `make train` first")
        return 1
    results = asyncio.run(evaluate())
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "kb.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    table = markdown(results)
    (RESULTS / "kb.md").write_text(table + "\n", encoding="utf-8")
    print(f"\nKnowledge-base retrieval on {results['questions']} held-out questions "
          f"({results['seconds_per_question'] * 1000:.0f} ms per question, NLU + search):\n")
    print(table)
    misses = Counter(m["expected"] for r in results["varieties"].values() for m in r["misses"])
    print(f"\nMost missed entries: {misses.most_common(5)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
