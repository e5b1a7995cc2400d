"""The language of a text, told by its letters: Belarusian "і ў", Russian "и щ ъ", Latin.

>>> detect_lang("Міністэрства сувязі і інфарматызацыі")
'be'
>>> detect_lang("Министерство связи и информатизации")
'ru'
>>> detect_lang("Ministry of Communications and Informatization")
'en'
"""

from __future__ import annotations

import re

__all__ = ["detect_lang"]

_BE_ONLY = frozenset("іўІЎ")
_RU_ONLY = frozenset("ищъИЩЪ")
_LATIN = re.compile(r"[a-zA-Z]+")
_CYRILLIC = re.compile("[\u0400-\u04ff]+")


def detect_lang(text: str) -> str:
    """ "ru", "be" or "en" for ``text`` (Russian when there is nothing to tell by)."""
    latin = sum(map(len, _LATIN.findall(text)))  # letters counted by runs: fewer objects
    cyrillic = sum(map(len, _CYRILLIC.findall(text)))
    be = sum(map(text.count, _BE_ONLY))
    ru = sum(map(text.count, _RU_ONLY))
    if latin > cyrillic:
        return "en"
    if be > ru:
        return "be"
    return "ru"
