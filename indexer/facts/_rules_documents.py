"""signed_document: a named document with its date or period.

Rule ``named_document``: a capitalized document noun in the singular ("Соглашение", "Плана",
"Дорожную карту") followed by its name ("о торгово-экономическом, научно-техническом и
культурном сотрудничестве", "мероприятий на 2023-2025 годы") and/or its date ("от 29 сентября
2020 г."). The name runs until a date, a period (included), a clause comma, another document
or a verb. A name with neither a date nor a period needs a topic ("о ...", "по ..."), so
"Программа визита" is not a document. The head is put in the nominative; the rest is kept as
written.
"""

from __future__ import annotations

from core.records import Fact
from indexer.facts._context import Context
from indexer.facts._morph import inflect
from indexer.facts._tokens import Token

__all__ = ["document_rules"]

NAMED_DOCUMENTS = frozenset(
    {"соглашение", "договор", "меморандум", "план", "программа", "протокол", "контракт"}
)
_STOP_WORDS = frozenset({"который", "которая", "которое", "которые", "к", "с", "со", "а", "но"})
_TOPIC = frozenset({"о", "об", "по"})  # a name without a date needs a topic: "о сотрудничестве"
_NOMN = frozenset({"nomn", "sing"})


def _head(tokens: tuple[Token, ...], i: int) -> int:
    """Last token of a named document's head at ``i`` ("Дорожной карты" -> i + 1), or -1."""
    tok = tokens[i]
    if tok.kind != "word" or not tok.is_upper_initial:
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
        if tok.low == "и" and (nxt is None or _head(tokens, k + 1) >= 0):
            break
        if tok.kind == "word" and (tok.has("VERB") or (tok.has("PRTF") and not tok.has("ADJF"))):
            break
        if k > start and _head(tokens, k) >= 0:
            break
        last = k
        k += 1
    while last >= start and tokens[last].text in ",":
        last -= 1
    return last, ""


def _period_at(ctx: Context, k: int) -> str:
    if k >= len(ctx.tokens):
        return ""
    offset = ctx.tokens[k].start - ctx.sentence.start
    for d in ctx.dates:
        if d.start == offset and d.kind in ("period", "year"):
            return d.iso
    return ""


def _date_after(ctx: Context, k: int) -> str:
    """ "от 29 сентября 2020 г." or ", подписанного в 2015 году" right after the name."""
    tokens = ctx.tokens
    if k + 1 < len(tokens) and tokens[k].low == "от":
        offset = tokens[k + 1].start - ctx.sentence.start
        return next((d.iso for d in ctx.dates if d.start == offset and d.kind == "day"), "")
    if k + 3 < len(tokens) and tokens[k].text == "," and tokens[k + 1].lemma_is("подписать"):
        offset = tokens[k + 3].start - ctx.sentence.start
        return next((d.iso for d in ctx.dates if d.start == offset), "")
    return ""


def document_rules(ctx: Context) -> list[Fact]:
    """signed_document facts of one sentence."""
    tokens = ctx.tokens
    out: list[Fact] = []
    i = 0
    while i < len(tokens):
        head = _head(tokens, i)
        if head < 0:
            i += 1
            continue
        last, period = _name_end(ctx, head + 1)
        date = period or _date_after(ctx, last + 1)
        if not date and (last <= head or tokens[head + 1].low not in _TOPIC):
            i = head + 1
            continue
        words = [_nominative(t, t.lemmas) for t in tokens[i : head + 1]]
        name = " ".join(words)
        if last > head:
            s0 = ctx.sentence.start
            name += ctx.sentence.text[tokens[head].stop - s0 : tokens[last].stop - s0]
        out.append(ctx.fact("signed_document", "named_document", object=name, date=date))
        i = max(last, head) + 1
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
