"""Okapi BM25 over term lists: the lexical part of the knowledge-base ranking (ranking.py)."""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Sequence


class BM25:
    """Okapi BM25 over term lists."""

    def __init__(self, documents: Sequence[Sequence[str]], k1: float = 1.2, b: float = 0.5) -> None:
        self.k1, self.b = k1, b
        self.tf = [Counter(doc) for doc in documents]
        self.lengths = [len(doc) for doc in documents]
        self.avg = sum(self.lengths) / max(len(documents), 1)
        df: Counter[str] = Counter()
        for doc in self.tf:
            df.update(doc.keys())
        n = len(documents)
        self.idf = {t: math.log(1 + (n - d + 0.5) / (d + 0.5)) for t, d in df.items()}

    def scores(self, terms: Iterable[str]) -> list[float]:
        terms = list(dict.fromkeys(terms))
        out = []
        for tf, length in zip(self.tf, self.lengths, strict=True):
            s = 0.0
            norm = self.k1 * (1 - self.b + self.b * length / self.avg)
            for t in terms:
                f = tf.get(t)
                if f:
                    s += self.idf[t] * f * (self.k1 + 1) / (f + norm)
            out.append(s)
        return out
