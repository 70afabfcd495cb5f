"""The bilingual skills taxonomy and a tagger that finds its terms in zh-TW or English text."""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parent / "data" / "taxonomy.json"
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")


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
                    surface.setdefault(name.lower(), t.key)
        self._by_surface = surface
        # Longest names first so "time series forecasting" wins over "forecasting".
        names = sorted(surface, key=len, reverse=True)
        parts = []
        for name in names:
            escaped = re.escape(name)
            # Latin names must stand as words; CJK text has no spaces to anchor on.
            parts.append(escaped if _CJK.search(name) else rf"(?<![0-9a-z]){escaped}(?![0-9a-z])")
        self._pattern = re.compile("|".join(parts), re.IGNORECASE) if parts else None

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
        return self._by_surface.get(name.strip().lower())

    def tag(self, text: str, *, with_parents: bool = False) -> list[str]:
        """Keys of the terms mentioned in `text`, in order of first mention."""
        if not self._pattern or not text:
            return []
        found: dict[str, None] = {}
        for m in self._pattern.finditer(text):
            key = self._by_surface.get(m.group(0).lower())
            if key:
                found[key] = None
        if with_parents:
            for key in list(found):
                parent = self.terms[key].parent
                while parent and parent not in found:
                    found[parent] = None
                    parent = self.terms[parent].parent
        return list(found)


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
