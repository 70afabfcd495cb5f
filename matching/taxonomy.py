"""The bilingual skills taxonomy and a tagger that finds its terms in zh-TW or English text."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from difflib import get_close_matches
from functools import lru_cache
from pathlib import Path

from matching.text import fold, tokenize

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "taxonomy.json"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[a-z0-9]+")


def _is_word(ch: str) -> bool:
    """Latin letters and digits continue a word (CJK characters do not)."""
    return ch.isascii() and ch.isalnum()


def _first_word(text: str, i: int) -> str:
    """The run of Latin letters and digits beginning at i (the character there when none)."""
    found = _WORD.match(text, i)
    return found.group(0) if found else text[i:i + 1]


@dataclass(frozen=True)
class Term:
    key: str
    kind: str
    zh: str
    en: str
    aliases: tuple[str, ...]
    parent: str | None

    def label(self, locale: str = "zh_TW") -> str:
        """The term's name in the reader's language."""
        return self.en if str(locale).startswith("en") else self.zh


class Taxonomy:
    """Terms by key plus one compiled pattern that finds any of their names in a text."""

    def __init__(self, terms: list[Term]):
        self.terms = {t.key: t for t in terms}
        surface: dict[str, str] = {}
        for t in terms:
            for name in (t.zh, t.en, *t.aliases):
                if name.strip():
                    surface.setdefault(fold(name), t.key)
        self._by_surface = surface
        # Literal names, found by a longest-match scan: a dict lookup per (position, length)
        # instead of one huge regex alternation, which is ~100x slower on long texts. Only the
        # lengths of names that can begin at a position are tried, longest first: for names
        # holding Chinese, those beginning with its two characters; for Latin names (whole words
        # only), those whose first word is the word beginning there.
        cjk: dict[str, set[int]] = {}
        latin: dict[str, set[int]] = {}
        for name in surface:
            if _CJK.search(name):
                cjk.setdefault(name[:2], set()).add(len(name))
            else:
                latin.setdefault(_first_word(name, 0), set()).add(len(name))
        self._cjk_lengths = {k: tuple(sorted(v, reverse=True)) for k, v in cjk.items()}
        self._latin_lengths = {k: tuple(sorted(v, reverse=True)) for k, v in latin.items()}
        # Where a name may begin; the scan jumps from one such place to the next.
        cjk_first = "".join(sorted({n[0] for n in surface if _CJK.search(n)}))
        latin_first = "".join(sorted({n[0] for n in surface if not _CJK.search(n)}))
        self._starts = re.compile(f"[{re.escape(cjk_first)}]|(?<![a-z0-9])[{re.escape(latin_first)}]")
        self._name_tokens: list[tuple[str, list[set[str]]]] | None = None
        self._children: dict[str, list[str]] | None = None
        self._latin_words: list[str] | None = None

    def __len__(self) -> int:
        return len(self.terms)

    def __contains__(self, key: str) -> bool:
        return key in self.terms

    def label(self, key: str, locale: str = "zh_TW") -> str:
        """Label of a key in a locale; unknown keys are shown as they are."""
        term = self.terms.get(key)
        return term.label(locale) if term else key

    def lookup(self, name: str) -> str | None:
        """The key whose name or alias is exactly `name` (case-insensitive)."""
        return self._by_surface.get(fold(name.strip()))

    def containing(self, words: str, limit: int = 12) -> list[str]:
        """Keys of the terms one of whose names holds every word of a short search (words stemmed,
        Chinese as character bigrams): "forecasting" finds 需求預測 / Demand Forecasting and the
        other forecasting terms, "預測" the same ones. Terms whose main names (zh, en) hold the
        words come first: when there are any, terms matched by an alias only are left out ("defect"
        is Defect Detection, not Yield through its alias "defect rate"). None when more than
        `limit` terms match: the words are then too general to stand for a skill."""
        wanted = set(tokenize(words))
        if not wanted:
            return []
        names = self._names()
        found = [key for key, sets in names if any(wanted <= name for name in sets[:2])] or \
            [key for key, sets in names if any(wanted <= name for name in sets)]
        return found if len(found) <= limit else []

    def common_words(self, keys: list[str]) -> list[str]:
        """The words (tokens) that the main names (zh, en) of every one of the terms hold: what a
        search word is called in both languages ("forecast", 預測 for the forecasting terms; all
        the words of its two names for a single term). Aliases are left out: they share everyday
        words ("management")."""
        if not keys:
            return []
        names = dict(self._names())
        shared = set.intersection(*(set().union(*names[k][:2]) for k in keys))
        return sorted(shared)

    def translations(self, keys: list[str]) -> list[str]:
        """common_words as one text per language (Chinese, then Latin), to be matched apart."""
        words = self.common_words(keys)
        return [" ".join(group) for group in ([w for w in words if _CJK.search(w)],
                                              [w for w in words if not _CJK.search(w)]) if group]

    def spelling(self, words: str) -> str | None:
        """The words with each Latin word the taxonomy does not know replaced by the nearest one
        it does ("forcasting" → "forecasting"), or None when nothing was replaced."""
        if self._latin_words is None:
            self._latin_words = sorted({w for t in self.terms.values() for name in (t.en, *t.aliases)
                                        for w in _WORD.findall(name.lower()) if len(w) >= 4})
        known = set(self._latin_words)
        out, changed = [], False
        for word in words.split():
            low = word.lower()
            # Short words are left alone: "bread" is a word of its own, not a misspelt "bead".
            if len(low) >= 6 and _WORD.fullmatch(low) and low not in known:
                near = get_close_matches(low, self._latin_words, n=1, cutoff=0.85)   # not breads → beds
                if near:
                    out.append(near[0])
                    changed = True
                    continue
            out.append(word)
        return " ".join(out) if changed else None

    def with_children(self, keys, depth: int = 2) -> set[str]:
        """The keys and the terms below them, `depth` levels down (LLM → RAG → Document Q&A)."""
        if self._children is None:
            self._children = {}
            for term in self.terms.values():
                if term.parent:
                    self._children.setdefault(term.parent, []).append(term.key)
        found, level = set(keys), set(keys)
        for _ in range(depth):
            level = {child for key in level for child in self._children.get(key, ())} - found
            found |= level
        return found

    def _names(self) -> list[tuple[str, list[set[str]]]]:
        """Per term: the token sets of its zh name, its en name, then its aliases."""
        if self._name_tokens is None:
            self._name_tokens = [(t.key, [set(tokenize(name)) for name in (t.zh, t.en, *t.aliases)])
                                 for t in self.terms.values()]
        return self._name_tokens

    def tag(self, text: str, *, with_parents: bool = False) -> list[str]:
        """Keys of the terms mentioned in `text`, in order of first mention.

        Names are matched longest first, without overlaps; Latin names only as whole words (a
        Chinese text has no spaces to anchor on, so Chinese names match anywhere).
        """
        if not text:
            return []
        low = fold(text)
        found: dict[str, None] = {}
        i = 0
        while (start := self._starts.search(low, i)) is not None:
            i = start.start()
            key, length = self._match_at(low, i)
            if key:
                found[key] = None
                i += length
            else:
                i += 1
        if with_parents:
            for key in list(found):
                parent = self.terms[key].parent
                while parent and parent not in found:
                    found[parent] = None
                    parent = self.terms[parent].parent
        return list(found)

    def _match_at(self, low: str, i: int) -> tuple[str | None, int]:
        cjk = self._cjk_lengths.get(low[i:i + 2], ()) + self._cjk_lengths.get(low[i], ())
        word_start = low[i].isalnum() and (i == 0 or not _is_word(low[i - 1]))
        latin = self._latin_lengths.get(_first_word(low, i), ()) if word_start else ()
        lengths = sorted({*cjk, *latin}, reverse=True) if cjk and latin else cjk or latin
        for length in lengths:
            candidate = low[i:i + length]
            key = self._by_surface.get(candidate) if len(candidate) == length else None
            if key is None:
                continue
            if _CJK.search(candidate):
                return key, length
            if word_start and not _is_word(low[i + length:i + length + 1] or " "):
                return key, length
        return None, 0


def load(path: Path | str = DEFAULT_PATH) -> Taxonomy:
    """Read a taxonomy file (a JSON list of entries)."""
    raw = json.loads(Path(path).read_text(encoding="utf-8"))
    return Taxonomy([
        Term(e["key"], e["kind"], e["zh"], e["en"],
             tuple(e.get("aliases_zh", [])) + tuple(e.get("aliases_en", [])), e.get("parent"))
        for e in raw
    ])


@lru_cache(maxsize=1)
def default() -> Taxonomy:
    """The taxonomy shipped with the package, loaded once per process on first use."""
    return load(DEFAULT_PATH)
