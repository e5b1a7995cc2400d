"""signed_document: a document reported as signed, concluded, approved or initialled.

Rules, in order (a document head is used once):

1. ``signed_in_clause``: a document noun in the singular, nominative or accusative, anywhere in a
   clause whose predicate is a signing word from ``SIGN_WORDS`` ("район заключил соглашение об
   установлении побратимских связей", "подписаны договор о побратимстве ... и план мероприятий на
   2024-2025 годы" -> one row each, "Соглашение ... подписали еще в 2019 году"), in any case of
   letters. Not after a preposition ("по реализации соглашения"), not inside brackets ("План
   мероприятий («Дорожную карту»)" is one document), not in a planned or negated clause
   (``_modality``), not "документ". The date: the name's own date or period, else "в 2019 году"
   in the clause.
2. ``named_document``: a capitalized document noun in the singular ("Соглашение", "Плана",
"Дорожную карту") followed by its name ("о торгово-экономическом, научно-техническом и
культурном сотрудничестве", "мероприятий на 2023-2025 годы") and/or its date ("от 29 сентября
2020 г."). The name runs until a date, a period (included), a clause comma, another document
or a verb. A name with neither a date nor a period needs a topic ("о ...", "по ..."), so
"Программа визита" is not a document. The head is put in the nominative; the rest is kept as
written.
3. ``signed_count``: a counted document (``_rules_counts.find_counts``) in a clause with a signing
   word ("подписано 12 документов", "подписаны 5 соглашений", "состоялось подписание 18
   документов"): object = the noun's dictionary form, value = the count, qualifier and date as
   its ``agreement_count`` row, which the sentence gives too. Not a count that depends on a
   preposition or another noun ("по 3 соглашениям", "о реализации 5 программ"), nor after
   ``NOT_YET_SIGNED`` ("возможность подписания двух меморандумов"); planned and negated counts
   are no facts.
"""

from __future__ import annotations

from core.records import Fact
from indexer.facts._context import Context
from indexer.facts._morph import inflect
from indexer.facts._numerals import is_numeral_word
from indexer.facts._tokens import Token

__all__ = ["SIGN_WORDS", "document_head", "document_rules"]

SIGN_WORDS = frozenset(
    {
        "подписать",  # подписали, подписано, подписанный
        "подписывать",
        "заключить",  # заключил соглашение
        "заключать",
        "утвердить",  # утвердили программу
        "парафировать",  # парафирован протокол
        "подписание",  # состоялось подписание соглашения
    }
)
# "обсудили возможность подписания двух меморандумов": the count is no signing
NOT_YET_SIGNED = frozenset({"возможность", "вопрос", "перспектива", "необходимость", "подготовка"})
_DIRECT = ("nomn", "accs")
_COORDINATORS = frozenset({"и", ",", "или", "а", "также"})

NAMED_DOCUMENTS = frozenset(
    {"соглашение", "договор", "меморандум", "план", "программа", "протокол", "контракт"}
)
_ALL_HEADS = NAMED_DOCUMENTS | {"дорожный"}
_STOP_WORDS = frozenset({"который", "которая", "которое", "которые", "к", "с", "со", "а", "но"})
_TOPIC = frozenset({"о", "об", "по"})  # a name without a date needs a topic: "о сотрудничестве"
_NOMN = frozenset({"nomn", "sing"})


def _head(tokens: tuple[Token, ...], i: int, any_case: bool = False) -> int:
    """Last token of a document's head at ``i`` ("Дорожной карты" -> i + 1), or -1.

    Capitalized only, unless ``any_case``.
    """
    tok = tokens[i]
    if tok.kind != "word" or not (any_case or tok.is_upper_initial):
        return -1
    if tok.lemma_is("дорожный") and i + 1 < len(tokens) and tokens[i + 1].lemma_is("карта"):
        return i + 1 if tokens[i + 1].has("sing") else -1
    if tok.lemma_is(*NAMED_DOCUMENTS) and tok.has("NOUN", "sing"):
        return i
    return -1


def _nominative(tok: Token, lemma_set: frozenset[str]) -> str:
    for p in tok.parses:
        if p.normal_form.replace("ё", "е") in lemma_set and ("NOUN" in p.tag or "ADJF" in p.tag):
            if "ADJF" in p.tag:
                word = inflect(p, frozenset({"nomn", "sing", "femn"}))
            else:
                word = inflect(p, _NOMN)
            if word:
                return word[0].upper() + word[1:] if tok.is_upper_initial else word
    return tok.text


def _name_end(ctx: Context, start: int) -> tuple[int, str]:
    """Last token of the name that starts after the head, and a period found in it."""
    tokens = ctx.tokens
    last = start - 1
    k = start
    while k < len(tokens) and k < start + 30:
        tok = tokens[k]
        nxt = tokens[k + 1] if k + 1 < len(tokens) else None
        if tok.low == "от" or tok.low in _STOP_WORDS or tok.text in ".;:()[]—–":
            break
        if tok.low == "на":
            period = _period_at(ctx, k + 1)
            if period:
                while k < len(tokens) and not tokens[k].lemma_is("год"):
                    k += 1
                return min(k, len(tokens) - 1), period
            break
        if tok.text == "," and (nxt is None or not nxt.has("ADJF")):
            break
        if tok.low == "и" and (
            nxt is None or _head(tokens, k + 1, any_case=True) >= 0 or _count_at(tokens, k + 1)
        ):
            break  # "... и план мероприятий", "программу сотрудничества и 3 договора"
        if tok.kind == "word" and (
            tok.has("VERB") or tok.has("PRTS") or (tok.has("PRTF") and not tok.has("ADJF"))
        ):  # "Протокол о намерениях парафирован"
            break
        if k > start and _head(tokens, k, any_case=True) >= 0 and not _dependent(tokens, k):
            break
        last = k
        k += 1
    while last >= start and tokens[last].text in ",":
        last -= 1
    return last, ""


def _count_at(tokens: tuple[Token, ...], k: int) -> bool:
    """A number then a document noun at ``k`` ("3 договора", "двух протоколов")."""
    if k + 1 >= len(tokens) or not (tokens[k].kind == "num" or is_numeral_word(tokens[k].text)):
        return False
    return tokens[k + 1].lemma_is(*NAMED_DOCUMENTS, "документ")


def _dependent(tokens: tuple[Token, ...], k: int) -> bool:
    """ "по реализации соглашения": a lower-case document in the genitive after a noun is part of
    the name (a capitalized one is a named document of its own: "по реализации Соглашения ...")."""
    if tokens[k].is_upper_initial:
        return False
    j = k - 1
    while j > 0 and tokens[j].has("ADJF") and not tokens[j].has("NOUN"):  # "этого соглашения"
        j -= 1
    prev = tokens[j]
    return (
        prev.kind == "word" and prev.has("NOUN") and not prev.lemma_is(*NAMED_DOCUMENTS)
        and tokens[k].has("NOUN", "gent", "sing")
    )  # fmt: skip


def _period_at(ctx: Context, k: int) -> str:
    if k >= len(ctx.tokens):
        return ""
    offset = ctx.spans[k][0]
    for d in ctx.dates:
        if d.start == offset and d.kind in ("period", "year"):
            return d.iso
    return ""


def _date_after(ctx: Context, k: int) -> str:
    """ "от 29 сентября 2020 г." or ", подписанного в 2015 году" right after the name."""
    tokens = ctx.tokens
    if k + 1 < len(tokens) and tokens[k].low == "от":
        offset = ctx.spans[k + 1][0]
        return next((d.iso for d in ctx.dates if d.start == offset and d.kind == "day"), "")
    if k + 3 < len(tokens) and tokens[k].text == "," and tokens[k + 1].lemma_is("подписать"):
        offset = ctx.spans[k + 3][0]
        return next((d.iso for d in ctx.dates if d.start == offset), "")
    return ""


def _in_brackets(tokens: tuple[Token, ...]) -> frozenset[int]:
    depth = 0
    out = set()
    for k, tok in enumerate(tokens):
        if tok.text == "(":
            depth += 1
        elif tok.text == ")":
            depth = max(depth - 1, 0)
        elif depth:
            out.add(k)
    return frozenset(out)


def _signed_object(tokens: tuple[Token, ...], i: int, head: int, after_noun: bool) -> bool:
    """The head at ``i..head`` is the clause's object or subject, singular, not a dependent."""
    tok = tokens[head]
    case_ok = any(
        "sing" in p.tag and any(c in p.tag for c in (("gent",) if after_noun else _DIRECT))
        for p in tok.parses
        if "NOUN" in p.tag
    )
    if not case_ok or tok.lemma_is("документ"):
        return False
    prev = tokens[i - 1] if i > 0 else None
    if prev is not None and (prev.has("PREP") or prev.kind == "num" or is_numeral_word(prev.text)):
        return False
    return not (
        prev is not None and not after_noun and prev.low not in _COORDINATORS
        and len(prev.text) > 2 and prev.has("NOUN", "gent")
    )  # fmt: skip


# a programme or plan is a document only with one of these in its name (or a date or period)
_PROGRAMME_TOPICS = frozenset(
    {"сотрудничество", "мероприятие", "развитие", "взаимодействие", "действие", "реализация"}
)


def _has_topic(ctx: Context, head: int, last: int) -> bool:
    words = ctx.tokens[head + 1 : last + 1]
    return any(t.low in _TOPIC or t.lemma_is(*_PROGRAMME_TOPICS) for t in words)


def _clause_year(ctx: Context, first: int, last: int, names: list[tuple[int, int]]) -> str:
    """ "заключено в 2017 году": a year in the clause, outside every document's name."""
    at = ctx.spans  # offsets in the sentence
    lo, hi = at[first][0], at[last][1]
    spans = [(at[a][0], at[b][1]) for a, b in names]
    for d in ctx.dates:
        if d.kind == "year" and not d.base and lo <= d.start < hi:
            if not any(a <= d.start < b for a, b in spans):
                return d.iso
    return ""


def _document_at(ctx: Context, i: int) -> tuple[int, int, str] | None:
    """(head, last token of the name, date) of a document whose head starts at ``i``."""
    tokens = ctx.tokens
    head = _head(tokens, i, any_case=True)
    if head < 0:
        return None
    last, period = _name_end(ctx, head + 1)
    return head, last, period or _date_after(ctx, last + 1)


def _name(ctx: Context, i: int, head: int, last: int) -> str:
    words = [_nominative(t, t.lemmas) for t in ctx.tokens[i : head + 1]]
    name = " ".join(words)
    if last > head:
        name += ctx.sentence.text[ctx.spans[head][1] : ctx.spans[last][1]]
    return name


def _signed_in_clause(ctx: Context, used: set[int]) -> list[tuple[int, Fact]]:
    from indexer.facts._modality import clauses

    tokens = ctx.tokens
    brackets = _in_brackets(tokens)
    out: list[tuple[int, Fact]] = []
    for first, stop in clauses(tokens):
        signs = [
            k for k in range(first, stop)
            if tokens[k].lemma_is(*SIGN_WORDS) and k not in ctx.irrealis
        ]  # fmt: skip
        if not signs:
            continue
        verbs = any(not tokens[k].lemma_is("подписание") for k in signs)
        docs: list[tuple[int, int, int, str]] = []
        for i in range(first, stop):
            if i in used or i in brackets or i in ctx.irrealis:
                continue
            found = _document_at(ctx, i)
            if found is None:
                continue
            head, last, date = found
            after_noun = i > 0 and tokens[i - 1].lemma_is("подписание")
            if not verbs and not after_noun:  # "со дня подписания" signs nothing
                continue
            if tokens[head].lemma_is("программа", "план") and not (
                date or _has_topic(ctx, head, last)
            ):
                continue  # "Утверждена Программа визита"
            if _signed_object(tokens, i, head, after_noun):
                docs.append((i, head, max(last, head), date))
                used.update(range(i, max(last, head) + 1))
        names = [(i, last) for i, _, last, _ in docs]
        for i, head, last, date in docs:
            date = date or _clause_year(ctx, first, stop - 1, names)
            obj = _name(ctx, i, head, last)
            out.append((i, ctx.fact("signed_document", "signed_in_clause", object=obj, date=date)))
    return out


def _signing_before(ctx: Context, k: int) -> bool:
    """Token ``k`` (the start of a count) does not depend on a preposition or another noun."""
    if k == 0:
        return True
    prev = ctx.tokens[k - 1]
    if prev.lemma_is(*SIGN_WORDS) or prev.kind != "word" or prev.low in _COORDINATORS:
        return True  # "подписание 18 документов", "подписали 3 соглашения", "... и 11 программ"
    return not (prev.has("PREP") or (prev.has("NOUN", "gent") and k - 1 not in ctx.date_tokens))


def _signed_counts(ctx: Context) -> list[tuple[int, Fact]]:
    """Rule 3: "подписано 12 документов" -> object ``документ``, value 12."""
    from indexer.facts._modality import clauses
    from indexer.facts._rules_counts import find_counts

    tokens = ctx.tokens
    counts = [c for c in find_counts(ctx) if c.kind == "document" and c.number is not None]
    out: list[tuple[int, Fact]] = []
    for c in counts:
        first, stop = next((a, b) for a, b in clauses(tokens) if a <= c.noun < b)
        signed = any(
            tokens[k].lemma_is(*SIGN_WORDS)
            and k not in ctx.irrealis
            and (k == c.first - 1 or not tokens[k].lemma_is("подписание"))
            and not (k and tokens[k - 1].lemma_is(*NOT_YET_SIGNED))
            for k in range(first, stop)
        )
        if not (signed and _signing_before(ctx, c.first)):
            continue
        names = [
            (i, found[1])
            for i in range(first, stop)
            if i != c.noun and (found := _document_at(ctx, i)) is not None
        ]  # a year in another document's name is not the signing's ("от 3 октября 2017 г.")
        out.append((c.first, ctx.fact(
            "signed_document", "signed_count", value=c.value, qualifier=c.qualifier,
            object=c.object, date=_clause_year(ctx, first, stop - 1, names),
        )))  # fmt: skip
    return out


_COUNTED = _ALL_HEADS | {"документ"}


def document_rules(ctx: Context) -> list[Fact]:
    """signed_document facts of one sentence (rules 1-3 of the module doc)."""
    if not ctx.mentions_any(_COUNTED):
        return []
    used: set[int] = set()
    found = []
    if ctx.mentions_any(SIGN_WORDS):
        found += _signed_in_clause(ctx, used)
        found += _signed_counts(ctx)
    found += _named_documents(ctx, used)
    return [f for _, f in sorted(found, key=lambda x: x[0])]


def _planned(ctx: Context, i: int) -> bool:
    """A named document in a planned signing ("планируется подписать Соглашение ..."), or a
    draft ("проект Соглашения"); a plan merely mentioned in a planned clause still exists."""
    if i > 0 and ctx.tokens[i - 1].lemma_is("проект"):
        return True
    if i not in ctx.irrealis:
        return False
    from indexer.facts._modality import clauses

    for first, stop in clauses(ctx.tokens):
        if first <= i < stop:
            return any(t.lemma_is(*SIGN_WORDS) for t in ctx.tokens[first:stop])
    return True


def _named_documents(ctx: Context, used: set[int]) -> list[tuple[int, Fact]]:
    """Rule 2: a capitalized document with its date, period or topic."""
    tokens = ctx.tokens
    out: list[tuple[int, Fact]] = []
    after = 0  # the token after the last name read
    for i, tok in enumerate(tokens):  # a head has one of _ALL_HEADS among its lemmas
        if i < after or tok.lemmas.isdisjoint(_ALL_HEADS):
            continue
        head = _head(tokens, i) if i not in used else -1
        if head < 0 or _planned(ctx, i):
            continue
        last, period = _name_end(ctx, head + 1)
        date = period or _date_after(ctx, last + 1)
        if not date and (last <= head or tokens[head + 1].low not in _TOPIC):
            after = head + 1
            continue
        name = _name(ctx, i, head, last)
        out.append((i, ctx.fact("signed_document", "named_document", object=name, date=date)))
        after = max(last, head) + 1
    return out


_BE_HEADS = {
    "пагадненне": "соглашение",  # пагадненне аб супрацоўніцтве
    "дагавор": "договор",
    "пратакол": "протокол",
    "праграма": "программа",
    "мемарандум": "меморандум",
}


def document_head(name: str) -> str:
    """The head noun of a document's name in its dictionary form (what the document *is*).

    >>> document_head("Дорожная карта по развитию сотрудничества"), document_head("Плана мероприятий")
    ('дорожная карта', 'план')
    """
    from indexer.facts._morph import lemmas

    words = name.split()
    if not words:
        return ""
    first = lemmas(words[0])
    if "дорожный" in first and len(words) > 1 and "карта" in lemmas(words[1]):
        return "дорожная карта"
    low = words[0].lower()
    if low[:8] in {k[:8] for k in _BE_HEADS}:
        return next(v for k, v in _BE_HEADS.items() if low.startswith(k[:7]))
    known = sorted(first & (NAMED_DOCUMENTS | {"документ"}))
    return known[0] if known else low
