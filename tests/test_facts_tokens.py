"""Fact extraction's token cache: one shared Token per token text, offsets from ``spans``.

Tokens are made once per distinct text and shared by every sentence (with the rules' per-token
tests, ``may_number`` / ``may_person`` / ``may_region``, computed then): results must not depend on
what the cache holds, and the offsets of repeated words must be each occurrence's own.
"""

from __future__ import annotations

import pytest

from indexer.facts import _morph, _tokens, extract_facts
from indexer.facts._gazetteer import may_start_region
from indexer.facts._numerals import may_start_number
from indexer.facts._persons import may_start_person
from indexer.facts._tokens import spans, tokenize

TEXTS = [
    ("Курская делегация посетила Витебск", "Губернатор Курской области Роман Старовойт и "
     "председатель Витебского облисполкома подписали 12 соглашений с пятью регионами.\n"
     "Товарооборот вырос на 38,5 процента. Подписан План мероприятий на 2024-2026 годы."),
    ("", "Министр Иванов, министр Петров и Иванов. 1 200 документов, 1 200 рублей."),
    ("Премьер‑министр посетил Гомельскую, Могилевскую и Витебскую области", "Михаил Ведерников "
     "провёл встречу. Соглашение о сотрудничестве с Брестской областью подписано 5 мая 2023 г."),
]  # fmt: skip


def _clear() -> None:
    _tokens._TOKENS.clear()
    _morph._INFO.clear()


def test_results_do_not_depend_on_the_token_cache() -> None:
    _clear()
    cold = [extract_facts(t, b) for t, b in TEXTS]
    warm = [extract_facts(t, b) for t, b in TEXTS]  # every token from the cache
    _clear()
    for t, b in reversed(TEXTS):  # the cache filled in another order
        extract_facts(t, b)
    again = [extract_facts(t, b) for t, b in TEXTS]
    assert cold == warm == again
    assert any(r.facts for r in cold) and any(r.regions for r in cold)


@pytest.mark.parametrize(
    ("text", "twice"),
    [
        ("Министр Иванов, министр Петров и Иванов.", "Иванов"),
        ("1 200 документов, 1 200 рублей и 1\u00a0200 тонн: 12,5 %.", "1 200"),
        ("  Санкт-Петербург   и Санкт-Петербург ", "Санкт-Петербург"),
    ],
)
def test_spans_are_each_occurrences_offsets(text: str, twice: str) -> None:
    tokens = tokenize(text)
    found = spans(text, tokens, 7)
    assert [text[a - 7 : b - 7] for a, b in found] == [t.text for t in tokens]
    assert all(b <= c for (_, b), (c, _) in zip(found, found[1:], strict=False))
    same = [t for t in tokens if t.text == twice]
    assert len(same) >= 2 and all(t is same[0] for t in same)  # one shared Token per text


def test_the_per_token_tests_select_what_the_rules_scanned_for() -> None:
    """``number_starts`` and the gazetteer's and person rules' start tokens, from the cached
    per-token tests, are the tokens the rules' own tests select in every sentence."""
    from indexer.facts._gazetteer import _gazetteer
    from indexer.facts._numerals import _NUMERAL_GRAMS, _SCALES, number_starts
    from indexer.facts._person_lexicon import ROLE_HEADS

    gaz = _gazetteer()
    _clear()
    found = 0
    for text in [t + " " + b for t, b in TEXTS]:
        tokens = tokenize(text)
        numbers = [
            i for i, t in enumerate(tokens)
            if t.kind == "num" or not (t.grams.isdisjoint(_NUMERAL_GRAMS)
                                       and t.lemmas.isdisjoint(_SCALES))
        ]  # fmt: skip
        people = [
            i for i, t in enumerate(tokens)
            if t.kind == "word" and (t.text[0].isupper() or not t.lemmas.isdisjoint(ROLE_HEADS)
                                     or "-" in t.low or "‑" in t.low)
        ]  # fmt: skip
        places = [
            i for i, t in enumerate(tokens)
            if t.kind == "word" and any(
                lem in gaz.forms or lem in gaz.adjectives or lem in gaz.noun_adjectives
                for lem in t.lemmas
            )
        ]  # fmt: skip
        assert list(number_starts(tokens)) == numbers and numbers
        assert [i for i, t in enumerate(tokens) if t.may_person] == people and people
        assert [i for i, t in enumerate(tokens) if t.may_region] == places
        found += len(places)
        assert all(
            (t.may_number, t.may_person, t.may_region)
            == (may_start_number(t), may_start_person(t), may_start_region(t))
            for t in tokens
        )
    assert found >= 5
