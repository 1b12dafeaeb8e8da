"""A floor on the knowledge base's held-out accuracy (bench/kb.py gives the full table)."""

from __future__ import annotations

import asyncio

import pytest

from bench.kb import MODEL, evaluate

FLOOR = 0.85


@pytest.mark.skipif(not MODEL.exists(), reason="no trained model (make train)")
@pytest.mark.timeout(900)  # ~500 questions through the NLU and the search: 100 s quiet, 300 s on a loaded machine
def test_top1_accuracy_floor_in_every_language() -> None:
    results = asyncio.run(evaluate())
    for variety, result in results["varieties"].items():
        assert result["n"] >= 40, variety
        assert result["top1"] >= FLOOR, (variety, result["top1"], result["miss_kinds"])  # counts: no held-out text
        assert result["top1"] > result["bm25_top1"], variety
