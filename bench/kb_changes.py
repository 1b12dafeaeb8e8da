"""Which single questions get another answer from one revision's search than from another's.

`python -m bench.kb_changes parse` (Rasa environment) parses once, with the trained model, every
single question that is not held out: the calibration sets (bench/kb_calibrate.py: out-of-base dev
sets, near-base questions, written in-base questions, the entries' example questions, the NLU's
knowledge-base examples), the NLU dev set (tests/rasa_env/nlu_dev.yml), the first turns of the
development conversations (tests/data/dev_conversations/) and the written single questions
(tests/data/kb_single_dev.yml); the parses go to bench/results/kb_changes.json.
`python -m bench.kb_changes REF [REF...]` (either environment) runs the search of each revision
(its own `assistant/` and `knowledge/`, bench/kb_search.py; or of a directory holding them) and of
this checkout over the same
parses and prints each question whose answer (the entry the user gets, or "-") differs between
them, with its expected entry when the set has one, then per set how many of the labelled
questions each revision answers with their entry. Passing several revisions in history order
shows which commit changed an answer. The held-out sets are never read here.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import yaml

from assistant.settings import ROOT
from bench.kb_calibrate import CHECK_SETS, parse, texts
from bench.kb_search import answered_with_entry, baseline_root, search_all

PARSES = ROOT / "bench" / "results" / "kb_changes.json"
SINGLE = ROOT / "tests" / "data" / "kb_single_dev.yml"
#: the second written sets of single in-base questions (session oob11e): tuning and check; the
#: third (session oob11g), beside the third out-of-base sets; the fourth (helper arz10g), Arabizi and
#: Darija as people type them; the fifth (helper oob11i), beside the fifth out-of-base set; the
#: sixth (helper oob11j), English, beside the sixth; the seventh (helper en11), half English, beside the seventh; the eighth (helper fc11), short and
#: vague, beside the eighth; the ninth (helper fc12), the covered side of the ninth's subjects; the
#: tenth (helper fc13), English first, the covered side of the tenth's
SINGLE2 = {"single_dev2": ROOT / "tests" / "data" / "kb_single_dev2.yml",
           "single_dev2_check": ROOT / "tests" / "data" / "kb_single_dev2_check.yml",
           "single_dev3": ROOT / "tests" / "data" / "kb_single_dev3.yml",
           "single_dev4": ROOT / "tests" / "data" / "kb_single_dev4.yml",
           "single_dev5": ROOT / "tests" / "data" / "kb_single_dev5.yml",
           "single_dev6": ROOT / "tests" / "data" / "kb_single_dev6.yml",
           "single_dev7": ROOT / "tests" / "data" / "kb_single_dev7.yml",
           "single_dev8": ROOT / "tests" / "data" / "kb_single_dev8.yml",
           "single_dev9": ROOT / "tests" / "data" / "kb_single_dev9.yml",
           "single_dev10": ROOT / "tests" / "data" / "kb_single_dev10.yml"}
NLU_DEV = ROOT / "tests" / "rasa_env" / "nlu_dev.yml"
DEV_CONVERSATIONS = ROOT / "tests" / "data" / "dev_conversations"


def questions() -> dict[str, list[dict[str, Any]]]:
    """Every single question: {"set": [{"text", "variety", "expected"?}]}."""
    out = texts()
    out["single_dev"] = [{"text": q["text"], "variety": q["variety"], "expected": q["entry"], "also_ok": q.get("also_ok", [])}
                         for q in yaml.safe_load(SINGLE.read_text(encoding="utf-8"))["questions"]]
    for name, path in SINGLE2.items():
        out[name] = [{"text": q["text"], "variety": q["variety"], "expected": q["entry"], "also_ok": q.get("also_ok", [])}
                     for q in yaml.safe_load(path.read_text(encoding="utf-8"))["questions"]]
    out["nlu_dev"] = [{"text": m["text"], "variety": m["group"]}
                      for m in yaml.safe_load(NLU_DEV.read_text(encoding="utf-8"))["messages"]]
    first: list[dict[str, Any]] = []
    for path in sorted(DEV_CONVERSATIONS.glob("*.yml")):
        for conversation in yaml.safe_load(path.read_text(encoding="utf-8"))["conversations"]:
            turn = conversation["turns"][0]
            if "say" in turn:
                item = {"text": turn["say"], "variety": conversation["variety"]}
                if "entry" in (turn.get("expect") or {}):
                    # a turn may accept several entries: the first is expected, the others also right
                    expected, *also = turn["expect"]["entry"] if isinstance(turn["expect"]["entry"], list) else [turn["expect"]["entry"]]
                    item.update({"expected": expected, "also_ok": also})
                first.append(item)
    out["dev_first_turns"] = first
    return out


def answers(root: Path, items: list[dict[str, Any]]) -> list[str]:
    """The entry the user gets for each parsed question from the search at `root` ("-": none;
    "(x)": x ranked first but not answered)."""
    results = search_all(root, items)
    return [r["ranked"][0] if answered_with_entry(q, r) else f"({r['ranked'][0]})" if r["ranked"] else "-"
            for q, r in zip(items, results, strict=True)]


def compare(refs: list[str]) -> None:
    data: dict[str, list[dict[str, Any]]] = json.loads(PARSES.read_text(encoding="utf-8"))
    items = [{**q, "set": name} for name, qs in data.items() for q in qs]
    roots = {ref: Path(ref) if Path(ref).is_dir() else baseline_root(ref) for ref in refs}
    roots["current"] = ROOT
    got = {name: answers(root, items) for name, root in roots.items()}
    right: dict[str, dict[str, int]] = {name: {} for name in roots}
    for i, q in enumerate(items):
        row = [got[name][i] for name in roots]
        accepted = {q["expected"], *q.get("also_ok", [])} if q.get("expected") else set()
        for name, answer in zip(roots, row, strict=True):
            right[name][q["set"]] = right[name].get(q["set"], 0) + (answer in accepted)
        if len(set(row)) > 1 and q["set"] not in CHECK_SETS:  # check sets: aggregates only
            mark = "" if not accepted else " ".join("+" if a in accepted else "x" for a in row)
            print(" | ".join([q["set"], q["variety"], q["text"], q.get("expected", "?"), *row, mark]))
    print("labelled questions answered with their entry:")
    for name in roots:
        print(name, {s: n for s, n in right[name].items() if any(q.get("expected") for q in data[s])})
    print("unlabelled (out-of-base) questions answered with an entry:")
    for name in roots:
        print(name, {s: sum(got[name][i] not in {"-"} and not got[name][i].startswith("(")
                            for i, q in enumerate(items) if q["set"] == s)
                     for s in data if s.startswith("kb_outside")})


def main() -> int:
    if sys.argv[1:] == ["parse"]:
        parse(questions(), PARSES)
        return 0
    compare(sys.argv[1:] or ["4ffc5e6"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
