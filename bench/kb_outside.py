"""Topic-wise validation of the learnt out-of-base evidence on the DEV sets only (#11).

`python -m bench.kb_outside` (after `python -m bench.kb_calibrate parse`) runs the search once
without the learnt evidence over the NLU's parses, then scores every question it answers with a
`NearBase` (naive Bayes, evidence.py) trained WITHOUT the question:
- near-base questions (assistant/kb/near_questions.yml) in topic folds: a topic's questions, in
  all five varieties, are scored by models that never saw the topic (what a subject nobody wrote
  down looks like to it);
- written in-base questions and the NLU's knowledge-base examples in folds of their own;
- the entries' example questions, searched without them, by a model trained without them;
- the out-of-base dev sets (kb_outside.yml, kb_outside_fresh.yml) and the NLU dev messages
  (tests/rasa_env/nlu_dev.yml), which nothing learns from, by the model trained on everything.
Printed per rule (the log-odds allowed as a function of the share of the question's words the
entry holds, evidence.allowed_odds): out-of-base questions still answered, in-base ones still
answered (with their entry where it is known). `--blocks`: near-base folds are the writing
sessions' blocks instead of topics. The held-out sets are never read here.
"""

from __future__ import annotations

import json
import re
import sys

from assistant.kb.evidence import MAX_NEAR_ODDS, NEAR_ODDS_FLOOR, NEAR_ODDS_SLOPE, NEAR_QUESTIONS, near_questions
from bench.kb_calibrate import DEV_SETS, FOLDS, PARSES, Row, left_out_rows

OUT_OF_BASE = DEV_SETS  # the out-of-base sets: the dev sets and the near-base questions
#: (floor, slope) of the allowed log-odds tried: min(MAX_NEAR_ODDS, floor + slope * coverage)
RULES = ((float("inf"), 0.0), (MAX_NEAR_ODDS, 0.0), (4.0, 0.0), (3.0, 0.0), (3.0, 6.0), (2.0, 6.0), (1.0, 9.0),
         (1.5, 12.0), (1.0, 12.0), (0.5, 12.0), (0.0, 12.0), (0.5, 14.0), (0.0, 14.0), (-1.0, 15.0))
VARIETY_HEADER = re.compile(r"#\s*-+\s*(French|English|Arabic|Darija)")


def near_topics(blocks: bool = False) -> list[int]:
    """Each near-base question's topic: its writing block and its rank among its variety's
    questions in the block (each topic is written in the five varieties, in the same order)."""
    topics: list[int] = []
    block, seen, ids = 0, dict[str, int](), dict[tuple[int, int], int]()
    for line in NEAR_QUESTIONS.read_text(encoding="utf-8").splitlines():
        stripped = line.strip()
        if stripped.startswith("# -") and not VARIETY_HEADER.match(stripped):
            block, seen = block + 1, {}
        match = re.search(r"variety: (\w+)", line)
        if stripped.startswith("- {") and match:
            rank = seen.get(match.group(1), 0)
            seen[match.group(1)] = rank + 1
            key = (block, 0 if blocks else rank)
            topics.append(ids.setdefault(key, len(ids)))
    return topics


def main() -> int:
    blocks = "--blocks" in sys.argv
    data = json.loads(PARSES.read_text(encoding="utf-8"))
    # the near-base questions of the file as it is now (a question removed since the parse is left out)
    written = dict(zip(near_questions(), near_topics(blocks), strict=True))
    data["near_questions"] = [q for q in data["near_questions"] if q["text"] in written]
    fold_of = {"near_questions": [written[q["text"]] % FOLDS for q in data["near_questions"]],
               "base_questions": [i % FOLDS for i in range(len(data["base_questions"]))],
               "nlu_examples": [i % FOLDS for i in range(len(data["nlu_examples"]))]}
    report(left_out_rows(data, fold_of, coverage=True))
    return 0


def report(rows: dict[str, list[Row]]) -> None:
    """What stays answered per rule (the first row: without the learnt evidence; the shipped
    rule is marked *), and the difference to the plain threshold MAX_NEAR_ODDS."""
    names = [*OUT_OF_BASE, *(n for n in rows if n not in OUT_OF_BASE)]

    def kept(floor: float, slope: float) -> dict[str, int]:
        return {n: sum(r.ok and r.odds <= min(MAX_NEAR_ODDS, floor + slope * r.coverage) for r in rows[n]) for n in names}

    base = kept(MAX_NEAR_ODDS, 0.0)
    print("floor | slope | " + " | ".join(names) + " | out-of-base removed | in-base lost")
    for floor, slope in RULES:
        now = kept(floor, slope)
        mark = " *" if (floor, slope) == (NEAR_ODDS_FLOOR, NEAR_ODDS_SLOPE) else ""
        removed = sum(base[n] - now[n] for n in OUT_OF_BASE)
        lost = sum(base[n] - now[n] for n in names if n not in OUT_OF_BASE)
        print(f"{floor} | {slope}{mark} | " + " | ".join(f"{now[n]}/{len(rows[n])}" for n in names) + f" | {removed} | {lost}")


if __name__ == "__main__":
    sys.exit(main())
