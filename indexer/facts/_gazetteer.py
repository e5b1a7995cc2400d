"""Region names: the gazetteer in ``regions.toml`` matched on lemmas of tokens.

Three rules, tried at each token in this order (the first that matches wins):

1. ``name``: a region name or alias in any case, longest first ("Курской областью",
   "Минским горисполкомом" -> Минск, "Кузбассом").
2. ``shared_noun``: adjectives sharing one plural noun ("Гомельской, Могилевской и Витебской
   областями" -> three regions).
3. ``authority``: a region adjective before an authority noun ("курская делегация",
   "Витебского облисполкома").
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Any

from indexer.facts._morph import lemmas, norm
from indexer.facts._tokens import Token, spans, tokenize

__all__ = [
    "RegionMention",
    "be_region_hits",
    "find_regions",
    "gazetteer_entries",
    "may_start_region",
    "region_mentions",
]

# nouns after a region adjective that name the region's authority or delegation
_AUTHORITY = frozenset(
    {
        "делегация",  # курская делегация
        "губернатор",  # смоленский губернатор
        "администрация",
        "правительство",
        "облисполком",  # Витебского облисполкома
        "власть",  # брянские власти
        "дума",
        "сторона",  # курская сторона
        "руководство",
        "облсовет",
        "областной",  # Витебского областного Совета депутатов
    }
)
_ADJ_ENDINGS = ("ая", "ий", "ый", "ой", "ое")
_COORD = frozenset({",", "и"})
_FOREIGN_ENDINGS = ("ской", "цкой", "ского", "ским", "ских", "скими", "скую", "ская", "ские")


@dataclass(frozen=True)
class RegionMention:
    """A region named by tokens ``[first, last]`` of a token list."""

    first: int
    last: int
    region: str
    rule: str


@dataclass(frozen=True)
class _Form:
    words: tuple[frozenset[str], ...]  # lemma sets, one per word
    region: str


@dataclass(frozen=True)
class _Gazetteer:
    forms: dict[str, tuple[_Form, ...]]  # first-word lemma -> forms
    adjectives: dict[str, tuple[tuple[frozenset[str], ...], str]]  # adj lemma -> (noun, region)
    noun_adjectives: dict[str, str]  # "петербургский" -> "Санкт-Петербург"
    be_adjectives: tuple[tuple[str, str], ...]  # Belarusian stem -> region
    be_names: dict[str, str]  # Belarusian word form -> region


def _word_set(word: str) -> frozenset[str]:
    found = lemmas(word)
    return found | {"обл"} if "область" in found else found


def _names(entry: dict[str, object]) -> list[str]:
    name = str(entry["name"])
    parts = [p.strip() for p in re.split(r" — |[()]", name) if p.strip()]
    aliases = entry.get("aliases", [])
    assert isinstance(aliases, list)
    return [name, *parts, *(str(a) for a in aliases)]


@lru_cache(maxsize=1)
def _gazetteer() -> _Gazetteer:
    """Load ``regions.toml`` once and index its forms by first word."""
    data = tomllib.loads(resources.files("indexer.facts").joinpath("regions.toml").read_text())
    forms: dict[str, list[_Form]] = {}
    adjectives: dict[str, tuple[tuple[frozenset[str], ...], str]] = {}
    noun_adjectives: dict[str, str] = {}
    be_adjectives: list[tuple[str, str]] = []
    be_names: dict[str, str] = {}
    for entry in [*data["ru"], *data["by"]]:
        region = str(entry["name"])
        for phrase in _names(entry):
            words = [w for w in re.split(r"\s+", phrase) if w not in ("—", "-")]
            form = _Form(tuple(_word_set(w) for w in words), region)
            for lemma in form.words[0]:
                forms.setdefault(lemma, []).append(form)
        first = region.split()[0]
        if " " in region and norm(first).endswith(_ADJ_ENDINGS) and first[0].isupper():
            noun = tuple(_word_set(w) for w in region.split(" — ")[0].split()[1:])
            for lemma in lemmas(first) - {norm(first)}:
                adjectives[lemma] = (noun, region)
        if "adjective" in entry:
            noun_adjectives[str(entry["adjective"])] = region
        be_adjectives += [(str(stem), region) for stem in entry.get("be_adjective", [])]
        be_names.update({str(word): region for word in entry.get("be_name", [])})
    return _Gazetteer(
        {k: tuple(v) for k, v in forms.items()},
        adjectives,
        noun_adjectives,
        tuple(be_adjectives),
        be_names,
    )


def _match_words(tokens: Sequence[Token], i: int, words: tuple[frozenset[str], ...]) -> int:
    """Index of the last token if ``words`` match from ``tokens[i]`` (skipping "."), else -1."""
    j = i
    for k, word in enumerate(words):
        while k and j < len(tokens) and tokens[j].text == "." and "обл" in words[k - 1]:
            j += 1
        if j >= len(tokens) or tokens[j].lemmas.isdisjoint(word):
            return -1
        j += 1
    return j - 1


def _by_name(tokens: Sequence[Token], i: int, gaz: _Gazetteer) -> RegionMention | None:
    best: RegionMention | None = None
    seen: set[int] = set()
    after = tokens[i + 1].lemmas if i + 1 < len(tokens) else frozenset()
    for lemma in tokens[i].lemmas:
        for form in gaz.forms.get(lemma, ()):
            if id(form) in seen:
                continue
            seen.add(id(form))
            words = form.words
            if len(words) > 1 and "обл" not in words[0] and after.isdisjoint(words[1]):
                continue  # the second word differs ("Республики Беларусь" vs 34 "Республика ...")
            last = _match_words(tokens, i, words)
            if last >= 0 and (best is None or last > best.last):
                best = RegionMention(i, last, form.region, "name")
    return best


def _adjective(tok: Token, gaz: _Gazetteer) -> tuple[tuple[frozenset[str], ...], str] | None:
    for lemma in tok.lemmas:
        if lemma in gaz.adjectives and tok.has("ADJF"):
            return gaz.adjectives[lemma]
    return None


def _foreign_adjective(tok: Token) -> bool:
    """A capitalized adjective the gazetteer does not know ("Житомирской", "Ида-Вирумааской")."""
    return tok.kind == "word" and tok.is_upper_initial and tok.low.endswith(_FOREIGN_ENDINGS)


def _adjective_run(
    tokens: Sequence[Token], i: int, gaz: _Gazetteer
) -> tuple[list[tuple[int, str]], int]:
    """Region adjectives from ``i`` joined by "," / "и": [(token, region), ...], and the last
    adjective's index (foreign members of the list are skipped: "Курганской и Житомирской")."""
    found = _adjective(tokens[i], gaz)
    if found is None:
        return [], i
    run = [(i, found[1])]
    j = i + 1
    last = i
    while j + 1 < len(tokens) and tokens[j].low in _COORD:
        nxt = _adjective(tokens[j + 1], gaz)
        if nxt is None:
            if not _foreign_adjective(tokens[j + 1]):
                break
        else:
            run.append((j + 1, nxt[1]))
        last = j + 1
        j += 2
    return run, last


def _noun_of(region: str, gaz: _Gazetteer) -> tuple[frozenset[str], ...]:
    return next(noun for noun, r in gaz.adjectives.values() if r == region)


def _shared_noun(tokens: Sequence[Token], i: int, gaz: _Gazetteer) -> list[RegionMention]:
    """Adjectives sharing one noun: "Гомельской, Могилевской и Витебской областями",
    "Гродненским и Витебским облисполкомами", "с тремя областями — Свердловской, Тюменской и
    Челябинской" (the noun before the list)."""
    run, last = _adjective_run(tokens, i, gaz)
    if not run:
        return []
    j = last + 1
    after = tokens[j] if j < len(tokens) else None
    if last > i and after is not None and after.has("plur"):
        lasts = [_match_words(tokens, j, _noun_of(region, gaz)) for _, region in run]
        if all(last >= 0 for last in lasts):
            return [RegionMention(k, lasts[0], r, "shared_noun") for k, r in run]
        if after.lemma_is(*_AUTHORITY):
            return [RegionMention(k, j, r, "shared_authority") for k, r in run]
    if after is not None and after.kind == "word":
        return []
    if last == i and (i == 0 or tokens[i - 1].text != "—"):
        return []
    noun = _noun_of(run[0][1], gaz)
    for k in range(i - 1, max(i - 12, -1), -1):
        if _match_words(tokens, k, noun) >= 0:
            return [RegionMention(k2, k2, r, "noun_first") for k2, r in run]
    return []


def _authority(tokens: Sequence[Token], i: int, gaz: _Gazetteer) -> RegionMention | None:
    """ "курская делегация", "Витебского облисполкома", "петербургская делегация"."""
    if i + 1 >= len(tokens) or not tokens[i + 1].lemma_is(*_AUTHORITY):
        return None
    for lemma in tokens[i].lemmas:  # an explicit adjective first: "московские власти" -> Москва
        if lemma in gaz.noun_adjectives:
            return RegionMention(i, i + 1, gaz.noun_adjectives[lemma], "authority")
    found = _adjective(tokens[i], gaz)
    if found is not None:
        return RegionMention(i, i + 1, found[1], "authority")
    return None


def may_start_region(tok: Token) -> bool:
    """The token can start a region mention (a name's first word or a region adjective): its
    ``may_region``, tested once per token text."""
    if tok.kind != "word":
        return False
    gaz = _gazetteer()
    return any(
        lem in gaz.forms or lem in gaz.adjectives or lem in gaz.noun_adjectives
        for lem in tok.lemmas
    )


def region_mentions(tokens: Sequence[Token]) -> list[RegionMention]:
    """Every region named in ``tokens``, in text order."""
    starts = [i for i, tok in enumerate(tokens) if tok.may_region]
    if not starts:
        return []
    gaz = _gazetteer()
    out: list[RegionMention] = []
    after = 0  # the token after the last mention
    for i in starts:
        if i < after:
            continue
        named = _by_name(tokens, i, gaz)
        auth = _authority(tokens, i, gaz)
        if auth is not None and (named is None or named.last == i):  # "Минском облисполкоме"
            out.append(auth)
            after = auth.last + 1
        elif named is not None:
            out.append(named)
            after = named.last + 1
        else:
            shared = _shared_noun(tokens, i, gaz)
            if shared:
                out.extend(shared)
                after = shared[-1].last + 1
    return out


def be_region_hits(text: str) -> list[tuple[int, str]]:
    """Regions in Belarusian text (``_be_regions``); nothing for text without і/ў."""
    if not re.search(r"[іўІЎ]", text):
        return []
    from indexer.facts._be_regions import be_region_hits as hits

    return hits(text)


@lru_cache(maxsize=1)
def gazetteer_entries() -> tuple[dict[str, Any], ...]:
    """The entries of ``regions.toml`` (Russian subjects, then Belarusian regions)."""
    data = tomllib.loads(resources.files("indexer.facts").joinpath("regions.toml").read_text())
    return (*data["ru"], *data["by"])


def find_regions(text: str) -> tuple[str, ...]:
    """Regions named in ``text``, nominative, in order of first mention, each once.

    >>> find_regions("с Гомельской, Могилевской и Витебской областями")
    ('Гомельская область', 'Могилевская область', 'Витебская область')
    """
    tokens = tokenize(text)
    offsets = spans(text, tokens)
    hits = [(offsets[m.first][0], m.region) for m in region_mentions(tokens)]
    hits += be_region_hits(text)
    return tuple(dict.fromkeys(region for _, region in sorted(hits, key=lambda h: h[0])))
