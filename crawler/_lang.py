"""The language of a text, told by its letters: Belarusian "і ў", Russian "и щ ъ", Latin.

>>> detect_lang("Міністэрства сувязі і інфарматызацыі")
'be'
>>> detect_lang("Министерство связи и информатизации")
'ru'
>>> detect_lang("Ministry of Communications and Informatization")
'en'
"""

from __future__ import annotations

__all__ = ["detect_lang"]

_BE_ONLY = frozenset("іўІЎ")
_RU_ONLY = frozenset("ищъИЩЪ")


def detect_lang(text: str) -> str:
    """ "ru", "be" or "en" for ``text`` (Russian when there is nothing to tell by)."""
    latin = cyrillic = be = ru = 0
    for ch in text:
        if "a" <= ch <= "z" or "A" <= ch <= "Z":
            latin += 1
        elif "\u0400" <= ch <= "\u04ff":
            cyrillic += 1
            if ch in _BE_ONLY:
                be += 1
            elif ch in _RU_ONLY:
                ru += 1
    if latin > cyrillic:
        return "en"
    if be > ru:
        return "be"
    return "ru"
