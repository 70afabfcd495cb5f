"""What the ranker reads: profiles made of several texts, and queries; with taxonomy bridging."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from matching import taxonomy as taxonomy_mod
from matching.text import language

_LATIN = re.compile(r"[A-Za-z][A-Za-z0-9+#.-]*[A-Za-z0-9+#]|[A-Za-z]")


@dataclass
class ProfileItem:
    """One text of a profile: a portfolio project, a skills summary, a past question..."""

    key: str
    text: str
    title: str = ""
    vector_id: int | None = None   # the item's id in a prebuilt vector index (a database key)


@dataclass
class Profile:
    """A team (or, in the reverse direction, a problem) as several texts plus facts."""

    id: object
    items: list[ProfileItem]
    tags: set[str] = field(default_factory=set)
    sectors: set[str] = field(default_factory=set)
    capacity_left: int | None = None
    name: str = ""


@dataclass
class Query:
    """What we look for matches for."""

    id: object
    text: str
    # A short statement of the need (a problem's title); its similarity is averaged with the text's.
    title: str = ""
    tags: set[str] = field(default_factory=set)
    sector: str | None = None
    # For a team looking for problems: every sector it works in.
    sectors: set[str] = field(default_factory=set)


def bridge(text: str, tax: taxonomy_mod.Taxonomy, tags: list[str] | None = None,
           multilingual: bool = False) -> tuple[str, str]:
    """(text for the embedder, text for BM25) with the text's taxonomy terms in both languages.

    The default embedder reads no Chinese, so a Chinese text gets its terms' English names; BM25
    gets both names so a Chinese query meets an English profile on the same terms, and back.
    """
    tags = tax.tag(text) if tags is None else tags
    english = "; ".join(tax.terms[t].en for t in tags if t in tax.terms)
    chinese = "；".join(tax.terms[t].zh for t in tags if t in tax.terms)
    if language(text) == "zh-TW" and not multilingual:
        # What an English model can read of a Chinese text: its Latin words and its terms' names.
        latin = " ".join(_LATIN.findall(text))
        dense = "; ".join(part for part in (english, latin) if part)
    else:
        dense = text
    lexical = f"{text}\n{english}\n{chinese}" if tags else text
    return dense, lexical
