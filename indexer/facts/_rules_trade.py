"""trade_change: growth or decline of товарооборот / экспорт / импорт, in percent or money.

Rule ``trade_change``: a number with a unit ("18,4 процента", "64 млн долларов США") that is a
change - written after "на" ("вырос на 18,4 процента") or after "составил" with a change noun
("рост товарооборота ... составил более 190 процентов") - takes the nearest trade noun before it
and the nearest change word from just before that noun on ("экспорт ... увеличился на 24,1
процента, в Смоленскую область — на 17,8 процента" gives two facts). Levels ("составил 48,6 млн
долларов США") are not changes.
"""

from __future__ import annotations

from core.records import Fact
from indexer.facts._context import Context
from indexer.facts._numerals import format_number, read_number
from indexer.facts._tokens import Token

__all__ = ["trade_rules"]

TRADE_NOUNS = ("товарооборот", "экспорт", "импорт")
GROWTH = frozenset(
    {"рост", "прирост", "увеличение", "вырасти", "увеличиться", "возрасти", "нарастить",
     "увеличить", "расти", "подрасти"}
)  # fmt: skip
DECLINE = frozenset(
    {"снижение", "сокращение", "уменьшение", "падение", "снизиться", "сократиться",
     "уменьшиться", "упасть", "снизить", "сократить"}
)  # fmt: skip
_CHANGE_NOUNS = frozenset(
    {"рост", "прирост", "увеличение", "снижение", "сокращение", "уменьшение", "падение"}
)
_SCALES = {
    "млн": "млн",
    "миллион": "млн",
    "млрд": "млрд",
    "миллиард": "млрд",
    "тыс": "тыс.",
    "тысяча": "тыс.",
}
_CURRENCIES = frozenset({"доллар", "рубль", "евро"})


def _unit(tokens: tuple[Token, ...], k: int) -> str:
    """The unit right after a number: "%" or "млн долларов США"; "" if none."""
    if k >= len(tokens):
        return ""
    if tokens[k].text == "%" or tokens[k].lemma_is("процент"):
        return "%"
    scale = next((_SCALES[lem] for lem in tokens[k].lemmas if lem in _SCALES), "")
    if not scale:
        return ""
    k += 1
    if k < len(tokens) and tokens[k].text == ".":
        k += 1
    words: list[str] = []
    if k < len(tokens) and tokens[k].lemma_is("российский", "белорусский"):
        words.append(tokens[k].text)
        k += 1
    if k >= len(tokens) or tokens[k].lemmas.isdisjoint(_CURRENCIES):
        return ""
    words.append(tokens[k].text)
    if k + 1 < len(tokens) and tokens[k + 1].text == "США":
        words.append("США")
    return " ".join([scale, *words])


def _is_change(ctx: Context, first: int, trade: int) -> bool:
    """Written as a change: after "на", or after "составил" with a change noun before it."""
    tokens = ctx.tokens
    if first > 0 and tokens[first - 1].low == "на":
        return True
    if first > 0 and tokens[first - 1].lemma_is("составить"):
        return any(t.lemma_is(*_CHANGE_NOUNS) for t in tokens[max(trade - 2, 0) : first])
    return False


def _trade_date(ctx: Context) -> str:
    for d in ctx.dates:
        if not d.base and d.kind in ("year", "period"):
            return d.iso
    return next((d.iso[:4] for d in ctx.dates if d.kind == "day"), "")


def trade_rules(ctx: Context) -> list[Fact]:
    """trade_change facts of one sentence."""
    tokens = ctx.tokens
    out: list[Fact] = []
    i = 0
    while i < len(tokens):
        number = read_number(tokens, i) if i not in ctx.date_tokens | ctx.irrealis else None
        if number is None:
            i += 1
            continue
        i = number.last + 1
        unit = _unit(tokens, number.last + 1)
        trade = next(
            (k for k in range(number.first - 1, -1, -1) if tokens[k].lemma_is(*TRADE_NOUNS)), -1
        )
        if not unit or trade < 0:
            continue
        qualifier, first = ctx.qualifier(number.first)
        if tokens[number.first - 1].low == "на" and not qualifier:
            first = number.first
        elif qualifier:
            first = first if tokens[number.first - 1].low != "на" else number.first
        if not _is_change(ctx, first if first < number.first else number.first, trade):
            continue
        sign = 0
        elliptic = trade + 1 < len(tokens) and tokens[trade + 1].text in "—–-"  # "импорт — на 86"
        for k in range(number.first - 1, -1 if elliptic else max(trade - 3, -1), -1):
            if tokens[k].lemma_is(*GROWTH):
                sign = 1
                break
            if tokens[k].lemma_is(*DECLINE):
                sign = -1
                break
        if not sign:
            continue
        obj = next(lem for lem in TRADE_NOUNS if tokens[trade].lemma_is(lem))
        out.append(ctx.fact(
            "trade_change", "trade_change", value=format_number(sign * number.value),
            qualifier=qualifier, object=obj, counterpart_object=unit, date=_trade_date(ctx),
        ))  # fmt: skip
    return out
