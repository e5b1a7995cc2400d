"""What every rule sees of one sentence: its tokens, regions, persons and dates."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from core.enums import FactType
from core.records import Fact
from indexer.facts._dates import DateMention, find_dates
from indexer.facts._gazetteer import RegionMention, region_mentions
from indexer.facts._modality import irrealis_tokens
from indexer.facts._numerals import number_starts
from indexer.facts._sentences import Sentence
from indexer.facts._tokens import Token, spans, tokenize

__all__ = ["Context", "make_context"]

_DIGIT = re.compile(r"\d")
_QUALIFIERS_2 = {("не", "менее"), ("не", "более"), ("более", "чем"), ("менее", "чем")}
_PREPOSITIONS = frozenset({"в", "на", "с", "со", "по", "между"})
_QUALIFIERS_1 = frozenset({"около", "более", "свыше", "порядка", "почти", "менее", "примерно"})


@dataclass
class Context:
    """One sentence of a body, analysed once and shared by all rules.

    Not frozen: ``extract_facts`` fills ``persons``/``person_spans`` after the person rules and
    sets ``inherit`` in place (no copy per sentence); the rules only read it.
    """

    sentence: Sentence
    tokens: tuple[Token, ...]
    mentions: tuple[RegionMention, ...]
    dates: tuple[DateMention, ...]  # offsets relative to the sentence
    date_tokens: frozenset[int]  # indices of tokens inside a date, period or year
    persons: tuple[str, ...] = ()  # persons named in the sentence (set after the person rules)
    inherit: bool = False  # the previous sentence's modality carries over: all irrealis
    in_title: bool = False  # the document's title: facts get offsets 0, 0
    lemma_set: frozenset[str] = frozenset()  # every lemma of the sentence (cheap rule skips)
    person_spans: tuple[Any, ...] | None = None  # _persons.PersonRole found (set by extract)
    # computed on first use (plain attributes: functools.cached_property takes a lock per call)
    _irrealis: frozenset[int] | None = field(default=None, init=False, repr=False, compare=False)
    _numbers: tuple[int, ...] | None = field(default=None, init=False, repr=False, compare=False)
    _places: frozenset[int] | None = field(default=None, init=False, repr=False, compare=False)
    _spans: tuple[tuple[int, int], ...] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    @property
    def spans(self) -> tuple[tuple[int, int], ...]:
        """(start, stop) of each token in the sentence's text (add ``sentence.start`` for the
        body's offsets), computed on first use (tokens are shared: they carry no offsets)."""
        if self._spans is None:
            self._spans = spans(self.sentence.text, self.tokens)
        return self._spans

    @property
    def irrealis(self) -> frozenset[int]:
        """Indices of the tokens in planned or negated clauses (``_modality``), computed once,
        only for sentences a count, document or trade rule looks at."""
        if self._irrealis is None:
            if self.inherit:
                self._irrealis = frozenset(range(len(self.tokens)))
            else:
                self._irrealis = irrealis_tokens(self.tokens)
        return self._irrealis

    @property
    def number_starts(self) -> tuple[int, ...]:
        """Indices of the tokens a number may start at (``_numerals.number_starts``)."""
        if self._numbers is None:
            self._numbers = number_starts(self.tokens)
        return self._numbers

    @property
    def place_tokens(self) -> frozenset[int]:
        """Indices of the tokens inside region mentions."""
        if self._places is None:
            self._places = frozenset(j for m in self.mentions for j in range(m.first, m.last + 1))
        return self._places

    @property
    def regions(self) -> tuple[str, ...]:
        """Regions named in the sentence, each once, in order."""
        return tuple(dict.fromkeys(m.region for m in self.mentions))

    def date(self) -> str:
        """The sentence's date for counts: a day, else a period, else a year (not a base year)."""
        for kind in ("day", "period", "year"):
            for d in self.dates:
                if d.kind == kind and not d.base:
                    return d.iso
        return ""

    def qualifier(self, i: int) -> tuple[str, int]:
        """The qualifier written right before token ``i`` ("более чем") and its first index."""
        t = self.tokens
        if i >= 2 and (t[i - 2].low, t[i - 1].low) in _QUALIFIERS_2:
            return f"{t[i - 2].text} {t[i - 1].text}".lower(), i - 2
        if i >= 1 and t[i - 1].low in _QUALIFIERS_1:
            return t[i - 1].text.lower(), i - 1
        if i >= 2 and t[i - 1].low in _PREPOSITIONS:  # "почти на 38", "более чем в 70"
            found, first = self.qualifier(i - 1)
            if found:
                return found, first
        return "", i

    def fact(self, fact_type: str, rule: str, **values: str) -> Fact:
        """A Fact of this sentence with its regions and persons."""
        persons = values.pop("persons", None)
        return Fact(
            fact_type=FactType(fact_type),
            regions=self.regions,
            persons=(persons,) if persons else tuple(self.persons),
            sentence=self.sentence.text,
            start=0 if self.in_title else self.sentence.start,
            stop=0 if self.in_title else self.sentence.stop,
            rule=rule,
            **values,
        )

    def mentions_any(self, words: frozenset[str]) -> bool:
        """Some token of the sentence has one of ``words`` among its lemmas."""
        return not self.lemma_set.isdisjoint(words)


def make_context(sentence: Sentence, *, in_title: bool = False) -> Context:
    """Tokenize and analyse one sentence."""
    text = sentence.text
    tokens = tuple(tokenize(text))
    dates = tuple(find_dates(text)) if _DIGIT.search(text) else ()
    offsets = spans(text, tokens) if dates else None
    inside = (
        frozenset(
            i for i, (start, _) in enumerate(offsets) for d in dates if d.start <= start < d.stop
        )
        if offsets
        else frozenset()
    )
    lemma_set = frozenset().union(*[t.lemmas for t in tokens])
    ctx = Context(
        sentence, tokens, tuple(region_mentions(tokens)), dates, inside, (), False, in_title,
        lemma_set,
    )  # fmt: skip
    ctx._spans = offsets
    return ctx
