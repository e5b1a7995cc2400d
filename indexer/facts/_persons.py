"""person_role: a position followed by a person's name, both put in the nominative.

Rules, in order:

1. ``role_then_name``: "губернатора Курской области Романа Старовойта" -> Роман Старовойт,
   губернатор Курской области. The role is a head noun from ``ROLE_HEADS`` (with "первый",
   "генеральный" before it) and its genitive dependents ("министр промышленности, торговли и
   предпринимательства", "начальник главного управления по образованию", "РУП «Белпочта»").
2. ``name_then_role``: "Пётр Алёшин, министр цифрового развития Смоленской области, рассказал".

Names are "Имя [Отчество] Фамилия" (or initials + surname); first names and patronymics are
inflected by pymorphy3, surnames by their endings (pymorphy3 lemmatizes female surnames to the
male form), keeping ё as written.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from core.records import Fact
from indexer.facts._context import Context
from indexer.facts._morph import inflect
from indexer.facts._tokens import Token

__all__ = ["PersonRole", "find_person_roles", "person_rules", "title_role"]

ROLE_HEADS = frozenset(
    {
        "министр",  # министр связи и информатизации
        "заместитель",  # заместитель губернатора
        "губернатор",
        "вице-губернатор",
        "председатель",  # председатель Витебского облисполкома
        "руководитель",  # руководитель Департамента ...
        "директор",  # генеральный директор РУП «Белпочта»
        "начальник",  # начальник главного управления по образованию
        "глава",  # глава муниципального образования
        "мэр",
        "премьер-министр",
        "вице-премьер",
        "посол",
        "консул",
        "ректор",
        "президент",
        "помощник",
        "советник",
    }
)
_MODIFIERS = frozenset({"первый", "генеральный"})
_ADJECTIVAL = (
    (("ского", "скому", "ским", "ском"), "ский"),
    (("цкого", "цкому", "цким", "цком"), "цкий"),
)
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_NOT_SURNAME = frozenset({"и", "с", "в", "на"})


@dataclass(frozen=True)
class PersonRole:
    """A person (nominative) and the role in which the sentence names them."""

    name: str
    role: str
    first: int  # token span of the role + name
    last: int


def _cap(word: str) -> str:
    return "-".join(part[:1].upper() + part[1:] for part in word.split("-"))


def _name_parse(tok: Token, grammeme: str) -> Any:
    for p in tok.parses:
        if grammeme in p.tag:
            return p
    return None


def _is_name_start(tokens: tuple[Token, ...], i: int) -> bool:
    """A capitalized first name (or an initial) followed by a capitalized word."""
    if i + 1 >= len(tokens) or tokens[i].kind != "word" or not tokens[i].is_upper_initial:
        return False
    if len(tokens[i].text) == 1 and tokens[i + 1].text == ".":
        return True
    nxt = tokens[i + 1]
    return (
        _name_parse(tokens[i], "Name") is not None
        and nxt.kind == "word"
        and nxt.is_upper_initial
        and nxt.low not in _NOT_SURNAME
    )


def _surname(word: str, gender: str, case: str) -> str:
    """A surname in the nominative from its ending ("Старовойта" -> "Старовойт")."""
    low = word.lower()
    if case == "nomn":
        return word
    if gender == "femn":
        for end, repl in (
            ("ской", "ская"),
            ("цкой", "цкая"),
            ("ской", "ская"),
            ("ой", "а"),
            ("ую", "ая"),
        ):
            if low.endswith(end) and end != "ую":
                return word[: -len(end)] + repl
        if case == "accs" and low.endswith(("ову", "еву", "ину", "ыну")):
            return word[:-1] + "а"
        return word
    for ends, nominative in _ADJECTIVAL:  # "Ольшевского" -> "Ольшевский"
        if low.endswith(ends) and not (case == "ablt" and ends[0] == "ой"):
            return word[: -len(next(e for e in ends if low.endswith(e)))] + nominative
    if case == "ablt":
        for end in ("ым", "ом", "ем", "ём"):
            if low.endswith(end):
                return word[: -len(end)]
    if case in ("gent", "accs") and low.endswith(("а", "я")):
        return word[:-1]
    if case == "datv" and low.endswith(("у", "ю")):
        return word[:-1]
    if case == "loct" and low.endswith("е"):
        return word[:-1]
    return word


def _read_name(tokens: tuple[Token, ...], i: int, cases: frozenset[str]) -> tuple[str, int] | None:
    """(nominative name, last token) of the name at ``i``; ``cases`` are those the role allows."""
    if not _is_name_start(tokens, i):
        return None
    if len(tokens[i].text) == 1:  # initials: "Р.В. Старовойт"
        k = i
        initials = ""
        while k + 1 < len(tokens) and len(tokens[k].text) == 1 and tokens[k + 1].text == ".":
            initials += tokens[k].text + "."
            k += 2
        if k >= len(tokens) or not tokens[k].is_upper_initial:
            return None
        return f"{initials} {_surname(tokens[k].text, 'masc', 'nomn')}", k
    first = [p for p in tokens[i].parses if "Name" in p.tag]
    chosen = next((p for p in first if any(c in p.tag for c in cases)), first[0])
    case = next((c for c in _CASES if c in chosen.tag and c in cases), "")
    case = case or next(c for c in _CASES if c in chosen.tag)
    gender = "femn" if "femn" in chosen.tag else "masc"
    words = [_cap(inflect(chosen, frozenset({"nomn", "sing"})) or tokens[i].text)]
    k = i + 1
    patr = _name_parse(tokens[k], "Patr")
    if patr is not None and k + 1 < len(tokens) and tokens[k + 1].is_upper_initial:
        match = next((p for p in tokens[k].parses if "Patr" in p.tag and case in p.tag), patr)
        words.append(_cap(inflect(match, frozenset({"nomn", "sing", gender})) or tokens[k].text))
        k += 1
    words.append(_surname(tokens[k].text, gender, case))
    return " ".join(words), k


def _role_head(tokens: tuple[Token, ...], i: int) -> bool:
    return tokens[i].kind == "word" and tokens[i].lemma_is(*ROLE_HEADS) and tokens[i].has("NOUN")


def _nominative_head(
    tokens: tuple[Token, ...], first: int, head: int
) -> tuple[str, frozenset[str]]:
    """The role's head words in the nominative, lower case, and the cases the head may be in."""
    words = []
    cases: frozenset[str] = frozenset()
    for tok in tokens[first : head + 1]:
        tag = "NOUN" if tok is tokens[head] else "ADJF"
        parse = next((p for p in tok.parses if tag in p.tag), tok.parses[0])
        if tok is tokens[head]:
            cases = frozenset(c for p in tok.parses if tag in p.tag for c in _CASES if c in p.tag)
        grams = {"nomn", "sing"} | ({"masc"} if tag == "ADJF" else set())
        words.append((inflect(parse, frozenset(grams)) or tok.text).lower())
    return " ".join(words), cases


def _dependents_end(ctx: Context, k: int) -> int:
    """Index after the role's genitive dependents starting at ``k`` (region names included)."""
    tokens = ctx.tokens
    in_region = {j for m in ctx.mentions for j in range(m.first, m.last + 1)}
    limit = min(len(tokens), k + 16)
    while k < limit and not _is_name_start(tokens, k):
        tok = tokens[k]
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if tok.text == "«":
            close = next((j for j in range(k, limit) if tokens[j].text == "»"), -1)
            if close < 0:
                break
            k = close + 1
            continue
        if tok.low in ("и", ",", "—", "по") and nxt is not None and nxt.kind == "word":
            if _is_name_start(tokens, k + 1):
                break
            k += 1
            continue
        if k in in_region or (tok.is_upper_initial and tok.has("Geox")):
            k += 1
            continue
        if tok.kind == "word" and (tok.has("gent") or tok.text.isupper() or tok.has("datv")):
            k += 1
            continue
        break
    return k


def _role_then_name(ctx: Context, i: int) -> PersonRole | None:
    tokens = ctx.tokens
    first = i - 1 if i > 0 and tokens[i - 1].lemma_is(*_MODIFIERS) else i
    head_words, cases = _nominative_head(tokens, first, i)
    end = _dependents_end(ctx, i + 1)
    name = _read_name(tokens, end, cases)
    if name is None:
        return None
    s0 = ctx.sentence.start
    role = head_words
    if end > i + 1:
        role += ctx.sentence.text[tokens[i].stop - s0 : tokens[end - 1].stop - s0]
    return PersonRole(name[0], role.rstrip(", "), first, name[1])


def _name_then_role(ctx: Context, i: int) -> PersonRole | None:
    """ "Пётр Алёшин, министр цифрового развития Смоленской области, рассказал"."""
    tokens = ctx.tokens
    name = _read_name(tokens, i, frozenset({"nomn"}))
    if name is None or name[1] + 2 >= len(tokens) or tokens[name[1] + 1].text != ",":
        return None
    k = name[1] + 2
    first = k
    if tokens[k].lemma_is(*_MODIFIERS):
        k += 1
    if not _role_head(tokens, k):
        return None
    head_words, _ = _nominative_head(tokens, first, k)
    end = _dependents_end(ctx, k + 1)
    s0 = ctx.sentence.start
    role = head_words
    if end > k + 1:
        role += ctx.sentence.text[tokens[k].stop - s0 : tokens[end - 1].stop - s0]
    return PersonRole(name[0], role.rstrip(", "), i, end - 1)


def find_person_roles(ctx: Context) -> list[PersonRole]:
    """Every (person, role) of the sentence, in text order."""
    out: list[PersonRole] = []
    i = 0
    while i < len(ctx.tokens):
        found = None
        if _role_head(ctx.tokens, i):
            found = _role_then_name(ctx, i)
        elif _is_name_start(ctx.tokens, i):
            found = _name_then_role(ctx, i)
        if found is not None:
            out.append(found)
            i = found.last + 1
        else:
            i += 1
    return out


def title_role(contexts: list[Context], roles: dict[str, str]) -> Fact | None:
    """A role in the title without a name, the name alone opening the body (filled in later)."""
    return None


def person_rules(ctx: Context) -> list[Fact]:
    """person_role facts of one sentence."""
    spans = find_person_roles(ctx) if ctx.person_spans is None else ctx.person_spans
    return [
        ctx.fact(
            "person_role",
            "role_then_name"
            if ctx.tokens[p.first].lemma_is(*ROLE_HEADS, *_MODIFIERS)
            else "name_then_role",
            object=p.role,
            persons=p.name,
        )
        for p in spans
    ]
