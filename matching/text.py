"""Text handling shared by the indexes: language detection, a zh/en tokenizer, taxonomy bridging."""
from __future__ import annotations

import re
from functools import lru_cache

_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[a-z0-9][a-z0-9+#]*(?:[._-][a-z0-9+#]+)*")
_CJK_RUN = re.compile(rf"[{_CJK}]+")
_CJK_CHAR = re.compile(rf"[{_CJK}]")

# A short English stop list: BM25's IDF handles the rest.
STOPWORDS = frozenset("""
a an and are as at be been but by can could do does for from had has have how i if in into is it its
me my no not of on or our so such than that the their them then there these they this to too us was
we were what when where which while who will with would you your also any all more most other some
""".split())


@lru_cache(maxsize=1)
def _stemmer():
    import Stemmer

    return Stemmer.Stemmer("english")


def cjk_share(text: str) -> float:
    """Share of CJK characters among the letters of a text."""
    letters = sum(ch.isalpha() for ch in text)
    return len(_CJK_CHAR.findall(text)) / letters if letters else 0.0


def is_chinese(word: str) -> bool:
    """Whether a word is all CJK characters."""
    return bool(_CJK_RUN.fullmatch(word))


def language(text: str) -> str:
    """'zh-TW' when the text is mostly Chinese, else 'en'."""
    return "zh-TW" if cjk_share(text) >= 0.3 else "en"


def fold(text: str) -> str:
    """Lower case, with 台 read as 臺: both forms are in everyday use in Taiwan (台中 / 臺中, 機台 /
    機臺), and a reader means the same by either."""
    return text.lower().replace("台", "臺")


def tokenize(text: str) -> list[str]:
    """Chinese runs become character bigrams (no segmenter needed); English words are stemmed."""
    tokens: list[str] = []
    words: list[str] = []
    for match in _TOKEN.finditer(fold(text)):
        piece = match.group(0)
        if _CJK_RUN.fullmatch(piece):
            if len(piece) == 1:
                tokens.append(piece)
            else:
                tokens.extend(piece[i:i + 2] for i in range(len(piece) - 1))
        elif piece not in STOPWORDS and len(piece) > 1:
            words.append(piece)
    if words:
        tokens.extend(_stemmer().stemWords(words))
    return tokens
