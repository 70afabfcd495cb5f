"""BM25 over the zh/en tokenizer (bm25s): scores every document for a query."""
from __future__ import annotations

import bm25s
import numpy as np

from matching.text import is_chinese, tokenize


class LexicalIndex:
    """BM25 scores of documents (kept in insertion order) for a query text."""

    def __init__(self, k1: float = 1.2, b: float = 0.75):
        self.k1, self.b = k1, b
        self.ids: list = []
        self._bm25: bm25s.BM25 | None = None
        self._vocab: set[str] = set()

    def build(self, ids: list, texts: list[str]) -> LexicalIndex:
        """Index the texts; `ids` name them in results."""
        self.ids = list(ids)
        if not self.ids:                 # nothing to index (no teams yet): every query scores nothing
            self._bm25, self._vocab, self._idf = None, set(), {}
            return self
        corpus = [tokenize(t) or ["∅"] for t in texts]
        self._bm25 = bm25s.BM25(k1=self.k1, b=self.b)
        self._bm25.index(corpus, show_progress=False)
        self._vocab = set(self._bm25.vocab_dict)
        df: dict[str, int] = {}
        for doc in corpus:
            for token in set(doc):
                df[token] = df.get(token, 0) + 1
        n = len(corpus)
        # Lucene's IDF, as bm25s uses: the most one occurrence-saturated term can add is idf·(k1+1).
        self._idf = {t: float(np.log(1 + (n - d + 0.5) / (d + 0.5))) for t, d in df.items()}
        return self

    def __len__(self) -> int:
        return len(self.ids)

    def scores(self, text: str, normalise: bool = False) -> np.ndarray:
        """BM25 score of every document, aligned with `ids` (zeros when nothing matches).

        normalise=True divides by the highest score the query could reach at all, giving the
        share of the query a document explains: comparable across queries, whatever their length.
        """
        if self._bm25 is None or not self.ids:
            return np.zeros(0, dtype=np.float32)
        tokens = [t for t in tokenize(text) if t in self._vocab]
        if not tokens:
            return np.zeros(len(self.ids), dtype=np.float32)
        raw = np.asarray(self._bm25.get_scores(tokens), dtype=np.float32)
        if not normalise:
            return raw
        ceiling = sum(self._idf.get(t, 0.0) for t in tokens) * (self.k1 + 1)
        return raw / ceiling if ceiling > 0 else raw

    def coverage(self, text: str) -> np.ndarray:
        """Share of the text's distinct words each document holds, aligned with `ids`.

        A Chinese character typed alone (魚) is held by every document with a bigram containing it.
        """
        words = set(tokenize(text))
        hits = np.zeros(len(self.ids), dtype=np.float32)
        if self._bm25 is None or not words:
            return hits
        for word in words:
            group = [word] if word in self._vocab else \
                [v for v in self._vocab if word in v] if len(word) == 1 and is_chinese(word) else []
            if group:
                hits += np.asarray(self._bm25.get_scores(group)) > 0
        return hits / len(words)

    def search(self, text: str, k: int) -> list[tuple[object, float]]:
        """The k best (id, score) pairs with a positive score."""
        scores = self.scores(text)
        if not len(scores):
            return []
        top = np.argsort(-scores)[:k]
        return [(self.ids[i], float(scores[i])) for i in top if scores[i] > 0]
