"""person_role: a position and a person's name, both put in the nominative.

Rules, in order (each ``PersonRole`` names its rule):

1. ``role_then_name``: "губернатора Курской области Романа Старовойта" -> Роман Старовойт,
   губернатор Курской области. The role is a singular head noun of ``ROLE_HEADS`` with the
   modifiers of ``MODIFIERS`` before it ("первый заместитель", "Чрезвычайный и Полномочный
   Посол") or "исполняющий обязанности"/"и. о."/"врио" before a head in the genitive, and its
   dependents: genitives and datives ("министр промышленности, торговли и предпринимательства"),
   quoted names ("концерна «Беллегпром»"), prepositional phrases ("посол Японии в Чехии", "член
   палаты от штата Аризона"), capitalized organisations and places, names in the genitive
   ("помощник президента Владимира Путина"). The name is the first one (``_name_runs``) that
   agrees in case with the head; a word of address may stand before it ("шейх Равиль
   Гайнутдин"), a comma or dash may part it from the role ("Бывший спикер палаты, Нэнси
   Пелоси,"). Roles joined by a comma or dash are one role ("заместитель губернатора –
   руководитель представительства ...").
2. ``name_then_role``: "Пётр Алёшин, министр цифрового развития Смоленской области, рассказал",
   "Йоахим Лёв (второй тренер)", "Марк Тоунер, исполняющий обязанности представителя"; the name
   is nominative.
3. ``became_role`` / ``post_role`` (``_person_verbs``): "капитаном стал Михаель Баллак",
   "Иван Петров назначен на должность министра".
4. ``title_role`` (document level): a role without a name in the title and a bare name opening
   the body ("Губернатор Псковской области посетил Витебск" / "Михаил Ведерников провёл ...").

Hyphens of any kind in role heads ("Премьер‑министр") are written "-".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from core.records import Fact
from indexer.facts._context import Context
from indexer.facts._morph import inflect, lemmas, norm
from indexer.facts._name_runs import Name, name_in_run, run_end
from indexer.facts._names import is_name_start, read_name
from indexer.facts._person_lexicon import (
    ACTING,
    ACTING_SHORT,
    MODIFIERS,
    PREFIXES,
    PROFESSIONS,
    ROLE_HEADS,
    ROLE_PREPOSITIONS,
    TITLES,
)
from indexer.facts._tokens import Token

__all__ = [
    "MODIFIERS",
    "NOMINATIVE",
    "ROLE_HEADS",
    "PersonRole",
    "Scan",
    "bare_profession",
    "find_person_roles",
    "is_role_head",
    "may_start_person",
    "person_rules",
    "role_after",
    "title_role",
]

NOMINATIVE = frozenset({"nomn"})
_GENITIVE = frozenset({"gent"})
_ANY: frozenset[str] = frozenset()
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_HYPHENS = str.maketrans({"‑": "-", "‐": "-"})
_ROLE_JOINERS = frozenset({",", "–", "—", "-"})
_DASHES = frozenset({"–", "—", "-"})
_PREFIX_OR_HYPHEN = re.compile(r"‑|\b(?:[Ээ]кс|[Вв]ице)-|[Жж]енщин\w*-")
_APPOSITION = frozenset({",", "-", "–", "—", "("})  # "Пётр Алёшин, министр ...", "Лёв (тренер)"
_QUOTES = {"«": "»", "„": "“", "“": "”", '"': '"', "(": ")"}
_BREAK = frozenset({"VERB", "INFN", "GRND", "PRTS", "NPRO", "ADVB", "PRED", "CONJ", "PRCL", "Apro"})
_LIMIT = 20  # tokens a role's dependents may take


@dataclass(frozen=True)
class PersonRole:
    """A person (nominative) and the role in which the sentence names them."""

    name: str
    role: str
    first: int  # token span of the role + name
    last: int
    rule: str = "role_then_name"


@dataclass(frozen=True)
class Scan:
    """Where a role's dependents end, and the name found right after them."""

    end: int
    name: Name | None


def _hyphen_head(tok: Token) -> bool:
    """ "Премьер‑министр" with a non-breaking hyphen, "Экс-председатель", "женщины-спикера"."""
    if "-" not in tok.text and "‑" not in tok.text and "‐" not in tok.text:
        return False
    word = tok.text.translate(_HYPHENS).lower()
    for prefix in PREFIXES:
        if word.startswith(prefix) and not lemmas(word[len(prefix) :]).isdisjoint(ROLE_HEADS):
            return True
    if not lemmas(word).isdisjoint(ROLE_HEADS):
        return True
    first, _, last = word.partition("-")
    return first.startswith("женщин") and not lemmas(last).isdisjoint(ROLE_HEADS)


def is_role_head(tokens: tuple[Token, ...], i: int) -> bool:
    """A singular role noun ("министром", "Премьер‑министр"; not "депутаты", not "после")."""
    tok = tokens[i]
    if tok.kind != "word" or "PREP" in tok.grams:
        return False
    if tok.low == "главе" and i > 0 and tokens[i - 1].low == "во":
        return False  # "во главе с министром"
    if not tok.lemmas.isdisjoint(ROLE_HEADS):
        for p in tok.parses:
            if "NOUN" in p.tag and "sing" in p.tag and norm(p.normal_form) in ROLE_HEADS:
                return True
    return _hyphen_head(tok)


def _modifier(tok: Token) -> bool:
    return tok.lemma_is(*MODIFIERS) and (tok.has("ADJF") or tok.has("PRTF"))


def _modifiers_start(tokens: tuple[Token, ...], head: int) -> int:
    """First token of the modifiers before the head ("Чрезвычайным и Полномочным Послом")."""
    first = head
    k = head - 1
    while k >= 0 and _modifier(tokens[k]):
        first = k
        if k >= 2 and tokens[k - 1].low == "и" and tokens[k - 2].lemma_is(*MODIFIERS):
            k -= 2
            continue
        k -= 1
    return first


def _acting(tokens: tuple[Token, ...], first: int) -> tuple[int, frozenset[str] | None]:
    """ "исполняющего обязанности", "и. о.", "врио" right before ``first``: (its first token,
    the cases of the person it names, empty: any); (``first``, None) if there is none."""
    if (
        first >= 2
        and tokens[first - 1].low == "обязанности"
        and tokens[first - 2].lemma_is(*ACTING)
    ):
        k = first - 2
        cases = frozenset(c for p in tokens[k].parses for c in _CASES if c in p.tag)
        return (k - 1 if k >= 1 and tokens[k - 1].low == "временно" else k), cases
    if first >= 4 and [t.low for t in tokens[first - 4 : first]] == ["и", ".", "о", "."]:
        return first - 4, _ANY
    if first >= 1 and tokens[first - 1].low in ACTING_SHORT:
        return first - 1, _ANY
    return first, None


def _nominative_head(
    tokens: tuple[Token, ...], first: int, head: int
) -> tuple[str, frozenset[str]]:
    """The role's head words in the nominative, lower case, and the cases the head may be in."""
    return _nominative_run(tokens[first : head + 1])


@lru_cache(maxsize=50_000)
def _nominative_run(run: tuple[Token, ...]) -> tuple[str, frozenset[str]]:
    """``_nominative_head`` of the tokens from the first modifier to the head (the last), once
    per distinct run (tokens are shared per text and never change)."""
    words = []
    cases: frozenset[str] = frozenset()
    last = len(run) - 1
    femn = any("femn" in p.tag for p in run[last].parses if "NOUN" in p.tag and "sing" in p.tag)
    for k, tok in enumerate(run):
        if tok.low == "и":
            words.append("и")
            continue
        is_head = k == last
        tag = "NOUN" if is_head else "ADJF"
        parses = [p for p in tok.parses if tag in p.tag and "sing" in p.tag]
        if is_head:  # "Раиса Республики": раис, not the name Раиса
            parses = [p for p in parses if norm(p.normal_form) in ROLE_HEADS] or parses
        parses = parses or [p for p in tok.parses if tag in p.tag] or list(tok.parses)
        if is_head:
            cases = frozenset(c for p in parses for c in _CASES if c in p.tag)
        gender = "femn" if femn and not is_head else "masc"  # "первая женщина-"
        grams = {"nomn", "sing"} | ({gender} if tag == "ADJF" else set())
        word = inflect(parses[0], frozenset(grams)) if parses else None
        words.append((word or tok.text).lower().translate(_HYPHENS))
    return " ".join(words), cases


def _run(ctx: Context, k: int, cases: frozenset[str], after_prep: bool) -> tuple[int, Name | None]:
    """At the capitalized run ``k`` after a role: (index after it, None) when it belongs to the
    role (an organisation, a place, a name in the genitive: "помощник президента Владимира
    Путина"); (``k``, the name) when it names the person; (-1, None) when it names someone else."""
    tokens, places = ctx.tokens, ctx.place_tokens
    name = name_in_run(tokens, k, cases, places, skip_first=after_prep)
    if name is not None:
        return k, name
    if cases and name_in_run(tokens, k, _ANY, places, skip_first=after_prep) is not None:
        if "gent" in cases or name_in_run(tokens, k, _GENITIVE, places) is None:
            return -1, None  # a name in another case: "назначил губернатором Ивана Петрова"
    return max(run_end(tokens, k), k + 1), None


def _own_role_follows(tokens: tuple[Token, ...], k: int) -> bool:
    """A comma or dash and a role head right after a name: the name has a role of its own."""
    if k + 1 >= len(tokens) or tokens[k].text not in _APPOSITION:
        return False
    j = k + 1
    while j < min(len(tokens), k + 4) and (tokens[j].has("ADJF") or tokens[j].has("PRTF")):
        j += 1
    return j < len(tokens) and is_role_head(tokens, j)


def _dependents(ctx: Context, k: int, cases: frozenset[str]) -> Scan:
    """The role's dependents from ``k`` and the name that ends them (if any)."""
    tokens = ctx.tokens
    limit = min(len(tokens), k + _LIMIT)
    after_prep = False
    while k < limit:
        tok = tokens[k]
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if tok.kind == "word" and tok.is_upper_initial:
            end, name = _run(ctx, k, cases, after_prep)
            if name is not None:
                return Scan(name[0], name)
            if end < 0:
                break  # "в Северо-Кавказском федеральном округе": the noun is still to come
            k, after_prep = end, after_prep and tokens[end - 1].has("ADJF")
            continue
        if tok.text in _QUOTES:
            close = next(
                (j for j in range(k + 1, limit) if tokens[j].text == _QUOTES[tok.text]), -1
            )
            if close < 0:
                break
            k, after_prep = close + 1, False
            continue
        if tok.low in ROLE_PREPOSITIONS:
            k, after_prep = k + 1, True
            continue
        if nxt is not None and tok.low in TITLES and nxt.is_upper_initial:
            name = name_in_run(tokens, k + 1, cases, ctx.place_tokens)
            return Scan(k, name) if name is not None else Scan(k, None)
        if tok.text in _DASHES and {k - 1, k + 1} <= ctx.place_tokens:
            k += 1  # a dash inside a region's name: "Ханты-Мансийского автономного округа — Югры"
            continue
        if nxt is not None and nxt.kind == "word" and (tok.text in _ROLE_JOINERS or tok.low == "и"):
            if is_role_head(tokens, k + 1) or _modifier(nxt):
                break  # a joined role ("..., министр ...") or a second person's role ("и")
            if tok.low != "и" and is_name_start(tokens, k + 1):
                name = name_in_run(tokens, k + 1, cases, ctx.place_tokens)
                if name is not None and _own_role_follows(tokens, name[2] + 1):
                    name = None  # "..., Ннека Угбома - руководитель проекта": her own role
                return Scan(k, name)  # "Бывший спикер палаты, Нэнси Пелоси,"
            if nxt.is_upper_initial or "CONJ" in nxt.grams:
                break  # ", и Михаил Борзыкин, солист ..."
            if tok.low == "и" or nxt.has("gent"):
                k += 1  # "связи и информатизации", "промышленности, торговли"
                continue
            break
        if nxt is not None and tok.has("ADVB") and nxt.has("ADJF") and not tok.has("PREP"):
            k += 1  # "крайне правого Национального фронта"
            continue
        if tok.kind != "word" or not tok.grams.isdisjoint(_BREAK) and not tok.has("NOUN"):
            if k not in ctx.place_tokens:
                break
        if after_prep or tok.has("gent") or tok.has("datv") or k in ctx.place_tokens:
            after_prep = after_prep and not tok.has("NOUN")
            k += 1
            continue
        if tok.has("NOUN", "ablt"):
            k += 1  # "управляющий компанией"
            continue
        break
    return Scan(k, None)


def _acting_words(tok: Token) -> str:
    """ "исполняющий обязанности" in the nominative, in the participle's gender ("и. о." and
    "врио" read as the masculine)."""
    parses = [p for p in tok.parses if "PRTF" in p.tag and "sing" in p.tag]
    if not parses:
        return "исполняющий обязанности"
    return f"{inflect(parses[0], frozenset({'nomn', 'sing'})) or 'исполняющий'} обязанности"


def _role_text(ctx: Context, first: int, head: int, end: int, acting: bool) -> str:
    """The role from ``first`` (modifiers, "исполняющий обязанности") to before ``end``."""
    tokens, at = ctx.tokens, ctx.spans  # offsets in the sentence
    stop = at[end - 1][1] if end > head + 1 else at[head][1]
    if acting:  # the office stays in the genitive: "исполняющая обязанности директора музея"
        text = ctx.sentence.text[at[head][0] : stop]
        words = _acting_words(tokens[first + (tokens[first].low == "временно")])
        if tokens[first].low == "временно":
            words = f"временно {words}"
        return f"{words} {text.translate(_HYPHENS)}".rstrip(", ")
    head_words, _ = _nominative_head(tokens, first, head)
    return (head_words + ctx.sentence.text[at[head][1] : stop]).rstrip(", ")


def _next_role(tokens: tuple[Token, ...], k: int) -> int:
    """The head of a role joined at ``k`` by a comma or dash ("..., министр ..."), or -1."""
    if k + 1 >= len(tokens) or tokens[k].text not in _ROLE_JOINERS:
        return -1
    j = k + 1
    while j < len(tokens) and _modifier(tokens[j]):
        j += 1
    return j if j < len(tokens) and is_role_head(tokens, j) else -1


def role_after(ctx: Context, head: int, cases: frozenset[str] | None = None) -> tuple[str, Scan]:
    """The role whose head is ``head`` (modifiers, dependents, joined roles) and the name right
    after it, agreeing with ``cases`` (default: the head's own cases)."""
    tokens = ctx.tokens
    first, acting_cases = _acting(tokens, _modifiers_start(tokens, head))
    parts: list[str] = []
    scan = Scan(head + 1, None)
    for _ in range(3):  # up to three joined roles
        start = _modifiers_start(tokens, head) if parts else first
        if cases is None:
            cases = (
                acting_cases
                if acting_cases is not None
                else (_nominative_head(tokens, start, head)[1])
            )
        scan = _dependents(ctx, head + 1, cases)
        parts.append(_role_text(ctx, start, head, scan.end, acting_cases is not None and not parts))
        if scan.name is not None:
            break
        nxt = _next_role(tokens, scan.end)
        if nxt < 0:
            break
        sep = tokens[scan.end].text
        parts[-1] += "," if sep == "," else f" {sep}"
        head = nxt
    return " ".join(parts), scan


def bare_profession(ctx: Context, head: int, scan: Scan) -> bool:
    """An occupation of ``PROFESSIONS`` with neither dependents nor modifiers: no position."""
    tokens = ctx.tokens
    if tokens[head].lemmas.isdisjoint(PROFESSIONS):
        return False
    end = scan.name[0] if scan.name is not None else scan.end
    return end <= head + 1 and _modifiers_start(tokens, head) == head


def _role_then_name(ctx: Context, i: int) -> PersonRole | None:
    role, scan = role_after(ctx, i)
    if scan.name is None or bare_profession(ctx, i, scan):
        return None
    first = _acting(ctx.tokens, _modifiers_start(ctx.tokens, i))[0]
    return PersonRole(scan.name[1], role, first, scan.name[2])


def _after_latin(tokens: tuple[Token, ...], k: int) -> int:
    """Index after a Latin spelling in brackets at ``k`` ("(Scott Horowitz)"), else ``k``."""
    if k >= len(tokens) or tokens[k].text != "(":
        return k
    for j in range(k + 1, min(len(tokens), k + 8)):
        if tokens[j].text == ")":
            return j + 1 if j > k + 1 else k
        if tokens[j].kind == "word" and not tokens[j].text.isascii():
            return k
    return k


def _name_then_role(ctx: Context, i: int) -> PersonRole | None:
    """ "Пётр Алёшин, министр цифрового развития Смоленской области, рассказал"."""
    tokens = ctx.tokens
    name = name_in_run(tokens, i, NOMINATIVE, ctx.place_tokens)
    if name is None or name[0] != i or " " not in name[1]:
        return None  # a full name ("БелТА, судья заявила" names nobody)
    k = _after_latin(tokens, name[2] + 1)
    if k + 1 >= len(tokens) or tokens[k].text not in _APPOSITION:
        return None
    j = k + 1
    while j < min(len(tokens), k + 4) and not is_role_head(tokens, j):
        tok = tokens[j]  # "бывший", "второй", "исполняющий обязанности"
        if not (tok.has("ADJF") or tok.has("PRTF") or tok.low == "обязанности"):
            return None
        j += 1
    if j >= len(tokens) or not is_role_head(tokens, j):
        return None
    role, scan = role_after(ctx, j, NOMINATIVE)
    if scan.name is not None or bare_profession(ctx, j, scan):
        return None  # "Лев Пономарев, координатор движения Сергей Удальцов": the role is his
    return PersonRole(name[1], role, i, max(scan.end - 1, j), "name_then_role")


def may_start_person(tok: Token) -> bool:
    """A role head or a name may start at the token (the rest is neither): its ``may_person``,
    tested once per token text."""
    return tok.kind == "word" and (
        tok.text[0].isupper()
        or not tok.lemmas.isdisjoint(ROLE_HEADS)
        or "-" in tok.low
        or "‑" in tok.low
    )


def find_person_roles(ctx: Context) -> list[PersonRole]:
    """Every (person, role) of the sentence, in text order (rules 1-3)."""
    from indexer.facts._person_verbs import verb_roles

    text = ctx.sentence.text
    if ctx.lemma_set.isdisjoint(ROLE_HEADS) and not (
        "‑" in text or ("-" in text and _PREFIX_OR_HYPHEN.search(text))
    ):  # every alternative of the pattern has a hyphen: plain "in" tests first
        return []
    out: list[PersonRole] = []
    tokens = ctx.tokens
    starts = [i for i, tok in enumerate(tokens) if tok.may_person]
    role_heads = {i for i in starts if is_role_head(tokens, i)}
    last_head = max(role_heads, default=-1)
    after = 0  # the token after the last person found
    for i in starts:
        if i < after:
            continue
        found = None
        if i in role_heads:
            found = _role_then_name(ctx, i)
        elif (
            last_head > i + 2  # "Имя Фамилия, <role>": a role head after the name and a comma
            and tokens[i].is_upper_initial
            and (i == 0 or not tokens[i - 1].is_upper_initial)
        ):
            found = _name_then_role(ctx, i)
        if found is not None:
            out.append(found)
            after = found.last + 1
    return out + verb_roles(ctx, out)


def title_role(contexts: list[Context], roles: dict[str, str]) -> Fact | None:
    """Rule 4: the title's role without a name given to the name that opens the body."""
    if len(contexts) < 2 or not contexts[0].in_title or contexts[0].person_spans:
        return None
    title, body = contexts[0], contexts[1]
    heads = [i for i in range(len(title.tokens)) if is_role_head(title.tokens, i)]
    if len(heads) != 1 or find_person_roles(title):
        return None
    if not is_name_start(body.tokens, 0) or any(p.first == 0 for p in find_person_roles(body)):
        return None
    name = read_name(body.tokens, 0, NOMINATIVE)
    if name is None or name[0] in roles:
        return None
    role, _ = role_after(title, heads[0])
    return body.fact("person_role", "title_role", object=role, persons=name[0])


def person_rules(ctx: Context) -> list[Fact]:
    """person_role facts of one sentence."""
    spans = find_person_roles(ctx) if ctx.person_spans is None else ctx.person_spans
    return [ctx.fact("person_role", p.rule, object=p.role, persons=p.name) for p in spans]
