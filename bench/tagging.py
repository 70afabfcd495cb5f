"""Taxonomy tagging speed: the app's tagger against a plain scan, side by side on the same texts."""
from __future__ import annotations

import time

from matching.taxonomy import Taxonomy, _is_word
from matching.text import fold


def plain_tag(tax: Taxonomy, text: str) -> list[str]:
    """The baseline: at every position, every name length, longest first (the tagger before it
    learnt where names can begin). Same rules, so it must find the same tags."""
    surface = tax._by_surface
    lengths = sorted({len(name) for name in surface}, reverse=True)
    low, found, i = fold(text), {}, 0
    while i < len(low):
        word_start = low[i].isalnum() and (i == 0 or not _is_word(low[i - 1]))
        for length in lengths:
            key = surface.get(low[i:i + length]) if i + length <= len(low) else None
            if key and (any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in low[i:i + length])
                        or (word_start and not _is_word(low[i + length:i + length + 1] or " "))):
                found[key] = None
                i += length
                break
        else:
            i += 1
    return list(found)


def rows(groups: dict[str, list[str]], tax: Taxonomy, repeat: int = 3) -> list[dict]:
    """Characters per second of both taggers on each group of texts (best of `repeat`)."""
    out = []
    for name, texts in groups.items():
        chars = sum(len(t) for t in texts)
        timings = {}
        for label, tag in (("plain scan", lambda t: plain_tag(tax, t)), ("tagger", tax.tag)):
            best = float("inf")
            for _ in range(repeat):
                start = time.perf_counter()
                tags = [tag(t) for t in texts]
                best = min(best, time.perf_counter() - start)
            timings[label] = (best, tags)
        same = timings["plain scan"][1] == timings["tagger"][1]
        out.append({"texts": f"{name} ({len(texts)}, {chars:,} chars)",
                    "plain scan chars/s": f"{chars / timings['plain scan'][0]:,.0f}",
                    "tagger chars/s": f"{chars / timings['tagger'][0]:,.0f}",
                    "×": round(timings["plain scan"][0] / timings["tagger"][0], 1),
                    "same tags": same})
    return out
