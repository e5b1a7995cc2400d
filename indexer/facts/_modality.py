"""Planned, intended, negated or unsigned statements: the clauses whose numbers are not facts.

A sentence is cut into clauses at ";" and at ", а / , но / , однако / , тогда как". A clause is
*irrealis* when it holds a marker from ``MARKERS`` (lemmas), a future-tense verb ("вырастет",
"подпишут", "будут подписаны"), or "не" right before a signing or change word ("не подписано").
Count, document and trade rules skip numbers and documents in irrealis clauses; person roles are
not affected. A verbless sentence that opens with "А также" / "Также" / "Кроме того" continues the
previous one and inherits its modality ("Запланировано подписание соглашения. А также двух
соглашений ...").
"""

from __future__ import annotations

from collections.abc import Sequence

from indexer.facts._tokens import Token

__all__ = ["MARKERS", "clauses", "continues_previous", "irrealis_tokens"]

MARKERS = frozenset(
    {
        "планироваться",  # планируется подписать
        "планировать",  # стороны планируют увеличить
        "запланировать",  # запланировано подписание
        "намереваться",  # намереваются заключить
        "намерен",  # намерена подписать
        "намерить",  # pymorphy3's lemma of "намерено"
        "намерение",  # о намерении подписать
        "наметить",  # намечено заключить
        "намечаться",
        "предполагаться",  # предполагается подписать
        "предлагаться",  # предлагается заключить
        "предстоять",  # предстоит подписать
        "собираться",
        "рассчитывать",  # рассчитываем, что товарооборот вырастет
        "готовиться",  # готовится к подписанию
        "согласование",  # находится в стадии согласования
        "проработка",  # в проработке находятся два соглашения
        "подготовить",  # договорились подготовить меморандум (the infinitive only)
        "проект",  # проект соглашения
        "разработать",  # разработать дорожную карту
        "мочь",  # может быть увеличен
        "должный",  # должны быть подписаны
        "ожидаться",  # ожидается подписание
        "прогнозироваться",
        "цель",  # с целью увеличить товарооборот
        "задача",  # задача - нарастить экспорт
        "поставить",  # поставлена задача
        "возможность",  # обсудили возможность подписания (before a signing/change word only)
    }
)
# "возможность" marks a clause only before what it makes possible: "возможность подписания двух
# меморандумов", "возможность увеличить"; not "открывает новые возможности для развития".
_POSSIBLE = (
    "подписание", "заключение", "утверждение", "парафирование", "увеличение", "наращивание",
    "рост", "расширение",
)  # fmt: skip
_SPLIT_AFTER_COMMA = frozenset({"а", "но", "однако", "тогда"})
_OPENERS = (("а", "также"), ("также",), ("кроме", "того"), ("и",), ("а", "еще"))
_OPENER_FIRST = frozenset(o[0] for o in _OPENERS)
_NEGATED = frozenset({"подписать", "заключить", "утвердить", "парафировать", "согласовать"})


def clauses(tokens: Sequence[Token]) -> list[tuple[int, int]]:
    """Token ranges [start, stop) of the sentence's clauses."""
    out = []
    start = 0
    for i, tok in enumerate(tokens):
        cut = tok.text == ";" or (
            tok.text == ","
            and i + 1 < len(tokens)
            and tokens[i + 1].low in _SPLIT_AFTER_COMMA
            and not (i + 2 < len(tokens) and tokens[i + 2].low == "также")  # ", а также"
        )
        if cut:
            out.append((start, i))
            start = i + 1
    out.append((start, len(tokens)))
    return out


def _is_irrealis(tokens: Sequence[Token]) -> bool:
    for k, tok in enumerate(tokens):
        if tok.kind != "word":
            continue
        if not tok.lemmas.isdisjoint(MARKERS):
            if tok.lemma_is("проект") and not _before_document(tokens, k):
                continue
            if tok.lemma_is("цель", "задача", "поставить", "мочь") and not _has_infinitive(tokens):
                continue
            if tok.lemma_is("возможность") and not (
                k + 1 < len(tokens)
                and (tokens[k + 1].has("INFN") or tokens[k + 1].lemma_is(*_POSSIBLE))
            ):
                continue
            if tok.lemma_is("подготовить") and not tok.has("INFN"):
                continue  # "подготовили отчёты" is done
            if tok.lemma_is("намерение") and not (
                k + 1 < len(tokens) and tokens[k + 1].has("INFN")
            ):
                continue  # "протокол о намерениях" is a document; "о намерении подписать" is not
            return True
        if _future(tok):
            return True
        if tok.low == "не" and k + 1 < len(tokens) and tokens[k + 1].lemma_is(*_NEGATED):
            return True
        if tok.low == "не" and k + 2 < len(tokens) and tokens[k + 2].lemma_is(*_NEGATED):
            return True  # "пока не подписано", "не было подписано"
        if tok.low == "не" and k + 1 < len(tokens) and tokens[k + 1].lemma_is("быть"):
            if any(t.lemma_is(*_NEGATED) for t in tokens):
                return True  # "подписан не был"
    return False


_FUTURE: dict[str, bool] = {}


def _future(tok: Token) -> bool:
    """Every verb parse is a third-person future ("вырастет", "подпишут"; not the biaspectual
    "реализуют", not "отметим"); cached per word form."""
    if "futr" not in tok.grams:
        return False
    found = _FUTURE.get(tok.low)
    if found is None:
        verbs = [p.tag for p in tok.parses if "VERB" in p.tag]
        found = bool(verbs) and all("futr" in t and "3per" in t for t in verbs)
        _FUTURE[tok.low] = found
    return found


def _before_document(tokens: Sequence[Token], k: int) -> bool:
    """ "проект соглашения" / "проект документа" (not "инвестиционных проектов")."""
    return k + 1 < len(tokens) and tokens[k + 1].lemma_is(
        "соглашение", "договор", "документ", "меморандум", "план", "программа", "протокол"
    )


def _has_infinitive(tokens: Sequence[Token]) -> bool:
    return any(t.has("INFN") for t in tokens)


def irrealis_tokens(tokens: Sequence[Token]) -> frozenset[int]:
    """Indices of the tokens that stand in an irrealis clause."""
    out: set[int] = set()
    for start, stop in clauses(tokens):
        if _is_irrealis(tokens[start:stop]):
            out.update(range(start, stop))
    return frozenset(out)


def continues_previous(tokens: Sequence[Token]) -> bool:
    """A verbless sentence opening with "А также" / "Также" / "Кроме того" ... ."""
    if not tokens or tokens[0].low not in _OPENER_FIRST:
        return False
    words = [t.low for t in tokens[:2]]
    if not any(tuple(words[: len(o)]) == o for o in _OPENERS):
        return False
    return not any(t.has("VERB") or t.has("PRTS") for t in tokens)
