"""trade_change: growth or decline of trade, in percent, money or as a ratio.

A trade change is a number with a unit (``_unit``: "18,4 процента", "64 млн долларов США",
"в 1,5 раза") taken as a change by one of these rules, tried in order:

1. ``trade_vs_base``: "составил 108,5 % к уровню 2022 года" -> 8.5 (the percent minus 100).
2. ``trade_more_less``: "на 4,5 % меньше, чем годом ранее" -> -4.5 (the sign from больше/меньше).
3. ``trade_ratio``: "увеличился в 1,5 раза" -> 1.5, unit "раз" ("сократился в 2 раза" -> -2);
   "вырос вдвое" -> 2.
4. ``trade_change``: "вырос на 18,4 процента", "снизились на 7,5 %", and "рост ... составил более
   190 процентов" (after "составил" only with a change noun before it).

The subject is the nearest trade word before the number (``SUBJECTS``: товарооборот, внешнеторговый
оборот, взаимная торговля -> товарооборот; поставки -> экспорт; ...), the direction the nearest
change word from just before the subject on (``GROWTH``/``DECLINE``). Elliptic clauses inherit
both ("экспорт увеличился на 10 %, а импорт — на 70 %" -> two rows). Levels ("составил 48,6 млн
долларов США") and planned changes ("планируют увеличить в 1,5 раза", ``_modality``) are not facts.
"""

from __future__ import annotations

from core.records import Fact
from indexer.facts._context import Context
from indexer.facts._numerals import NumberPhrase, format_number, read_number
from indexer.facts._tokens import Token

__all__ = ["SUBJECTS", "trade_rules"]

# trade word (lemma) -> the object written into the fact
SUBJECTS = {
    "товарооборот": "товарооборот",  # товарооборот вырос на 17,3 %
    "оборот": "товарооборот",  # внешнеторговый / торговый оборот (with an adjective, _subject)
    "торговля": "товарооборот",  # взаимная торговля выросла; объём торговли
    "экспорт": "экспорт",
    "поставка": "экспорт",  # поставки белорусской продукции снизились
    "вывоз": "экспорт",
    "импорт": "импорт",
    "ввоз": "импорт",
}
_ORDERED_SUBJECTS = tuple(SUBJECTS)
_OBOROT_ADJECTIVES = frozenset({"внешнеторговый", "торговый", "взаимный"})
GROWTH = frozenset(
    {"рост", "прирост", "увеличение", "вырасти", "увеличиться", "возрасти", "нарастить",
     "увеличить", "расти", "подрасти", "прирасти", "выросший", "больше", "возрастать",
     "увеличиваться"}
)  # fmt: skip
DECLINE = frozenset(
    {"снижение", "сокращение", "уменьшение", "падение", "снизиться", "сократиться",
     "уменьшиться", "упасть", "снизить", "сократить", "меньше", "снижаться", "сокращаться"}
)  # fmt: skip
_CHANGE_NOUNS = frozenset(
    {"рост", "прирост", "увеличение", "снижение", "сокращение", "уменьшение", "падение"}
)
_TRIGGERS = frozenset(SUBJECTS) | frozenset({"вдвое", "втрое", "вчетверо"})
_TIMES_WORDS = {"вдвое": 2, "втрое": 3, "вчетверо": 4}
_SCALES = {
    "млн": "млн",
    "миллион": "млн",
    "млрд": "млрд",
    "миллиард": "млрд",
    "тыс": "тыс.",
    "тысяча": "тыс.",
}
_CURRENCIES = frozenset({"доллар", "рубль", "евро"})


def _unit(tokens: tuple[Token, ...], k: int) -> tuple[str, int]:
    """The unit right after a number ("%", "раз", "млн долларов США") and its last token."""
    if k >= len(tokens):
        return "", k
    if tokens[k].text == "%" or tokens[k].lemma_is("процент"):
        return "%", k
    if tokens[k].lemma_is("раз") and tokens[k].kind == "word":
        return "раз", k
    scale = next((_SCALES[lem] for lem in tokens[k].lemmas if lem in _SCALES), "")
    if not scale:
        return "", k
    k += 1
    if k < len(tokens) and tokens[k].text == ".":
        k += 1
    words: list[str] = []
    if k < len(tokens) and tokens[k].lemma_is("российский", "белорусский"):
        words.append(tokens[k].text)
        k += 1
    if k >= len(tokens) or tokens[k].lemmas.isdisjoint(_CURRENCIES):
        return "", k
    words.append(tokens[k].text)
    if k + 1 < len(tokens) and tokens[k + 1].text == "США":
        words.append("США")
        k += 1
    return " ".join([scale, *words]), k


def _subject(tokens: tuple[Token, ...], before: int) -> tuple[int, str]:
    """The nearest trade word before token ``before``: (index, object) or (-1, "")."""
    for k in range(before - 1, -1, -1):
        tok = tokens[k]
        if tok.kind != "word" or tok.lemmas.isdisjoint(SUBJECTS):
            continue
        lemma = next(lem for lem in _ORDERED_SUBJECTS if lem in tok.lemmas)
        if lemma == "оборот" and not (k and tokens[k - 1].lemma_is(*_OBOROT_ADJECTIVES)):
            continue
        if lemma == "торговля" and not _trade_word_ok(tokens, k):
            continue
        return k, SUBJECTS[lemma]
    return -1, ""


def _trade_word_ok(tokens: tuple[Token, ...], k: int) -> bool:
    """ "взаимная торговля", "объём торговли" (not "в торговле с 75 субъектами")."""
    return k > 0 and (tokens[k - 1].lemma_is("взаимный", "объем", "объём", "внешний"))


def _sign(tokens: tuple[Token, ...], first: int, trade: int, after: int) -> int:
    """+1 / -1 from the nearest change word before the number (or больше/меньше after it)."""
    if after < len(tokens) and tokens[after].lemma_is("больше", "меньше"):
        return 1 if tokens[after].lemma_is("больше") else -1
    elliptic = trade + 1 < len(tokens) and tokens[trade + 1].text in "—–-"  # "импорт — на 86"
    for k in range(first - 1, -1 if elliptic else max(trade - 3, -1), -1):
        if tokens[k].lemma_is(*GROWTH):
            return 1
        if tokens[k].lemma_is(*DECLINE):
            return -1
    return 0


def _trade_date(ctx: Context) -> str:
    for d in ctx.dates:
        if not d.base and d.kind in ("year", "period"):
            return d.iso
    return next((d.iso[:4] for d in ctx.dates if d.kind == "day"), "")


def _vs_base(tokens: tuple[Token, ...], last: int) -> bool:
    """ "% к уровню 2022 года", "% к 2022 году", "% к аналогичному периоду"."""
    return last + 1 < len(tokens) and tokens[last + 1].low == "к"


def _read(ctx: Context, number: NumberPhrase) -> tuple[str, float, str, str, int] | None:
    """(rule, signed value, qualifier, unit, subject) of a change at ``number``, or None."""
    tokens = ctx.tokens
    unit, last = _unit(tokens, number.last + 1)
    trade, obj = _subject(tokens, number.first)
    if not unit or trade < 0:
        return None
    qualifier, first = ctx.qualifier(number.first)
    prep_at = number.first - 1
    if qualifier and tokens[first].low not in ("на", "в"):
        prep_at = first - 1 if tokens[number.first - 1].low not in ("на", "в") else prep_at
    prep = tokens[prep_at].low if prep_at >= 0 else ""
    value = number.value
    if (
        unit == "%"
        and prep_at >= 0
        and tokens[prep_at].lemma_is("составить")
        and _vs_base(tokens, last)
    ):
        return "trade_vs_base", value - 100, qualifier, "%", trade
    if prep == "в" and unit == "раз":
        sign = _sign(tokens, prep_at, trade, last + 1)
        return ("trade_ratio", sign * value, qualifier, unit, trade) if sign else None
    if unit == "раз":
        return None
    if prep == "на":
        sign = _sign(tokens, prep_at, trade, last + 1)
        rule = (
            "trade_more_less"
            if tokens[min(last + 1, len(tokens) - 1)].lemma_is("больше", "меньше")
            else "trade_change"
        )
        return (rule, sign * value, qualifier, unit, trade) if sign else None
    if prep_at >= 0 and tokens[prep_at].lemma_is("составить"):
        if any(t.lemma_is(*_CHANGE_NOUNS) for t in tokens[max(trade - 2, 0) : prep_at]):
            sign = _sign(tokens, prep_at, trade, last + 1)
            return ("trade_change", sign * value, qualifier, unit, trade) if sign else None
    return None


def _times_words(ctx: Context) -> list[tuple[int, Fact]]:
    """ "вырос вдвое": a ratio written as one adverb."""
    out = []
    for k, tok in enumerate(ctx.tokens):
        if tok.low in _TIMES_WORDS and k not in ctx.irrealis:
            trade, obj = _subject(ctx.tokens, k)
            sign = _sign(ctx.tokens, k, trade, k + 1) if trade >= 0 else 0
            if sign:
                out.append((k, ctx.fact(
                    "trade_change", "trade_ratio", value=format_number(sign * _TIMES_WORDS[tok.low]),
                    object=obj, counterpart_object="раз", date=_trade_date(ctx),
                )))  # fmt: skip
    return out


def trade_rules(ctx: Context) -> list[Fact]:
    """trade_change facts of one sentence (rules 1-4 of the module doc)."""
    if not ctx.mentions_any(_TRIGGERS):
        return []
    tokens = ctx.tokens
    out = _times_words(ctx)
    after = 0  # the token after the last number read
    skip = ctx.date_tokens | ctx.irrealis
    for i in ctx.number_starts:
        number = read_number(tokens, i) if i >= after and i not in skip else None
        if number is None:
            continue
        after = number.last + 1
        found = _read(ctx, number)
        if found is None:
            continue
        rule, value, qualifier, unit, trade = found
        obj = _subject(tokens, number.first)[1]
        out.append((number.first, ctx.fact(
            "trade_change", rule, value=format_number(value), qualifier=qualifier, object=obj,
            counterpart_object=unit, date=_trade_date(ctx),
        )))  # fmt: skip
    return [f for _, f in sorted(out, key=lambda x: x[0])]
