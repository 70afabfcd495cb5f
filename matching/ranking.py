"""Hybrid ranking: dense item similarity (top-k aggregated), BM25, taxonomy tags, sector, capacity.

Profiles are several texts. A profile's dense and lexical scores are aggregated over its best
items with harmonic weights, best + second/2 + third/3 + ... down to a chosen depth (depth 3 is
the ACL reviewer matcher's choice), and divided by the weights' sum so the result stays on the
items' scale. A team with several relevant projects beats one with a single lucky match. Every
result carries its explanation.
"""
from __future__ import annotations

from functools import lru_cache

import numpy as np

from matching import taxonomy as taxonomy_mod
from matching.embedder import Embedder
from matching.lexical import LexicalIndex
from matching.profiles import Profile, ProfileItem, Query, bridge
from matching.scoring import Match, Weights, fuse, group_topk
from matching.text import tokenize
from matching.vector_index import VectorIndex

EXACT_ITEMS = 20_000
DEEP_ITEMS = 2_000


def _incidence(sets: list[set[str]]):
    """(key → column, a profiles × keys sparse 0/1 matrix)."""
    from scipy.sparse import csr_matrix

    index = {k: i for i, k in enumerate(sorted({k for s in sets for k in s}))}
    rows = [r for r, s in enumerate(sets) for _ in s]
    cols = [index[k] for s in sets for k in s]
    matrix = csr_matrix((np.ones(len(rows), np.float32), (rows, cols)), shape=(len(sets), max(1, len(index))))
    return index, matrix


class Matcher:
    """Ranks profiles for a query. Fit once on the profiles, then ask as often as needed."""

    def __init__(self, embedder: Embedder, weights: Weights = Weights(),
                 tax: taxonomy_mod.Taxonomy | None = None, index: VectorIndex | None = None):
        self.embedder, self.weights = embedder, weights
        self.tax = tax or taxonomy_mod.default()
        self.index = index
        self.profiles: list[Profile] = []
        self._position: dict = {}
        self._names: list[set[str]] | None = None
        # Tagging a long text costs milliseconds; a query's text is bridged and tagged once.
        self._bridge_cache = lru_cache(maxsize=1024)(self._bridge)

    # -- fitting ------------------------------------------------------------------------------
    def fit(self, profiles: list[Profile], item_vectors: np.ndarray | None = None,
            index: VectorIndex | None = None) -> Matcher:
        """Index every item of every profile.

        Vectors come from `index` (already holding each item under its `vector_id`, e.g. loaded
        from disk), else from `item_vectors` (in item order), else from the embedder.
        """
        self.profiles = list(profiles)
        owners, self._items, dense_texts, lexical_texts = [], [], [], []
        for p_index, profile in enumerate(self.profiles):
            for item in profile.items:
                found = self.tax.tag(item.text)
                profile.tags |= set(found)
                dense, lexical = bridge(item.text, self.tax, found, self._multilingual)
                owners.append(p_index)
                self._items.append(item)
                dense_texts.append(dense)
                lexical_texts.append(lexical)
        self._owner = np.asarray(owners, dtype=np.int64)
        self._titled = np.asarray([bool(item.title) for item in self._items], dtype=bool)
        self._position = {profile.id: i for i, profile in enumerate(self.profiles)}
        self._names = None                      # profile names' words, read on first use
        ids = np.asarray([it.vector_id if it.vector_id is not None else i
                          for i, it in enumerate(self._items)], dtype=np.int64)
        self._id_order = np.argsort(ids)
        self._sorted_ids = ids[self._id_order]
        if index is None:
            vectors = item_vectors if item_vectors is not None else self.embedder.encode_passages(dense_texts)
            index = VectorIndex(vectors.shape[1] if len(vectors) else self.embedder.dim,
                                model=self.embedder.signature).build(ids, vectors)
        self.index = index
        self._lexical = LexicalIndex().build(list(range(len(self._items))), lexical_texts)
        # A tag most profiles share says little; weight tags by their rarity among profiles.
        counts: dict[str, int] = {}
        for profile in self.profiles:
            for tag in profile.tags:
                counts[tag] = counts.get(tag, 0) + 1
        total = max(1, len(self.profiles))
        self._tag_idf = {t: float(np.log((total + 1) / (c + 0.5))) for t, c in counts.items()}
        self._tag_index, self._tag_matrix = _incidence([p.tags for p in self.profiles])
        self._sector_index, self._sector_matrix = _incidence([p.sectors for p in self.profiles])
        self._full = np.array([p.capacity_left is not None and p.capacity_left <= 0 for p in self.profiles],
                              dtype=bool)
        self._n_items = np.bincount(self._owner, minlength=len(self.profiles)) if len(self._owner) \
            else np.zeros(len(self.profiles), dtype=np.int64)
        top = float(np.log1p(self._n_items.max())) if len(self._n_items) else 1.0
        self._experience = np.log1p(self._n_items) / max(1.0, top)
        # Exact dense scores for every item up to this size; beyond, the best items only.
        self.default_depth = len(self._items) if len(self._items) <= EXACT_ITEMS else DEEP_ITEMS
        return self

    def _positions(self, ids: np.ndarray) -> np.ndarray:
        """Item positions of vector ids (-1 for ids this matcher does not know)."""
        where = np.searchsorted(self._sorted_ids, ids)
        where = np.clip(where, 0, max(0, len(self._sorted_ids) - 1))
        known = (len(self._sorted_ids) > 0) & (self._sorted_ids[where] == ids) if len(self._sorted_ids) \
            else np.zeros(len(ids), bool)
        return np.where(known, self._id_order[where] if len(self._id_order) else -1, -1)

    def vectors(self, profile_id) -> tuple[list[ProfileItem], np.ndarray]:
        """A fitted profile's items and their indexed vectors (none for a profile not held)."""
        where = self._position.get(profile_id)
        if where is None:
            return [], np.zeros((0, self.index.dim if self.index else 0), np.float32)
        positions = np.flatnonzero(self._owner == where)
        items = [self._items[i] for i in positions]
        keys = [item.vector_id if item.vector_id is not None else int(i) for item, i in zip(items, positions,
                                                                                           strict=True)]
        return items, np.vstack([self.index.reconstruct(k) for k in keys])

    @property
    def _multilingual(self) -> bool:
        return bool(getattr(self.embedder, "multilingual", True))

    def _bridge(self, text: str) -> tuple[str, str, tuple[str, ...]]:
        found = self.tax.tag(text)
        return (*bridge(text, self.tax, found, self._multilingual), tuple(found))

    def bridged(self, text: str) -> tuple[str, str]:
        """The embedder's and BM25's view of a query text."""
        return self._bridge_cache(text)[:2]

    # -- scoring ------------------------------------------------------------------------------
    def query_vectors(self, queries: list[Query]) -> np.ndarray:
        """(n, 2, dim): each query's text vector and title vector (the text's again without a title,
        or when titles carry no weight)."""
        texts = [self.bridged(q.text)[0] for q in queries]
        use_titles = self.weights.title > 0
        titles = [self.bridged(q.title)[0] if use_titles and q.title.strip() else "" for q in queries]
        encoded = self.embedder.encode_queries(texts + [t for t in titles if t])
        text_vectors, title_iter = encoded[: len(texts)], iter(encoded[len(texts):])
        title_vectors = np.vstack([next(title_iter) if t else v for t, v in zip(titles, text_vectors,
                                                                                 strict=True)])
        return np.stack([text_vectors, title_vectors], axis=1) if len(texts) else \
            np.zeros((0, 2, self.embedder.dim), np.float32)

    def _item_dense(self, vector: np.ndarray, depth: int) -> np.ndarray:
        item_dense = np.zeros(len(self._items), dtype=np.float32)
        if depth:
            scores, ids = self.index.search(vector[None, :], depth)
            positions = self._positions(ids[0])
            found = positions >= 0
            item_dense[positions[found]] = np.maximum(scores[0][found], 0.0)
        return item_dense

    def component_scores(self, query: Query, query_vectors: np.ndarray | None = None,
                         dense_depth: int | None = None) -> dict[str, np.ndarray]:
        """Per-profile component scores (arrays aligned with the fitted profiles), vectorised."""
        n = len(self.profiles)
        _, lexical_text, found = self._bridge_cache(query.text)
        if query_vectors is None:
            query_vectors = self.query_vectors([query])[0]
        depth = min(len(self._items), dense_depth or self.default_depth)
        # An item's similarity to the need: to the whole text, mixed with its similarity to the
        # title. Inner products are linear, so one search with the mixed vector gives exactly that.
        share = self.weights.title
        item_dense = self._item_dense((1 - share) * query_vectors[0] + share * query_vectors[1], depth)
        item_lex = self._lexical.scores(lexical_text, normalise=True)
        if not len(item_lex):
            item_lex = np.zeros(len(self._items), dtype=np.float32)
        elif depth < len(item_lex):
            # Beyond the exact size, BM25 keeps its best items only, as the dense search does.
            cut = np.argpartition(-item_lex, depth)[depth:]
            item_lex[cut] = 0.0
        hit = np.flatnonzero((item_dense > 0) | (item_lex > 0))
        owners = self._owner[hit]
        dense = group_topk(item_dense[hit], owners, n, self.weights.top_items)
        lexical = group_topk(item_lex[hit], owners, n, self.weights.top_items)
        best = np.full(n, -1)
        if len(hit):
            # A profile's best item is its nearest titled one (a portfolio project) when it has
            # one near at all, else its nearest item (a team's summary).
            combined = item_dense[hit] + 0.5 * item_lex[hit] + 10.0 * self._titled[hit]
            order = np.lexsort((-combined, owners))
            firsts = order[np.r_[True, owners[order][1:] != owners[order][:-1]]]
            best[owners[firsts]] = hit[firsts]
        query_tags = query.tags or set(found)
        wanted = ({query.sector} if query.sector else set()) | query.sectors
        return {"dense": dense, "lexical": lexical, "tags": self._tag_overlap(query_tags),
                "sector": self._membership(self._sector_matrix, self._sector_index, wanted),
                "experience": self._experience, "_best": best, "_item_dense": item_dense,
                "_query_tags": query_tags}

    @staticmethod
    def _membership(matrix, index: dict, keys: set[str], weights: dict | None = None) -> np.ndarray:
        """Per profile: the (weighted) count of `keys` it holds, via one sparse product."""
        vector = np.zeros(matrix.shape[1], dtype=np.float32)
        for key in keys:
            if key in index:
                vector[index[key]] = weights.get(key, 1.0) if weights else 1.0
        if matrix.shape[0] == 0:
            return np.zeros(0)
        return np.minimum(np.asarray(matrix @ vector).ravel(), 1.0) if weights is None else \
            np.asarray(matrix @ vector).ravel()

    def _tag_overlap(self, query_tags: set[str]) -> np.ndarray:
        """Share of the query's tag weight (rarer tags weigh more) that each profile covers."""
        default = float(np.log(len(self.profiles) + 1))
        weights = {t: self._tag_idf.get(t, default) for t in query_tags}
        whole = sum(weights.values())
        if not whole:
            return np.zeros(len(self.profiles))
        return self._membership(self._tag_matrix, self._tag_index, query_tags, weights) / whole

    def coverage(self, text: str) -> np.ndarray:
        """Per profile: the largest share of the text's words that one of its items holds (items
        are read with their taxonomy terms in both languages)."""
        out = np.zeros(len(self.profiles))
        items = self._lexical.coverage(text)
        if len(items):
            np.maximum.at(out, self._owner, items)
        return out

    def name_coverage(self, text: str) -> np.ndarray:
        """Per profile: the share of the text's words its name holds (a problem's title)."""
        words = set(tokenize(text))
        if self._names is None:
            self._names = [set(tokenize(p.name or "")) for p in self.profiles]
        if not words:
            return np.zeros(len(self.profiles))
        return np.array([sum(w in name or (len(w) == 1 and any(w in t for t in name)) for w in words)
                         for name in self._names]) / len(words)

    def _shared(self, query_tags: set[str], profile_tags: set[str]) -> list[str]:
        """The profile's tags that the query names, or that are one step broader or narrower than
        one it names (a team's 時間序列預測 for a problem's 需求預測), for the explanation."""
        terms = self.tax.terms
        parents = {terms[t].parent for t in query_tags if t in terms}
        related = {t for t in profile_tags - query_tags
                   if t in parents or (t in terms and terms[t].parent in query_tags)}
        return sorted(profile_tags & query_tags) + sorted(related)      # the same skills first

    def fuse(self, parts: dict) -> np.ndarray:
        """The weighted sum over the fitted profiles, with the capacity penalty applied."""
        return fuse(parts, self.weights, self._full)

    def rank(self, query: Query, k: int = 10, exclude: set | None = None,
             query_vectors: np.ndarray | None = None) -> list[Match]:
        """The k best profiles for the query, each with its explanation."""
        if not self.profiles:
            return []
        parts = self.component_scores(query, query_vectors)
        total = self.fuse(parts)
        ranked = []
        for p in np.argsort(-total):
            profile = self.profiles[p]
            if exclude and profile.id in exclude:
                continue
            best = parts["_best"][p]
            item = self._items[best] if best >= 0 else None
            ranked.append(Match(
                id=profile.id, score=float(total[p]),
                components={k: float(v[p]) for k, v in parts.items() if not k.startswith("_")},
                best_item=item.key if item else None, best_item_title=item.title if item else "",
                best_item_similarity=float(parts["_item_dense"][best]) if item else 0.0,
                shared_tags=self._shared(parts["_query_tags"], profile.tags),
                same_sector=bool(parts["sector"][p])))
            if len(ranked) >= k:
                break
        return ranked
