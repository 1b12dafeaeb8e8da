"""Knowledge-base evaluation on the held-out questions (`make bench-kb`).

For each question of tests/data/kb_heldout.yml (never used for training or content):
the trained Rasa model gives the intent and entities, the search ranks the entries.
Reported per variety (fr, ar, Darija, Arabizi, en): top-1 and top-3 accuracy of the
full pipeline and the false-confident rate (out-of-base questions answered with an entry)
on the dev set tests/data/kb_outside.yml (thresholds are calibrated on it) and on the
held-out set tests/data/kb_outside_heldout.yml (written afresh, never tuned on). Beside
them, in the same run and from the same NLU parses: the search of a baseline commit
(BASELINE, default main before issue #11; see bench/kb_search.py) and a plain BM25
(lower-cased whitespace tokens over the entries' texts: no normalisation, no stemming,
no intent, no entities), and the intent F1 from Rasa's NLU evaluation (`rasa.nlu.test`)
on the in-base questions labelled with their entry's topic. Runs in the Rasa environment.
Writes bench/results/kb.{md,json}: for the held-out questions only counts (misses by kind and
by expected entry, false-confident answers), never their text; the dev out-of-base questions
answered with an entry are listed with their text.
"""

from __future__ import annotations

import asyncio
import json
import os
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
from assistant.kb.bm25 import BM25
from assistant.kb.schema import Entry, load_directory
from assistant.languages import VARIETIES
from assistant.settings import ROOT
from bench.kb_search import DEFAULT_BASELINE, answered_with_entry, baseline_root, search_all

HELDOUT = ROOT / "tests" / "data" / "kb_heldout.yml"
OUTSIDE = {  # questions no entry covers
    "dev": ROOT / "tests" / "data" / "kb_outside.yml",  # thresholds are calibrated on it
    "heldout": ROOT / "tests" / "data" / "kb_outside_heldout.yml",  # only measures
}
MODEL = ROOT / "models" / "assistant.tar.gz"
RESULTS = ROOT / "bench" / "results"
REPORT_ORDER = ("fr", "ar", "darija", "arabizi", "en")  # rows of the table
TOPIC_INTENT = {topic: intent for intent, topic in INTENT_TOPICS.items()}


@dataclass
class Score:
    """Top-1/top-3 counts; a miss is kept as its kind and expected entry (held-out: no text)."""

    n: int = 0
    top1: int = 0
    top3: int = 0
    miss_kinds: Counter[str] = field(default_factory=Counter)
    missed_entries: Counter[str] = field(default_factory=Counter)

    def add(self, ok: bool, ok3: bool, kind: str = "", expected: str = "") -> None:
        self.n += 1
        self.top1 += ok
        self.top3 += ok3
        if not ok:
            self.miss_kinds[kind] += 1
            self.missed_entries[expected] += 1

    def rate(self, which: str) -> float:
        return (self.top1 if which == "top1" else self.top3) / self.n if self.n else 0.0


def questions(path: Path = HELDOUT) -> list[dict[str, Any]]:
    return list(yaml.safe_load(path.read_text(encoding="utf-8"))["questions"])


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


async def parse_all(agent: Any, texts: list[str]) -> list[dict[str, Any]]:
    """Intent, confidence and entities of every question, once (shared by both searches)."""
    parses = []
    for text in texts:
        parse = await agent.parse_message(text)
        intent = parse.get("intent") or {}
        parses.append({
            "text": text, "intent": intent.get("name"), "confidence": float(intent.get("confidence") or 0),
            "entities": [{"entity": e.get("entity"), "value": e.get("value")} for e in parse.get("entities") or []],
        })
    return parses


def miss_kind(parse: dict[str, Any], result: dict[str, Any], accepted: set[str]) -> str:
    """Which mechanism a missed in-base question failed on (a count to look at, not the example)."""
    ranked = result["ranked"]
    if parse["intent"] == "out_of_scope":
        return "out_of_scope intent"
    if not ranked:
        return "nothing ranked"
    first = "right entry first" if ranked[0] in accepted else "another entry first"
    if answered_with_entry(parse, result):
        return f"{first}, answered"
    return f"{first}, {'outside' if result['outside'] else 'unsure'}"


def in_base_scores(items: list[dict[str, Any]], parses: list[dict[str, Any]],
                   results: list[dict[str, Any]]) -> dict[str, Score]:
    scores: dict[str, Score] = defaultdict(Score)
    for item, parse, result in zip(items, parses, results, strict=True):
        accepted = {item["expected"], *item.get("also_ok", [])}
        ranked = result["ranked"]
        ok = answered_with_entry(parse, result) and ranked[0] in accepted
        scores[item["variety"]].add(ok, bool(accepted & set(ranked[:3])), miss_kind(parse, result, accepted),
                                    item["expected"])
    return scores


def false_confident(items: list[dict[str, Any]], parses: list[dict[str, Any]], results: list[dict[str, Any]],
                    with_text: bool = False) -> dict[str, tuple[int, int, list[dict[str, Any]]]]:
    """variety -> (answered with an entry, questions, those questions: only `with_text`, for a dev set)."""
    out: dict[str, list[Any]] = defaultdict(lambda: [0, 0, []])
    for item, parse, result in zip(items, parses, results, strict=True):
        wrong = answered_with_entry(parse, result)
        row = out[item["variety"]]
        row[0] += wrong
        row[1] += 1
        if wrong and with_text:
            row[2].append({"text": item["text"], "got": result["ranked"][0], "intent": parse["intent"]})
    return {v: (r[0], r[1], r[2]) for v, r in out.items()}


async def evaluate(model: Path = MODEL, baseline: str = DEFAULT_BASELINE) -> dict[str, Any]:
    from rasa.core.agent import Agent

    entries = load_directory(ROOT / "knowledge")
    plain_bm25 = PlainBM25(entries)
    agent = Agent.load(str(model))
    topics = {e.id: e.topic for e in entries}
    items = questions()
    outside = {name: questions(path) for name, path in OUTSIDE.items()}
    started = time.perf_counter()
    parses = await parse_all(agent, [q["text"] for q in items])
    elapsed = time.perf_counter() - started
    outside_parses = {name: await parse_all(agent, [q["text"] for q in qs]) for name, qs in outside.items()}
    everything = parses + [p for name in OUTSIDE for p in outside_parses[name]]
    roots = {"current": ROOT, "baseline": baseline_root(baseline)}
    runs: dict[str, dict[str, Any]] = {}
    for which, root in roots.items():
        results = search_all(root, everything)
        mine, rest = results[: len(items)], results[len(items):]
        fc = {}
        for name, qs in outside.items():
            fc[name] = false_confident(qs, outside_parses[name], rest[: len(qs)], with_text=name == "dev")
            rest = rest[len(qs):]
        runs[which] = {"in_base": in_base_scores(items, parses, mine), "outside": fc}
    plain: dict[str, Score] = defaultdict(Score)
    by_variety: dict[str, list[tuple[str, str]]] = defaultdict(list)
    for item in items:
        accepted = {item["expected"], *item.get("also_ok", [])}
        base = plain_bm25.rank(item["text"])
        plain[item["variety"]].add(bool(base) and base[0] in accepted, bool(accepted & set(base)))
        by_variety[item["variety"]].append((item["text"], TOPIC_INTENT[topics[item["expected"]]]))
    intent_f1 = await intent_scores(agent, by_variety)

    def rate(row: tuple[int, int, list[Any]] | None) -> float | None:
        return row[0] / row[1] if row and row[1] else None

    now, before = runs["current"], runs["baseline"]
    return {
        "questions": len(items),
        "baseline": baseline,
        "seconds_per_question": elapsed / len(items),
        "varieties": {
            v: {
                "n": now["in_base"][v].n,
                "top1": now["in_base"][v].rate("top1"),
                "top3": now["in_base"][v].rate("top3"),
                "baseline_search_top1": before["in_base"][v].rate("top1"),
                "bm25_top1": plain[v].rate("top1"),
                "intent_f1": intent_f1.get(v),
                **{f"{name}_n": now["outside"][name].get(v, (0, 0, []))[1] for name in OUTSIDE},
                **{f"{name}_false_confident": rate(now["outside"][name].get(v)) for name in OUTSIDE},
                **{f"{name}_false_confident_baseline": rate(before["outside"][name].get(v)) for name in OUTSIDE},
                "miss_kinds": dict(now["in_base"][v].miss_kinds),
                "missed_entries": dict(now["in_base"][v].missed_entries),
                "dev_false_confident_questions": now["outside"]["dev"].get(v, (0, 0, []))[2],
            }
            for v in REPORT_ORDER
            if now["in_base"][v].n
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
    ref = results["baseline"]
    lines = [
        f"| Variety | Questions | Top-1 | Top-1 baseline {ref} | Top-3 | Intent F1 | Plain BM25 top-1 | "
        f"Out-of-base dev | False-confident dev (baseline) | Out-of-base held-out | False-confident held-out (baseline) |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]

    def fc(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    rows = list(results["varieties"].values())
    for v, r in results["varieties"].items():
        lines.append(
            f"| {names[v]} | {r['n']} | {r['top1']:.2f} | {r['baseline_search_top1']:.2f} | {r['top3']:.2f} | "
            f"{r['intent_f1']:.2f} | {r['bm25_top1']:.2f} | {r['dev_n']} | {fc(r['dev_false_confident'])} "
            f"({fc(r['dev_false_confident_baseline'])}) | {r['heldout_n']} | {fc(r['heldout_false_confident'])} "
            f"({fc(r['heldout_false_confident_baseline'])}) |"
        )
    n = sum(r["n"] for r in rows)

    def overall(key: str, weight: str) -> str:
        total = sum(r[weight] for r in rows if r[key] is not None)
        return fc(sum(r[key] * r[weight] for r in rows if r[key] is not None) / total if total else None)

    lines.append(
        f"| All | {n} | {overall('top1', 'n')} | {overall('baseline_search_top1', 'n')} | {overall('top3', 'n')} | - | "
        f"{overall('bm25_top1', 'n')} | {sum(r['dev_n'] for r in rows)} | {overall('dev_false_confident', 'dev_n')} "
        f"({overall('dev_false_confident_baseline', 'dev_n')}) | {sum(r['heldout_n'] for r in rows)} | "
        f"{overall('heldout_false_confident', 'heldout_n')} ({overall('heldout_false_confident_baseline', 'heldout_n')}) |"
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
    results = asyncio.run(evaluate(baseline=os.environ.get("BASELINE") or DEFAULT_BASELINE))
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "kb.json").write_text(json.dumps(results, ensure_ascii=False, indent=2), encoding="utf-8")
    table = markdown(results)
    (RESULTS / "kb.md").write_text(table + "\n", encoding="utf-8")
    print(f"\nKnowledge-base retrieval on {results['questions']} held-out questions "
          f"({results['seconds_per_question'] * 1000:.0f} ms per question, NLU + search):\n")
    print(table)
    kinds = sum((Counter(r["miss_kinds"]) for r in results["varieties"].values()), Counter[str]())
    missed = sum((Counter(r["missed_entries"]) for r in results["varieties"].values()), Counter[str]())
    print(f"\nHeld-out misses by kind: {kinds.most_common()}")
    print(f"Most missed entries: {missed.most_common(5)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
