"""Regions in Belarusian text, for every entry of ``regions.toml``.

Belarusian spells region names by sound ("Хабараўскага краю", "Віцебскай вобласці", "Масквы").
Both languages are reduced to a consonant *skeleton* (``skeleton``: vowels merged, ў -> в,
дз -> д, ц -> т, soft signs dropped), which the Russian name and its Belarusian forms share; the
gazetteer's ``be_adjective``/``be_name`` entries add forms the skeleton misses. Rules:

1. ``be_adjective``: a region adjective before its kind's noun (вобласць, край, акруга,
   рэспубліка), also in shared-noun lists ("Самарскай і Ульянаўскай абласцей"); a list member the
   gazetteer does not know ("Жытомірскай") is skipped.
2. ``be_name``: a noun name in any case ("у Мінску", "з Масквой", "Башкартастана").
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["be_region_hits", "skeleton"]

_WORD = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_VOWELS = re.compile(r"[аеёиоуыэюяі]+")
# Belarusian noun stems of each kind of region (the word after the adjective)
_KIND_NOUNS = {
    "область": ("вобл", "абл"),  # вобласць, вобласці, абласцей, аблвыканкам
    "край": ("кра",),  # край, краю, краі
    "округ": ("акруг",),  # аўтаномная акруга
    "республика": ("рэспубл",),
}
_ADJ_END = re.compile(r"(?<=[сц]к)(?:ая|ий|ый|ой|ое)$")  # Курская, Ненецкий (not Марий)
_BE_ADJ_END = re.compile(r"(?:ая|ае|ы|і|ага|ай|аму|ую|ым|ім|ых|іх|ымі|імі|ой|ае)$")
_COORD = frozenset({"і", "й", ",", "ды"})


def skeleton(word: str) -> str:
    """The word's consonant skeleton, shared by its Russian and Belarusian spellings.

    >>> skeleton("Хабаровского") == skeleton("Хабараўскага"), skeleton("Витебск") == skeleton("Віцебск")
    (True, True)
    """
    low = word.lower().replace("’", "").replace("'", "").replace("ь", "").replace("ъ", "")
    low = low.replace("дз", "д").replace("ц", "т").replace("ў", "в").replace("щ", "шч")
    low = low.replace("тск", "тк").replace("стк", "тк")
    low = re.sub(r"(.)\1", r"\1", low)  # Черкесская / Чаркеская
    return _VOWELS.sub("a", low)


@dataclass(frozen=True)
class _BeIndex:
    adjectives: dict[str, tuple[str, str]]  # adjective stem skeleton -> (kind, region)
    names: dict[str, str]  # noun skeleton (no final vowel) -> region
    exact: dict[str, str]  # gazetteer be_name word forms -> region
    stems: tuple[tuple[str, str], ...]  # gazetteer be_adjective stems -> region


def _kind(noun: str) -> str:
    low = noun.lower()
    return next((k for k in _KIND_NOUNS if low.startswith(k[:5])), "")


@lru_cache(maxsize=1)
def _index() -> _BeIndex:
    from indexer.facts._gazetteer import gazetteer_entries

    adjectives: dict[str, tuple[str, str]] = {}
    names: dict[str, str] = {}
    exact: dict[str, str] = {}
    stems: list[tuple[str, str]] = []
    for entry in gazetteer_entries():
        region = str(entry["name"])
        words = region.split(" — ")[0].replace("(", "").replace(")", "").split()
        adjective = next((w for w in words if _ADJ_END.search(w.lower())), "")
        kind = next((_kind(w) for w in words if _kind(w)), "")
        if adjective and kind:
            adjectives[skeleton(_ADJ_END.sub("", adjective.lower()))] = (kind, region)
        for alias in [
            *(w for w in words if not _kind(w) and w != adjective),
            *entry.get("aliases", []),
        ]:
            alias = str(alias)
            if " " not in alias and alias[0].isupper() and len(alias) > 3 and not alias.isupper():
                names.setdefault(skeleton(alias.lower()).rstrip("a"), region)
        exact.update({str(w): region for w in entry.get("be_name", [])})
        stems += [(str(s), region) for s in entry.get("be_adjective", [])]
    return _BeIndex(adjectives, names, exact, tuple(stems))


def _adjective(word: str, index: _BeIndex) -> tuple[str, str] | None:
    """(kind, region) of a Belarusian region adjective ("Ульянаўскай")."""
    low = word.lower()
    if not _BE_ADJ_END.search(low):
        return None
    for stem, region in index.stems:
        if low.startswith(stem):
            return "область", region
    return index.adjectives.get(skeleton(_BE_ADJ_END.sub("", low)))


def _noun_kind(word: str) -> str:
    low = word.lower()
    return next((k for k, stems in _KIND_NOUNS.items() if low.startswith(stems)), "")


def _name(word: str, index: _BeIndex) -> str:
    low = word.lower()
    if low in index.exact:
        return index.exact[low]
    if not word[0].isupper() or len(low) < 4:
        return ""
    sk = skeleton(low)
    for key in (sk.rstrip("a"), re.sub(r"a?[йм]$", "", sk).rstrip("a")):  # Масквой, Татарстанам
        if key in index.names:
            return index.names[key]
    return ""


def be_region_hits(text: str) -> list[tuple[int, str]]:
    """(offset, region) of every region named in Belarusian ``text``."""
    index = _index()
    words = [(m.start(), m.group()) for m in _WORD.finditer(text)]
    found: list[tuple[int, str]] = []
    run: list[tuple[int, str, str]] = []  # (offset, kind, region) of pending adjectives
    for k, (start, word) in enumerate(words):
        pair = f"{word.lower()} {words[k + 1][1].lower()}" if k + 1 < len(words) else ""
        if pair in index.exact:
            found.append((start, index.exact[pair]))
        kind = _noun_kind(word)
        if kind and run:
            found += [(s, r) for s, kk, r in run if kk == kind]
            run = []
            continue
        adjective = (
            _adjective(word, index)
            if word[0].isupper() and word.lower() not in index.exact
            else None
        )
        if adjective is not None:
            run.append((start, *adjective))
            continue
        if word[0].isupper() and run and _BE_ADJ_END.search(word.lower()):
            continue  # a foreign region in the list: "Свярдлоўскай і Жытомірскай абласцей"
        if word.lower() not in _COORD and not word.lower().startswith("аўтаномн"):
            run = []
        name = _name(word, index)
        if name:
            found.append((start, name))
    return found
