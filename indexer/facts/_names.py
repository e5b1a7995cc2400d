"""Person names in a token list, put in the nominative as "Имя [Отчество] Фамилия".

Forms read (``read_name``): "Романа Старовойта", "Дрозденко Александром Юрьевичем" (surname first,
with a patronymic), initials "Р.В. Старовойт" / "С.Алейник" / "А. Лукашенко" (the surname declined
by the case the role allows), and - after a role only - two capitalized words that pymorphy3 does
not know as names ("президент Франции Николя Саркози", ``loose``). First names and patronymics are
inflected by pymorphy3; surnames by their endings (pymorphy3 lemmatizes female surnames to the
male form), adjectival ones by pymorphy3 ("Дмитрием Крутым" -> Дмитрий Крутой), keeping ё as
written.
"""

from __future__ import annotations

import re
from typing import Any

from indexer.facts._morph import inflect
from indexer.facts._tokens import Token

__all__ = [
    "cap_name",
    "initials",
    "is_name_start",
    "read_name",
    "reversed_name",
    "reversed_start",
    "surname",
    "surname_alone",
    "unknown_pair",
]

_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_INITIALS_CASE_ORDER = ("gent", "ablt", "datv", "loct", "accs", "nomn")
_NOT_SURNAME = frozenset({"и", "с", "в", "на"})
_ADJECTIVAL = (
    (("ского", "скому", "ским", "ском"), "ский"),
    (("цкого", "цкому", "цким", "цком"), "цкий"),
)
_ADJ_SURNAME_ENDS = ("ым", "им", "ого", "его", "ому", "ему")
_NOT_LOOSE = frozenset({"Geox", "Orgn", "Abbr", "PREP", "CONJ", "PRCL", "NPRO"})
_PLACE = frozenset({"Geox", "Orgn"})
_CYRILLIC = re.compile(r"[А-ЯЁ]")


def cap_name(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def _name_parse(tok: Token, grammeme: str) -> Any:
    for p in tok.parses:
        if grammeme in p.tag:
            return p
    return None


def _capital_word(tok: Token) -> bool:
    return tok.kind == "word" and tok.is_upper_initial and tok.low not in _NOT_SURNAME


def reversed_start(tokens: tuple[Token, ...], i: int) -> bool:
    """ "Дрозденко Александром Юрьевичем": surname, first name, patronymic."""
    if i + 2 >= len(tokens) or not all(_capital_word(t) for t in tokens[i : i + 3]):
        return False
    return (
        _name_parse(tokens[i], "Name") is None
        and tokens[i].grams.isdisjoint(_PLACE)
        and (not tokens[i].known or _name_parse(tokens[i], "Surn") is not None)
        and _name_parse(tokens[i + 1], "Name") is not None
        and _name_parse(tokens[i + 2], "Patr") is not None
    )


def _loose_start(tokens: tuple[Token, ...], i: int) -> bool:
    """Two capitalized words that are no place, organisation or abbreviation."""
    if i + 1 >= len(tokens) or not (_capital_word(tokens[i]) and _capital_word(tokens[i + 1])):
        return False
    pair = tokens[i : i + 2]
    if any(t.text.isupper() or len(t.text) < 2 or not _CYRILLIC.match(t.text) for t in pair):
        return False
    return all(not any(g in t.grams for g in _NOT_LOOSE) for t in pair)


def is_name_start(tokens: tuple[Token, ...], i: int, loose: bool = False) -> bool:
    """A name starts at ``i``: a first name (or initial) and a capitalized word, a surname-first
    name with patronymic, or (``loose``) two unknown capitalized words."""
    if i + 1 >= len(tokens) or tokens[i].kind != "word" or not tokens[i].is_upper_initial:
        return False
    if len(tokens[i].text) == 1 and tokens[i + 1].text == ".":
        return True
    nxt = tokens[i + 1]
    if _name_parse(tokens[i], "Name") is not None and _capital_word(nxt):
        return True
    return reversed_start(tokens, i) or (loose and _loose_start(tokens, i))


def _masc_adjectival(tok: Token, case: str) -> str:
    """ "Крутым" -> "Крутой", "Толстого" -> "Толстой" (pymorphy3's adjective or surname)."""
    low = tok.low
    if not low.endswith(_ADJ_SURNAME_ENDS) or low.endswith(("ским", "цким", "ского", "цкого")):
        return ""
    for p in tok.parses:
        if ("ADJF" in p.tag or "Surn" in p.tag) and case in p.tag and "masc" in p.tag:
            form = inflect(p, frozenset({"nomn", "sing", "masc"}))
            if form and len(form) >= len(low) - 3:
                return cap_name(form)
    return ""


_HUSHING = frozenset("гкхжшчщ")  # after these the genitive of "-а" is "-и" ("Шапши")


def surname(tok: Token, gender: str, case: str) -> str:
    """A surname in the nominative ("Старовойта" -> "Старовойт", "Крутым" -> "Крутой")."""
    word = tok.text
    low = word.lower()
    if case == "nomn":
        return word
    if gender == "femn":
        for end, repl in (("ской", "ская"), ("цкой", "цкая"), ("ой", "а")):
            if low.endswith(end):
                return word[: -len(end)] + repl
        if case == "accs" and low.endswith(("ову", "еву", "ину", "ыну")):
            return word[:-1] + "а"
        return word
    for ends, nominative in _ADJECTIVAL:  # "Ольшевского" -> "Ольшевский"
        if low.endswith(ends):
            return word[: -len(next(e for e in ends if low.endswith(e)))] + nominative
    adjectival = _masc_adjectival(tok, case)
    if adjectival and not low.endswith(("ином", "ыном", "овым", "евым", "иным", "ыным")):
        return adjectival
    if case == "ablt":
        for end in ("ым", "ом", "ем", "ём"):
            if low.endswith(end):
                return word[: -len(end)]
        if not tok.has("ADJF") and not low.endswith(("ской", "цкой")):
            for end, nominative in (("ой", "а"), ("ей", "я"), ("ёй", "я")):  # "Шапшой" -> "Шапша"
                if low.endswith(end) and len(low) > 4:
                    return word[: -len(end)] + nominative
    if case in ("gent", "accs") and low.endswith(("а", "я")):
        return word[:-1]
    if (
        case == "gent"
        and len(low) > 3
        and (low[-1] == "ы" or low[-2:-1] in _HUSHING and low[-1] == "и")
    ):
        return word[:-1] + "а"  # "Шапши", "Гривы" -> "Шапша", "Грива" (not "Саакашвили")
    if case == "accs" and low.endswith("у") and len(low) > 3:  # "Шапшу" -> "Шапша"
        return word[:-1] + "а"
    if case == "datv" and low.endswith(("у", "ю")):
        return word[:-1]
    if case == "loct" and low.endswith("е"):
        return word[:-1]
    return word


def initials(tokens: tuple[Token, ...], i: int, cases: frozenset[str]) -> tuple[str, int] | None:
    k = i
    initials = ""
    while k + 1 < len(tokens) and len(tokens[k].text) == 1 and tokens[k + 1].text == ".":
        initials += tokens[k].text + "."
        k += 2
    if k >= len(tokens) or not _capital_word(tokens[k]) or len(tokens[k].text) < 2:
        return None
    tok = tokens[k]
    case = "nomn"
    if cases and "nomn" not in cases:
        case = next((c for c in _INITIALS_CASE_ORDER if c in cases), "nomn")
    return f"{initials} {surname(tok, 'masc', case)}", k


def _first_name_case(tokens: tuple[Token, ...], i: int, cases: frozenset[str]) -> tuple[Any, str]:
    first = [p for p in tokens[i].parses if "Name" in p.tag]
    chosen = next((p for p in first if any(c in p.tag for c in cases)), first[0])
    case = next((c for c in _CASES if c in chosen.tag and c in cases), "")
    return chosen, case or next(c for c in _CASES if c in chosen.tag)


def _patronymic(tok: Token, case: str, gender: str) -> str:
    patr = _name_parse(tok, "Patr")
    match = next((p for p in tok.parses if "Patr" in p.tag and case in p.tag), patr)
    return cap_name(inflect(match, frozenset({"nomn", "sing", gender})) or tok.text)


def reversed_name(tokens: tuple[Token, ...], i: int, cases: frozenset[str]) -> tuple[str, int]:
    chosen, case = _first_name_case(tokens, i + 1, cases)
    gender = "femn" if "femn" in chosen.tag else "masc"
    first = cap_name(inflect(chosen, frozenset({"nomn", "sing"})) or tokens[i + 1].text)
    patr = _patronymic(tokens[i + 2], case, gender)
    return f"{first} {patr} {surname(tokens[i], gender, case)}", i + 2


def unknown_pair(tokens: tuple[Token, ...], i: int) -> bool:
    """Two capitalized words, the first unknown to pymorphy3 ("Николя Саркози", "Ху Цзиньтао")."""
    return _loose_start(tokens, i) and not tokens[i].known


def surname_alone(
    tokens: tuple[Token, ...], i: int, cases: frozenset[str]
) -> tuple[str, int] | None:
    """A surname right after a role ("президентом Обамой", "губернатор Богомаз")."""
    tok = tokens[i]
    if not _capital_word(tok) or tok.text.isupper() or len(tok.text) < 3:
        return None
    if not _CYRILLIC.match(tok.text):
        return None
    if not tok.grams.isdisjoint(_NOT_LOOSE) or _name_parse(tok, "Name") is not None:
        return None
    if tok.known and _name_parse(tok, "Surn") is None:
        return None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if nxt is not None and _capital_word(nxt):
        return None
    case = next((c for c in _INITIALS_CASE_ORDER if c in cases), "nomn")
    surn = next((p for p in tok.parses if "Surn" in p.tag and case in p.tag), None)
    if surn is not None:
        gender = "femn" if "femn" in surn.tag and "ms-f" not in surn.tag else "masc"
        form = inflect(surn, frozenset({"nomn", "sing"}))
        if gender == "masc" and form:
            return cap_name(form), i
    return surname(tok, "masc", case), i


def _loose(tokens: tuple[Token, ...], i: int) -> tuple[str, int]:
    """Unknown names are taken as written (no reliable declension)."""
    return f"{tokens[i].text} {tokens[i + 1].text}", i + 1


def read_name(
    tokens: tuple[Token, ...], i: int, cases: frozenset[str], loose: bool = False
) -> tuple[str, int] | None:
    """(nominative name, last token) of the name at ``i``; ``cases`` are those the role allows."""
    if not is_name_start(tokens, i, loose):
        return None
    if len(tokens[i].text) == 1:
        return initials(tokens, i, cases)
    if _name_parse(tokens[i], "Name") is None or not _capital_word(tokens[i + 1]):
        return reversed_name(tokens, i, cases) if reversed_start(tokens, i) else _loose(tokens, i)
    chosen, case = _first_name_case(tokens, i, cases)
    gender = "femn" if "femn" in chosen.tag else "masc"
    words = [cap_name(inflect(chosen, frozenset({"nomn", "sing"})) or tokens[i].text)]
    k = i + 1
    if _name_parse(tokens[k], "Patr") is not None and k + 1 < len(tokens):
        if _capital_word(tokens[k + 1]):
            words.append(_patronymic(tokens[k], case, gender))
            k += 1
    words.append(surname(tokens[k], gender, case))
    return " ".join(words), k
