"""person_role: a position and a person's name, both put in the nominative.

Rules, in order:

1. ``role_then_name``: "губернатора Курской области Романа Старовойта" -> Роман Старовойт,
   губернатор Курской области. The role is a head noun from ``ROLE_HEADS`` with the modifiers of
   ``MODIFIERS`` before it ("первый заместитель", "Чрезвычайный и Полномочный Посол") and its
   dependents: genitives and datives ("министр промышленности, торговли и предпринимательства"),
   quoted names ("концерна «Беллегпром»"), "в/при" + a capitalized place ("посол ... в Российской
   Федерации", "при Правительстве РФ"). Roles joined by a comma or a dash are one role
   ("первый заместитель председателя Правительства ..., министр экономического развития ...";
   "заместитель губернатора – руководитель представительства ...").
2. ``name_then_role``: "Пётр Алёшин, министр цифрового развития Смоленской области, рассказал".
3. ``title_role`` (document level): a role without a name in the title and a bare name opening the
   body ("Губернатор Псковской области посетил Витебск" / "Михаил Ведерников провёл ...").

Names: ``_names``. Hyphens of any kind in role heads ("Премьер‑министр") are written "-".
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.records import Fact
from indexer.facts._context import Context
from indexer.facts._morph import inflect
from indexer.facts._names import is_name_start, read_name, surname_alone, unknown_pair
from indexer.facts._tokens import Token

__all__ = ["ROLE_HEADS", "PersonRole", "find_person_roles", "person_rules", "title_role"]

ROLE_HEADS = frozenset(
    {
        "министр", "замминистра",  # министр связи и информатизации
        "заместитель", "зампред", "замглавы", "замгубернатора", "заммэра",
        "губернатор", "вице-губернатор",
        "председатель", "сопредседатель",  # председатель Витебского облисполкома
        "руководитель",  # руководитель Департамента ...
        "директор", "гендиректор",  # генеральный директор РУП «Белпочта»
        "начальник", "управляющий", "шеф",
        "глава",  # глава муниципального образования, Глава Республики Башкортостан
        "мэр", "вице-мэр", "аким", "префект",
        "премьер-министр", "премьер", "вице-премьер", "экс-премьер",
        "президент", "вице-президент", "канцлер", "царь", "король",
        "посол", "консул", "генконсул", "атташе",
        "полпред", "представитель", "постпред", "торгпред",  # полномочный представитель
        "раис",  # Раис Республики Татарстан
        "секретарь", "госсекретарь", "генсек",  # Государственный секретарь Союзного государства
        "депутат", "сенатор", "спикер", "парламентарий", "член",  # член Совета Федерации
        "ректор", "проректор", "декан",
        "помощник", "советник", "уполномоченный", "координатор", "лидер",
        "прокурор", "судья", "генерал", "полковник", "генерал-лейтенант", "генерал-майор",
        "тренер", "капитан", "редактор", "главред", "наблюдатель", "экономист",
        # general news (factRuEval): professions and titles before a name
        "астронавт", "космонавт", "фотограф", "оператор", "журналист", "корреспондент",
        "солист", "певец", "певица", "актер", "актриса", "режиссер", "писатель", "поэт",
        "защитник", "полузащитник", "нападающий", "вратарь", "футболист", "хоккеист",
        "рабочий", "докладчик", "зав", "бундестренер", "архиепископ", "епископ", "митрополит",
        "патриарх", "муфтий", "правозащитник", "адвокат", "следователь", "политолог",
        "бизнесмен", "предприниматель", "основатель", "совладелец", "владелец",
    }
)  # fmt: skip
_PREFIXES = ("экс-", "вице-")  # "Экс-председатель" is a председатель
MODIFIERS = frozenset(
    {
        "первый",  # первый заместитель
        "генеральный",  # генеральный директор
        "государственный",  # Государственный секретарь
        "чрезвычайный",  # Чрезвычайный и Полномочный Посол
        "полномочный",  # полномочный представитель
        "главный",  # главный тренер
        "исполнительный",  # исполнительный директор
        "официальный",  # официальный представитель
        "специальный",  # специальный представитель
        "постоянный",  # постоянный представитель
        "торговый",  # торговый представитель
        "старший",
        "бывший",
    }
)
_CASES = ("nomn", "gent", "datv", "accs", "ablt", "loct")
_HYPHENS = str.maketrans({"‑": "-", "‐": "-"})
_ROLE_JOINERS = frozenset({",", "–", "—", "-"})
_IN = frozenset({"в", "при"})
_PREFIX_OR_HYPHEN = re.compile(r"‑|\b(?:[Ээ]кс|[Вв]ице)-")
_APPOSITION = frozenset(
    {",", "-", "–", "—"}
)  # "Пётр Алёшин, министр ...", "Светлана Яковлева - директор"


@dataclass(frozen=True)
class PersonRole:
    """A person (nominative) and the role in which the sentence names them."""

    name: str
    role: str
    first: int  # token span of the role + name
    last: int


def _is_role_head(tokens: tuple[Token, ...], i: int) -> bool:
    tok = tokens[i]
    if tok.kind != "word" or tok.lemmas.isdisjoint(ROLE_HEADS) and not _hyphen_head(tok):
        return False
    return tok.has("NOUN") or _hyphen_head(tok)


def _hyphen_head(tok: Token) -> bool:
    """ "Премьер‑министр" with a non-breaking hyphen, "Экс-председатель": a head after all."""
    if "-" not in tok.text and "‑" not in tok.text and "‐" not in tok.text:
        return False
    from indexer.facts._morph import lemmas

    word = tok.text.translate(_HYPHENS).lower()
    for prefix in _PREFIXES:
        if word.startswith(prefix) and not lemmas(word[len(prefix) :]).isdisjoint(ROLE_HEADS):
            return True
    return not lemmas(word).isdisjoint(ROLE_HEADS)


def _modifiers_start(tokens: tuple[Token, ...], head: int) -> int:
    """First token of the modifiers before the head ("Чрезвычайным и Полномочным Послом")."""
    first = head
    k = head - 1
    while k >= 0 and tokens[k].lemma_is(*MODIFIERS) and tokens[k].has("ADJF"):
        first = k
        if k >= 2 and tokens[k - 1].low == "и" and tokens[k - 2].lemma_is(*MODIFIERS):
            k -= 2
            continue
        k -= 1
    return first


def _nominative_head(
    tokens: tuple[Token, ...], first: int, head: int
) -> tuple[str, frozenset[str]]:
    """The role's head words in the nominative, lower case, and the cases the head may be in."""
    words = []
    cases: frozenset[str] = frozenset()
    for tok in tokens[first : head + 1]:
        if tok.low == "и":
            words.append("и")
            continue
        tag = "NOUN" if tok is tokens[head] else "ADJF"
        parses = [p for p in tok.parses if tag in p.tag] or list(tok.parses)
        if tok is tokens[head]:
            cases = frozenset(c for p in parses for c in _CASES if c in p.tag)
        grams = {"nomn", "sing"} | ({"masc"} if tag == "ADJF" else set())
        word = inflect(parses[0], frozenset(grams)) if parses else None
        words.append((word or tok.text).lower().translate(_HYPHENS))
    return " ".join(words), cases


def _place_run(tokens: tuple[Token, ...], k: int, limit: int, any_case: bool = False) -> int:
    """After "в"/"при": the capitalized place in the locative ("в Уральском федеральном округе";
    after "при" any: "при прокуратуре")."""
    if k + 1 >= limit or not tokens[k + 1].has("loct"):
        return k
    if not (any_case or tokens[k + 1].is_upper_initial):
        return k
    j = k + 1
    while (
        j < limit
        and tokens[j].kind == "word"
        and (tokens[j].has("loct") or tokens[j].text.isupper())
    ):
        j += 1
    return j


def _dependents_end(ctx: Context, k: int) -> int:
    """Index after the role's dependents starting at ``k`` (region names included)."""
    tokens = ctx.tokens
    in_region = {j for m in ctx.mentions for j in range(m.first, m.last + 1)}
    limit = min(len(tokens), k + 20)
    while k < limit and not is_name_start(tokens, k) and not unknown_pair(tokens, k):
        tok = tokens[k]
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if tok.text == "«":
            close = next((j for j in range(k, limit) if tokens[j].text == "»"), -1)
            if close < 0:
                break
            k = close + 1
            continue
        if tok.low in _IN:
            j = _place_run(tokens, k, limit, tok.low == "при")
            if j == k:
                break
            k = j
            continue
        if tok.low in ("и", ",", "—", "по") and nxt is not None and nxt.kind == "word":
            if is_name_start(tokens, k + 1) or _is_role_head(tokens, k + 1):
                break
            if nxt.lemma_is(*MODIFIERS) and nxt.has("ADJF"):
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


def _role_text(ctx: Context, first: int, head: int, end: int) -> tuple[str, frozenset[str]]:
    """The role from ``first`` (modifiers) to before ``end``, and the head's cases."""
    tokens = ctx.tokens
    head_words, cases = _nominative_head(tokens, first, head)
    if end > head + 1:
        s0 = ctx.sentence.start
        head_words += ctx.sentence.text[tokens[head].stop - s0 : tokens[end - 1].stop - s0]
    return head_words.rstrip(", "), cases


def _next_role(tokens: tuple[Token, ...], k: int) -> int:
    """The head of a role joined at ``k`` by a comma or dash ("..., министр ..."), or -1."""
    if k + 1 >= len(tokens) or tokens[k].text not in _ROLE_JOINERS:
        return -1
    j = k + 1
    while j < len(tokens) and tokens[j].lemma_is(*MODIFIERS) and tokens[j].has("ADJF"):
        j += 1
    return j if j < len(tokens) and _is_role_head(tokens, j) else -1


def _role_then_name(ctx: Context, i: int) -> PersonRole | None:
    tokens = ctx.tokens
    first = _modifiers_start(tokens, i)
    parts: list[str] = []
    head = i
    cases: frozenset[str] = frozenset()
    for _ in range(3):  # up to three joined roles
        start = _modifiers_start(tokens, head) if parts else first
        end = _dependents_end(ctx, head + 1)
        text, head_cases = _role_text(ctx, start, head, end)
        cases = cases or head_cases
        parts.append(text)
        nxt = _next_role(tokens, end)
        if nxt < 0:
            break
        sep = tokens[end].text
        parts[-1] += "," if sep == "," else f" {sep}"
        head = nxt
    name = read_name(tokens, end, cases, loose=True) if end < len(tokens) else None
    if name is None and end < len(tokens):
        name = surname_alone(tokens, end, cases)
    if name is None:
        return None
    return PersonRole(name[0], " ".join(parts), first, name[1])


def _name_then_role(ctx: Context, i: int) -> PersonRole | None:
    """ "Пётр Алёшин, министр цифрового развития Смоленской области, рассказал"."""
    tokens = ctx.tokens
    name = read_name(tokens, i, frozenset({"nomn"}))
    if name is None or name[1] + 2 >= len(tokens) or tokens[name[1] + 1].text not in _APPOSITION:
        return None
    k = name[1] + 2
    first = k
    while k < len(tokens) and tokens[k].lemma_is(*MODIFIERS) and tokens[k].has("ADJF"):
        k += 1
    if k >= len(tokens) or not _is_role_head(tokens, k):
        return None
    end = _dependents_end(ctx, k + 1)
    role, _ = _role_text(ctx, first, k, end)
    return PersonRole(name[0], role, i, end - 1)


def find_person_roles(ctx: Context) -> list[PersonRole]:
    """Every (person, role) of the sentence, in text order."""
    if ctx.lemma_set.isdisjoint(ROLE_HEADS) and not _PREFIX_OR_HYPHEN.search(ctx.sentence.text):
        return []
    out: list[PersonRole] = []
    tokens = ctx.tokens
    i = 0
    while i < len(tokens):
        tok = tokens[i]
        if tok.kind != "word" or (
            tok.lemmas.isdisjoint(ROLE_HEADS) and not tok.text[0].isupper() and "-" not in tok.low
            and "‑" not in tok.low
        ):  # fmt: skip
            i += 1  # cheap skip: neither a role head nor the start of a name
            continue
        found = None
        if _is_role_head(ctx.tokens, i):
            found = _role_then_name(ctx, i)
        elif is_name_start(ctx.tokens, i):
            found = _name_then_role(ctx, i)
        if found is not None:
            out.append(found)
            i = found.last + 1
        else:
            i += 1
    return out


def title_role(contexts: list[Context], roles: dict[str, str]) -> Fact | None:
    """Rule 3: the title's role without a name given to the name that opens the body."""
    if len(contexts) < 2 or not contexts[0].in_title or contexts[0].person_spans:
        return None
    title, body = contexts[0], contexts[1]
    heads = [i for i in range(len(title.tokens)) if _is_role_head(title.tokens, i)]
    if len(heads) != 1 or find_person_roles(title):
        return None
    if not is_name_start(body.tokens, 0) or any(p.first == 0 for p in find_person_roles(body)):
        return None
    name = read_name(body.tokens, 0, frozenset({"nomn"}))
    if name is None or name[0] in roles:
        return None
    head = heads[0]
    end = _dependents_end(title, head + 1)
    role, _ = _role_text(title, _modifiers_start(title.tokens, head), head, end)
    return body.fact("person_role", "title_role", object=role, persons=name[0])


def person_rules(ctx: Context) -> list[Fact]:
    """person_role facts of one sentence."""
    spans = find_person_roles(ctx) if ctx.person_spans is None else ctx.person_spans
    return [
        ctx.fact(
            "person_role",
            "role_then_name"
            if _is_role_head(ctx.tokens, p.first) or ctx.tokens[p.first].lemma_is(*MODIFIERS)
            else "name_then_role",
            object=p.role,
            persons=p.name,
        )
        for p in spans
    ]
