"""Which words of a capitalized run are a person's name.

After a role the capitalized words run on: first the organisation or place the role belongs to,
then the name ("министр связи Республики Беларусь Константин Шульган", "фотограф Ассошиэйтед
Пресс Билал Хассеин", "глава правительства Израиля Биньямин Нетаньяху"). ``name_in_run`` reads
the run as units (a word; lower-case particles with the word they precede: "бин Ладена";
"О’Рейли") and takes the name at its end, in this order:

1. ``surname_first``: surname, first name, patronymic ("Михайловым Александром Николаевичем");
2. ``known_first``: a first name pymorphy3 knows, then one or two units (patronymic or middle
   name, surname) ending the run;
3. ``foreign``: the units left after dropping those pymorphy3 knows as no name (places,
   organisations, common nouns, Latin words): one (a surname alone), two or three ("Реджеп Тайип
   Эрдоган"), of longer runs the last two.

A name must agree in case with the role ("муж актрисы Сергей Сенин" names no actress): a known
first name or surname needs a parse in one of the role's cases. Names pymorphy3 does not know are
kept as written.
"""

from __future__ import annotations

from indexer.facts._morph import inflect
from indexer.facts._names import cap_name, initials, reversed_name, reversed_start, surname
from indexer.facts._person_lexicon import NAME_PARTICLES
from indexer.facts._tokens import Token

__all__ = ["Name", "name_in_run", "run_end"]

Name = tuple[int, str, int]  # first token, the name in the nominative, last token
Unit = tuple[int, int]  # first and last token of one name word
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_NOT_NAME = frozenset({"Geox", "Orgn", "Abbr", "PREP", "CONJ", "PRCL", "NPRO", "ADVB", "VERB"})
_APOSTROPHES = frozenset({"’", "'"})


def _cyrillic_capital(tok: Token) -> bool:
    first = tok.text[0]
    return tok.kind == "word" and ("А" <= first <= "Я" or first == "Ё")


def _word(tok: Token) -> bool:
    """A capitalized Cyrillic word that may be part of a name (not an abbreviation)."""
    text = tok.text
    if tok.kind != "word" or not text[0].isupper() or (len(text) > 1 and text.isupper()):
        return False
    return True


def _particle_word(tok: Token) -> bool:
    """ "аль-Хадж": a lower-case particle joined by a hyphen to a capitalized word."""
    head, _, rest = tok.text.partition("-")
    return bool(rest) and head.lower() in NAME_PARTICLES and rest[:1].isupper()


def _units(tokens: tuple[Token, ...], k: int) -> list[Unit]:
    """The units of the capitalized run starting at ``k``."""
    out: list[Unit] = []
    j = k
    n = len(tokens)
    while j < n:
        tok = tokens[j]
        if _word(tok) and len(tok.text) == 1:
            if j + 2 < n and tokens[j + 1].text in _APOSTROPHES and _word(tokens[j + 2]):
                out.append((j, j + 2))  # О’Рейли
                j += 3
                continue
            break  # an initial
        if _word(tok) and not (out and tok.low in NAME_PARTICLES) or out and _particle_word(tok):
            out.append((j, j))
            j += 1
            continue
        if out and tok.low in NAME_PARTICLES:  # бин Ладена, фон дер Ляйен, Ле Пен
            p = j
            while p < n and tokens[p].low in NAME_PARTICLES:
                p += 1
            if p < n and _word(tokens[p]) and len(tokens[p].text) > 1:
                out.append((j, p))
                j = p + 1
                continue
        break
    return out


def run_end(tokens: tuple[Token, ...], k: int) -> int:
    """Index after the capitalized run starting at ``k`` (``k`` itself if there is none)."""
    units = _units(tokens, k)
    return units[-1][1] + 1 if units else k


def _single(tokens: tuple[Token, ...], u: Unit) -> Token | None:
    return tokens[u[0]] if u[0] == u[1] else None


def _has(tok: Token | None, grammeme: str) -> bool:
    return tok is not None and any(grammeme in p.tag for p in tok.parses)


def _agrees(tok: Token | None, grammeme: str, cases: frozenset[str]) -> bool:
    """A known name word (``Name``/``Surn``/``Patr``) can be in one of ``cases``."""
    if tok is None or not cases or not tok.known:
        return True
    found = [p for p in tok.parses if grammeme in p.tag and "plur" not in p.tag]
    return not found or any(c in p.tag for p in found for c in cases)


def _no_name(tokens: tuple[Token, ...], u: Unit, places: frozenset[int]) -> bool:
    """A unit pymorphy3 knows as something else than a name (or a place, or a Latin word)."""
    tok = _single(tokens, u)
    if tok is None:
        return False
    if u[0] in places or not _cyrillic_capital(tok):
        return True
    if not tok.known:
        return False
    if any(g in p.tag for p in tok.parses for g in ("Name", "Surn", "Patr")):
        return any(g in tok.grams for g in ("Geox", "Orgn"))
    return True


def _text(tokens: tuple[Token, ...], u: Unit) -> str:
    """A unit as written; particles stay lower case ("бин Ладен")."""
    first, last = u
    if first + 2 == last and tokens[first + 1].text in _APOSTROPHES:
        return "".join(t.text for t in tokens[first : last + 1])
    return " ".join(t.text for t in tokens[first : last + 1])


def _surname_unit(tokens: tuple[Token, ...], u: Unit, gender: str, case: str) -> str:
    """The surname unit in the nominative: particles as written, the word declined."""
    first, last = u
    if first + 2 == last and tokens[first + 1].text in _APOSTROPHES:
        return _text(tokens, u)
    particles = " ".join(t.text for t in tokens[first:last])
    word = surname(tokens[last], gender, case)
    return f"{particles} {word}" if particles else word


def _known_first(
    tokens: tuple[Token, ...], units: list[Unit], a: int, cases: frozenset[str]
) -> str | None:
    """ "Константин Шульган", "Виктора Степановича Гордеева", "Реджеп Тайип Эрдоган"."""
    tok = _single(tokens, units[a])
    rest = len(units) - a
    if tok is None or not tok.known or rest not in (2, 3) or not _has(tok, "Name"):
        return None
    if not _agrees(tok, "Name", cases):
        return None
    names = [p for p in tok.parses if "Name" in p.tag and "sing" in p.tag]
    if not names:  # "Киран": a plural of Кира only, so no first name pymorphy3 knows
        return None
    chosen = next((p for p in names if any(c in p.tag for c in cases)), names[0])
    case = next((c for c in _CASES if c in chosen.tag and c in cases), "")
    case = case or next((c for c in _CASES if c in chosen.tag), "nomn")
    gender = "femn" if "femn" in chosen.tag else "masc"
    words = [cap_name(inflect(chosen, frozenset({"nomn", "sing"})) or tok.text)]
    if rest == 3:
        middle = _single(tokens, units[a + 1])
        if _has(middle, "Patr"):
            assert middle is not None
            patr = next((p for p in middle.parses if "Patr" in p.tag and case in p.tag), None)
            patr = patr or next(p for p in middle.parses if "Patr" in p.tag)
            words.append(
                cap_name(inflect(patr, frozenset({"nomn", "sing", gender})) or middle.text)
            )
        elif middle is not None and (not middle.known or _has(middle, "Name")):
            words.append(middle.text)  # Реджеп Тайип Эрдоган, Хуан Антонио Колома
        else:
            return None
    words.append(_surname_unit(tokens, units[-1], gender, case))
    return " ".join(words)


def _surname_alone(tokens: tuple[Token, ...], u: Unit, cases: frozenset[str]) -> str | None:
    """One unit left: a surname ("президент Саакашвили", "губернатора Богомаза")."""
    tok = _single(tokens, u)
    if tok is None:
        return _text(tokens, u) if u[1] > u[0] and tokens[u[0]].low in NAME_PARTICLES else None
    if len(tok.text) < 3 or _has(tok, "Name") and tok.known:
        return None
    if tok.known and not _has(tok, "Surn"):
        return None
    if not _agrees(tok, "Surn", cases):
        return None
    case = next((c for c in ("gent", "ablt", "datv", "loct", "accs", "nomn") if c in cases), "nomn")
    surn = next((p for p in tok.parses if "Surn" in p.tag and case in p.tag), None)
    if surn is not None and "femn" not in surn.tag:
        form = inflect(surn, frozenset({"nomn", "sing"}))
        if form:
            return cap_name(form)
    return surname(tok, "masc", case)


def name_in_run(
    tokens: tuple[Token, ...],
    k: int,
    cases: frozenset[str],
    places: frozenset[int] = frozenset(),
    skip_first: bool = False,
) -> Name | None:
    """The name ending the capitalized run at ``k``, or None. ``cases``: those the role allows
    (empty: any); ``places``: token indices inside region mentions; ``skip_first``: the run's first
    unit cannot start the name (it follows a preposition: "посол в Грузии Виторио Сандали")."""
    if k + 1 < len(tokens) and len(tokens[k].text) == 1 and tokens[k + 1].text == ".":
        if skip_first or not tokens[k].is_upper_initial:
            return None
        found = initials(tokens, k, cases)
        return None if found is None else (k, found[0], found[1])
    units = _units(tokens, k)
    if not units:
        return None
    start = 1 if skip_first else 0
    last = units[-1][1]
    if len(units) - start >= 3:  # before known_first: "Михайловым Александром Николаевичем"
        first = units[-3][0]
        if all(u[0] == u[1] for u in units[-3:]) and reversed_start(tokens, first):
            if _agrees(tokens[first + 1], "Name", cases):
                return first, reversed_name(tokens, first, cases)[0], last
    for a in range(start, len(units) - 1):
        name = _known_first(tokens, units, a, cases)
        if name is not None:
            return units[a][0], name, last
    a = start
    while a < len(units) and _no_name(tokens, units[a], places):
        a += 1
    left = len(units) - a
    if left == 0:
        return None
    if left == 1:
        alone = _surname_alone(tokens, units[a], cases)
        return None if alone is None else (units[a][0], alone, last)
    a = max(a, len(units) - 2) if left >= 4 else a
    if any(_no_name(tokens, u, places) for u in units[a:]):
        return None
    if not all(_agrees(_single(tokens, u), g, cases) for u in units[a:] for g in ("Name", "Surn")):
        return None  # "во главе с министром Константином Шевчуком": no nominative name
    return units[a][0], " ".join(_text(tokens, u) for u in units[a:]), last
