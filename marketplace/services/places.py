"""Place names typed into a search box: "臺中 瑕疵檢測" searches 瑕疵檢測 among Taichung's problems."""
from __future__ import annotations

import re
from functools import lru_cache

from models import Region

_SUFFIXES = ("市", "縣", " city", " county")


def _plain(text: str) -> str:
    """Lower case, 台 read as 臺 (both are in everyday use), spaces collapsed."""
    return " ".join(text.lower().replace("台", "臺").split())


@lru_cache(maxsize=1)
def _names() -> list[tuple[str, frozenset[str]]]:
    """Every way of writing a region's name → the regions it names, longest first. A short name
    may name two regions (新竹 is a city and a county)."""
    names: dict[str, set[str]] = {}
    for region in Region:
        for full in (region.label("zh_TW"), region.label("en")):
            full = _plain(full)
            names.setdefault(full, set()).add(region.value)
            for suffix in _SUFFIXES:
                if full.endswith(suffix) and len(full) > len(suffix) + 1:
                    names.setdefault(full[: -len(suffix)], set()).add(region.value)
    return sorted(((n, frozenset(r)) for n, r in names.items()), key=lambda nr: -len(nr[0]))


def split_places(query: str) -> tuple[tuple[str, ...], str]:
    """(the regions named by words of their own in the query, the rest of the query).

    Only a whole word counts: 臺中 in "臺中 瑕疵檢測" names the region, 臺中港 stays a word to search."""
    rest, regions = f" {_plain(query)} ", set()
    for name, named in _names():
        pattern = re.compile(rf"(?<=\s){re.escape(name)}(?=\s)")
        if pattern.search(rest):
            regions |= named
            rest = pattern.sub(" ", rest)
    if not regions:
        return (), query.strip()
    return tuple(sorted(regions)), " ".join(rest.split())
