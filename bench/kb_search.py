"""The knowledge-base search of one checkout, run over NLU parses (`make bench-kb`).

The NLU model parses every question once; the search of this checkout and the search of
a baseline commit (its own `assistant/` and `knowledge/`, extracted with `git archive`
into bench/.baseline-kb/<sha>) then rank entries from the same parses, in the same run.
Each search runs in its own Python process with its checkout first on the path, so the
two versions of `assistant.kb` never mix. Only the API both versions share is used.
"""

from __future__ import annotations

import io
import json
import subprocess
import sys
import tarfile
from pathlib import Path
from typing import Any

from assistant.settings import ROOT

BASELINES = ROOT / "bench" / ".baseline-kb"
#: main before issue #11 (sources, coverage, out-of-base detection): "today" in the issue
DEFAULT_BASELINE = "220f837"

WORKER = r"""
import json, os, sys
from pathlib import Path
root = Path(sys.argv[1])
sys.path.insert(0, str(root))
from assistant.kb.schema import load_directory
from assistant.kb.search import KnowledgeIndex, Query, subjects_from_entities
from assistant.kb.vocabulary import build_vocabulary, read_vocabulary_documents
entries = load_directory(root / "knowledge")
index = KnowledgeIndex(entries, build_vocabulary(entries, read_vocabulary_documents(root / "knowledge")))
if os.environ.get("KB_EVIDENCE") and hasattr(index, "evidence"):  # the out-of-base evidence switched on
    index.evidence = os.environ["KB_EVIDENCE"] == "1"
if os.environ.get("KB_LEARNT") and hasattr(index, "learnt"):  # its learnt part (NearBase) switched on
    index.learnt = os.environ["KB_LEARNT"] == "1"
# the written questions compared whole (examples.py), in this checkout's search only (the baseline's stays as it ships)
if os.environ.get("KB_EXAMPLES") and hasattr(index, "examples") and sys.argv[2:] == ["current"]:
    index.examples = os.environ["KB_EXAMPLES"] == "1"
for line in sys.stdin:
    p = json.loads(line)
    subjects = subjects_from_entities(p["entities"], index.vocabulary)
    result = index.search(Query(p["text"], p["intent"], p["confidence"], subjects))
    print(json.dumps({
        "ranked": [h.entry.id for h in result.hits][:3],
        "confident": bool(result.confident),
        "outside": getattr(result, "outside", None) is not None,
    }), flush=True)
"""


def baseline_root(ref: str) -> Path:
    """`assistant/`, `knowledge/` and the NLU data of `ref`, extracted once (the search's learnt
    evidence reads the NLU's questions, data/nlu/*/questions.yml, as in-base examples)."""
    sha = subprocess.run(["git", "rev-parse", "--short=7", ref], cwd=ROOT, check=True, capture_output=True,
                         text=True).stdout.strip()
    path = BASELINES / sha
    if not (path / "data" / "nlu").exists():
        archive = subprocess.run(["git", "archive", sha, "assistant", "knowledge", "data/nlu"], cwd=ROOT, check=True,
                                 capture_output=True).stdout
        path.mkdir(parents=True, exist_ok=True)
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(path)  # our own repository's archive
    return path


def search_all(root: Path, parses: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The search of the checkout at `root` over the parses, one answer per parse."""
    payload = "".join(json.dumps(p, ensure_ascii=False) + "\n" for p in parses)
    current = ["current"] if root.resolve() == ROOT.resolve() else []
    done = subprocess.run([sys.executable, "-c", WORKER, str(root), *current], input=payload, capture_output=True,
                          text=True, check=False, cwd=root)
    if done.returncode != 0:
        raise RuntimeError(f"search of {root} failed:\n{done.stderr[-2000:]}")
    return [json.loads(line) for line in done.stdout.splitlines() if line.startswith("{")]


def answered_with_entry(parse: dict[str, Any], result: dict[str, Any]) -> bool:
    """What the user gets: an entry, unless the NLU says out of scope (a rule answers that
    with utter_out_of_scope, the search is not consulted) or the search says outside/unsure."""
    if parse["intent"] == "out_of_scope":
        return False
    return bool(result["ranked"]) and result["confident"] and not result["outside"]
