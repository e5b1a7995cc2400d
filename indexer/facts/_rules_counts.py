"""Counts of documents and partners: agreement_count and partner_count.

A count is a number (digits or words) followed by up to three modifiers and a lexicon noun the
numeral agrees with ("81 соглашение", "с пятью регионами", "двух новых протоколов"). Rules, in order:

1. ``count_with_partner``: a document count followed by "с N <partners>" -> one row per partner.
2. ``document_count``: any other document count.
3. ``docs_with_partner``: "соглашения ... с пятью регионами" -> value empty, the partners as counterparts.
4. ``partners_have_docs``: "13 районов и 5 городов имеют протоколы" -> one row per partner.
5. ``partners_of_documents``: every partner count of rules 1, 3 and 4 is also a partner_count row
   ("подписала соглашения с 38 субъектами РФ" -> agreement_count and partner_count 38).
6. ``partner_count``: any other partner count ("в торговле с 75 субъектами").

Counts in a planned or negated clause are not facts (``_modality``).
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from core.records import Fact
from indexer.facts._context import Context
from indexer.facts._numerals import NumberPhrase, agrees, format_number, read_number
from indexer.facts._tokens import Token

__all__ = ["count_rules", "find_counts"]

DOCUMENT_NOUNS = frozenset(
    {
        "соглашение",  # 81 соглашение
        "договор",  # около 450 договоров
        "контракт",  # 27 контрактов на поставку
        "протокол",  # два новых протокола
        "меморандум",  # тремя меморандумами
        "документ",  # подписание 18 документов
        "план",  # два плана мероприятий
        "программа",  # 11 программ сотрудничества
    }
)
PARTNER_NOUNS = frozenset(
    {
        "субъект",  # с 68 субъектами Российской Федерации
        "регион",
        "область",
        "район",
        "город",  # с 22 городами-партнёрами (first part of a hyphenated noun)
        "муниципалитет",  # более чем со 100 муниципалитетами
    }
)
BIGRAMS = {
    ("дорожный", "карта"): "дорожная карта",  # 3 дорожные карты
    (
        "муниципальный",
        "образование",
    ): "муниципальное образование",  # с 19 муниципальными образованиями
}
_MODIFIER_TAGS = ("ADJF", "PRTF")
_WITH = frozenset({"с", "со"})
_VERBS_HAVE = ("VERB", "PRTS")


@dataclass(frozen=True)
class Count:
    """A counted noun: ``number`` then the noun at token ``noun``."""

    number: NumberPhrase | None  # None: the noun without a number ("договоры")
    noun: int
    object: str
    kind: str  # "document" | "partner"
    qualifier: str
    first: int  # first token of the phrase (qualifier included)

    @property
    def value(self) -> str:
        """The number as written in facts."""
        return "" if self.number is None else format_number(self.number.value)


def noun_object(tokens: tuple[Token, ...], k: int) -> tuple[str, str] | None:
    """(object, kind) when ``tokens[k]`` is a document or partner noun (with its adjective)."""
    tok = tokens[k]
    if tok.kind != "word":
        return None
    if k > 0 and not tok.lemmas.isdisjoint(_BIGRAM_NOUNS):
        for (adj, noun), name in BIGRAMS.items():
            if tok.lemma_is(noun) and tokens[k - 1].lemma_is(adj):
                return name, "partner" if noun == "образование" else "document"
    return _noun_object(tok)


_BIGRAM_NOUNS = frozenset(noun for _, noun in BIGRAMS)


@lru_cache(maxsize=100_000)
def _noun_object(tok: Token) -> tuple[str, str] | None:
    """``noun_object`` of a word on its own, once per token (tokens are shared per text and never
    change)."""
    for lemma in sorted(tok.lemmas):
        if lemma in DOCUMENT_NOUNS and tok.has("NOUN"):
            return lemma, "document"
        if lemma in PARTNER_NOUNS and tok.has("NOUN"):
            return lemma, "partner"
        head = lemma.split("-")[0]
        if head != lemma and head in PARTNER_NOUNS and tok.has("NOUN"):  # городами-партнёрами
            return head, "partner"
    return None


def _counted_noun(ctx: Context, number: NumberPhrase) -> tuple[int, str, str] | None:
    """The lexicon noun the number counts, skipping up to three agreeing modifiers."""
    tokens = ctx.tokens
    k = number.last + 1
    for _ in range(4):
        if k >= len(tokens) or tokens[k].kind != "word":
            return None
        found = noun_object(tokens, k)
        if found is not None:
            return (k, *found) if agrees(number, tokens[k]) else None
        if not any(tokens[k].has(tag) for tag in _MODIFIER_TAGS):
            return None
        k += 1
    return None


def _number_after_noun(ctx: Context, number: NumberPhrase) -> tuple[int, str, str] | None:
    """ "Всего таких договоров сегодня порядка двадцати." - the count closes the sentence."""
    tokens = ctx.tokens
    end = number.last + 1
    if end < len(tokens) and tokens[end].text not in ".!":
        return None
    _, first = ctx.qualifier(number.first)
    for k in range(first - 1, max(first - 4, -1), -1):
        found = noun_object(tokens, k)
        if found is not None and found[1] == "document" and tokens[k].has("plur", "gent"):
            return k, *found
    return None


_OF_THESE = frozenset({"них", "этих", "указанных", "которых", "их"})


def _coming_from(tokens: tuple[Token, ...], i: int) -> bool:
    """ "делегатов из 60 регионов" (not a sentence opening "Из 40 регионов-партнёров ...")."""
    return i >= 2 and tokens[i - 1].low == "из" and tokens[i - 2].kind == "word"


def _partitive(ctx: Context, number: NumberPhrase) -> tuple[int, str, str] | None:
    """ "с пятью из них", "с двумя из этих регионов": the partner noun after "из" or before."""
    tokens = ctx.tokens
    k = number.last + 1
    if k + 1 >= len(tokens) or tokens[k].low != "из" or tokens[k + 1].low not in _OF_THESE:
        return None
    if number.first == 0 or tokens[number.first - 1].low not in _WITH:
        return None
    if k + 2 < len(tokens):
        found = noun_object(tokens, k + 2)
        if found is not None and found[1] == "partner":
            return (k + 2, *found)
    in_region = {j for m in ctx.mentions for j in range(m.first, m.last + 1)}
    for j in range(number.first - 1, -1, -1):
        found = noun_object(tokens, j) if j not in in_region else None
        if found is not None and found[1] == "partner":
            return (number.last, *found)
    return None


def _the_two_sides(number: NumberPhrase) -> bool:
    """ "предприятия двух регионов", "в двух регионах": the two sides, not a count of partners.

    Only "с двумя городами" (instrumental) counts partners.
    """
    return number.in_words and number.value == 2 and "ablt" not in number.cases


def find_counts(ctx: Context) -> list[Count]:
    """Every counted document or partner noun of the sentence, in text order."""
    tokens = ctx.tokens
    out: list[Count] = []
    after = 0  # the token after the last number read
    for i in ctx.number_starts:
        if i < after or i in ctx.date_tokens or (i and tokens[i - 1].text in "№#"):
            continue
        number = read_number(tokens, i)
        if number is None:
            continue
        found = _counted_noun(ctx, number) or _number_after_noun(ctx, number)
        if found is not None and found[2] == "partner" and _coming_from(tokens, i):
            found = None  # "делегаты из 60 регионов" come from somewhere, they are no partners
        found = found or _partitive(ctx, number)
        if found is not None and number.first in ctx.irrealis:  # "намерена подписать 4 соглашения"
            found = None
        if found is not None and not (found[2] == "partner" and _the_two_sides(number)):
            k, obj, kind = found
            qualifier, first = ctx.qualifier(number.first)
            out.append(Count(number, k, obj, kind, qualifier, min(first, k)))
        after = number.last + 1
    return out


def _chain(ctx: Context, counts: list[Count], start: Count) -> list[Count]:
    """``start`` and the partner counts coordinated after it ("семью районами и двумя городами")."""
    chain = [start]
    for c in counts:
        if c.kind == "partner" and c.first > chain[-1].noun:
            between = ctx.tokens[chain[-1].noun + 1 : c.first]
            if (
                between
                and all(t.low in (",", "и") or t.has("gent") for t in between)
                and any(t.low in (",", "и") for t in between)
            ):
                chain.append(c)
    return chain


def _with_before(ctx: Context, c: Count) -> bool:
    return c.first > 0 and ctx.tokens[c.first - 1].low in _WITH


def _row(ctx: Context, rule: str, value: str, qualifier: str, obj: str, partner: Count) -> Fact:
    return ctx.fact(
        "agreement_count", rule, value=value, qualifier=qualifier, object=obj,
        counterpart_value=partner.value, counterpart_object=partner.object, date=ctx.date(),
    )  # fmt: skip


def _doc_noun_before(ctx: Context, c: Count, counted: set[int]) -> str:
    """A document noun (without a number) shortly before "с <partners>"."""
    tokens = ctx.tokens
    for k in range(c.first - 2, max(c.first - 12, -1), -1):
        if tokens[k].text in ";:()—" or (tokens[k].text == "," and not tokens[k + 1].has("ADJF")):
            return ""
        found = noun_object(tokens, k)
        if found is not None and found[1] == "document" and k not in counted:
            return found[0]
    return ""


def _doc_noun_after(ctx: Context, c: Count, counted: set[int]) -> str:
    """ "... имеют протоколы": a verb, then a document noun, right after the partners."""
    tokens = ctx.tokens
    verb = False
    for k in range(c.noun + 1, min(c.noun + 7, len(tokens))):
        if tokens[k].kind == "punct":
            return ""
        verb = verb or any(tokens[k].has(tag) for tag in _VERBS_HAVE)
        found = noun_object(tokens, k)
        if found is not None and found[1] == "document" and verb and k not in counted:
            return found[0]
    return ""


_TRIGGERS = DOCUMENT_NOUNS | PARTNER_NOUNS | {"образование", "карта"}


def _may_count(ctx: Context) -> bool:
    """The sentence has a document or partner noun (cheap test before reading numbers)."""
    if not ctx.lemma_set.isdisjoint(_TRIGGERS):
        return True
    return any("-" in lem and lem.split("-")[0] in PARTNER_NOUNS for lem in ctx.lemma_set)


def count_rules(ctx: Context) -> list[Fact]:
    """agreement_count and partner_count facts of one sentence (rules 1-6 of the module doc)."""
    if not _may_count(ctx):
        return []
    counts = find_counts(ctx)
    counted = {c.noun for c in counts}
    used: set[int] = set()
    facts: list[tuple[int, Fact]] = []
    for c in counts:
        if c.kind != "document":
            continue
        partners = [
            p for p in counts
            if p.kind == "partner" and c.noun < p.first <= c.noun + 12 and _with_before(ctx, p)
        ]  # fmt: skip
        if partners:
            for p in _chain(ctx, counts, partners[0]):
                used.add(p.noun)
                facts.append(
                    (c.first, _row(ctx, "count_with_partner", c.value, c.qualifier, c.object, p))
                )
                facts.append((p.first, _partner_row(ctx, "partners_of_documents", p)))
            continue
        facts.append((c.first, ctx.fact(
            "agreement_count", "document_count", value=c.value, qualifier=c.qualifier,
            object=c.object, date=ctx.date(),
        )))  # fmt: skip
    for c in counts:
        if c.kind != "partner" or c.noun in used:
            continue
        chain = _chain(ctx, counts, c)
        obj, rule = "", ""
        if _with_before(ctx, c):
            obj, rule = _doc_noun_before(ctx, c, counted), "docs_with_partner"
        if not obj and not (c.first and ctx.tokens[c.first - 1].low == "из"):
            obj, rule = _doc_noun_after(ctx, chain[-1], counted), "partners_have_docs"
        if obj:
            for p in chain:
                used.add(p.noun)
                facts.append((p.first, _row(ctx, rule, "", "", obj, p)))
                facts.append((p.first, _partner_row(ctx, "partners_of_documents", p)))
            continue
        used.add(c.noun)
        facts.append((c.first, _partner_row(ctx, "partner_count", c)))
    return [f for _, f in sorted(facts, key=lambda x: x[0])]


def _partner_row(ctx: Context, rule: str, c: Count) -> Fact:
    return ctx.fact(
        "partner_count", rule, value=c.value, qualifier=c.qualifier, object=c.object,
        date=ctx.date(),
    )  # fmt: skip
