"""Fact-extraction benchmark: quality on real news (factRuEval-2016 devset) beside Natasha 1.6,
the written press-release sets and the demo gold, and throughput on the generated bench corpus.

In one run:

- factRuEval-2016 devset (``../shared/data/factrueval-2016-devset/``, 122 real news texts):
  persons with an occupation (``Occupation`` facts; ``Who`` resolved to its coreference chain).
  Per text, each gold person counts once. *Name F1*: a prediction names a gold person when a word
  of its name shares the first five letters with one of the chain's surnames. *Name+role F1*
  (gold persons with a ``Position`` span): the prediction's role head noun (dictionary form) is
  among the span's nouns ("мэр" ~ "мэра Москвы"). Facts the task marks ``Сложность повышенная``
  are optional, as in its own (easy-mode) evaluation. *Regions F1* over (text, region) pairs:
  gold = the ``Location`` and ``LocOrg`` chains whose normalized name is a region of vestnik's
  gazetteer.
  The texts are split by document: ``book_N`` with N divisible by 3 is the held-out part (41
  texts, never tuned on), the other 81 the development part; both are printed, and the whole.
  ``--misses`` lists vestnik's misses and false positives on the development part only.
- Natasha 1.6 on the same texts: its PER spans (normalized) count as persons with a role when a
  role noun of vestnik's lexicon stands right before the span; its LOC spans, normalized, are
  mapped through the same gazetteer. (Natasha itself has no person-role facts.)
- The written sets (tests/data/facts_dev, tests/data/facts_test) and the demo gold, per fact type.
- Throughput: ``extract_facts`` documents/s in one process on ``--docs`` generated documents
  (bench/bench_index.py's generator, seeded from the demo site's vocabulary), after a warm-up.

Usage::

    .venv/bin/python bench/bench_facts.py                 # 20,000 documents for the speed row
    .venv/bin/python bench/bench_facts.py --docs 2000 --no-natasha

Writes ``bench/results/facts.md`` (and prints it). Natasha comes with the ``bench`` extra.
"""

from __future__ import annotations

import argparse
import os
import re
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
RESULTS = ROOT / "bench" / "results" / "facts.md"
FRE = ROOT.parent / "shared" / "data" / "factrueval-2016-devset"


@dataclass(frozen=True)
class GoldPerson:
    """A person of an ``Occupation`` fact, identified by the coreference chain of its ``Who``."""

    keys: frozenset[str]  # surname keys of the chain (its name words when it has no lastname)
    positions: tuple[frozenset[str], ...]  # noun lemmas of each Position span given to it
    required: bool  # False: only in facts the task marks difficult ("Сложность повышенная")


@dataclass(frozen=True)
class Text:
    name: str
    text: str
    persons: tuple[GoldPerson, ...]
    regions: frozenset[str]

    @property
    def heldout(self) -> bool:
        """The held-out part: ``book_N`` with N divisible by 3 (41 of the 122 texts); the rules
        are tuned on the other 81 (the development part) only."""
        return int(self.name.rpartition("_")[2]) % 3 == 0


def _norm(word: str) -> str:
    return word.lower().replace("ё", "е").replace("’", "").replace("'", "")


def _surname_key(word: str) -> str:
    """Surnames are compared on their first five letters: an inflected form of a foreign surname
    ("Монтойе" for Монтойя, "Обамой") still matches its nominative."""
    return _norm(word)[:5]


def _name_keys(name: str) -> frozenset[str]:
    """Keys of every word of a predicted name but initials ("Р.В. Старовойт" -> {"старо"})."""
    words = re.findall(r"[^\W\d_]{2,}(?:-[^\W\d_]+)*", name.replace("’", "").replace("'", ""))
    return frozenset(_surname_key(w) for w in words)


def _noun_lemmas(span: str) -> frozenset[str]:
    from indexer.facts._morph import parses

    out = set()
    for word in re.findall(r"[^\W\d_]+(?:-[^\W\d_]+)*", span):
        for p in parses(word):
            if "NOUN" in p.tag:
                out.add(_norm(p.normal_form))
    return frozenset(out)


def _objects(path: Path) -> dict[str, str]:
    out = {}
    for line in path.read_text("utf-8").splitlines():
        parts = line.split()
        if len(parts) >= 2:
            out[parts[0]] = parts[1]
    return out


def _chains(path: Path) -> Iterator[tuple[list[str], dict[str, list[str]]]]:
    """(chain id + mention ids, attributes) of each coreference chain."""
    for block in path.read_text("utf-8").split("\n\n"):
        lines = [x for x in block.strip().splitlines() if x.strip()]
        if not lines:
            continue
        ids = lines[0].split()
        attrs: dict[str, list[str]] = {}
        for line in lines[1:]:
            key, _, value = line.partition(" ")
            attrs.setdefault(key, []).append(value.strip())
        yield ids, attrs


def _chain_keys(attrs: dict[str, list[str]], who: str) -> frozenset[str]:
    """Surname keys of a person chain: its ``lastname*`` values; without one, its other name
    words (``Усама бин Ладен``); without a chain, the fact's own ``Who`` text."""
    names = [v for k, vs in attrs.items() if k.startswith("lastname") for v in vs]
    if not names:
        names = [v for k, vs in attrs.items() if k[:5] in ("first", "patro", "nickn") for v in vs]
    words = [w for n in names or [who] for w in n.split()]
    return frozenset(_surname_key(w) for w in words if len(w) > 1)


def _gold_persons(stem: Path) -> tuple[GoldPerson, ...]:
    chains = {ids[0]: attrs for ids, attrs in _chains(Path(f"{stem}.coref"))}
    people: dict[str, tuple[frozenset[str], list[frozenset[str]], list[bool]]] = {}
    for block in Path(f"{stem}.facts").read_text("utf-8").split("\n\n"):
        if "Occupation" not in block:
            continue
        who = re.search(r"^Who obj(\d+) (.+)$", block, re.M)
        if who is None:
            continue
        keys, positions, required = people.setdefault(
            who.group(1), (_chain_keys(chains.get(who.group(1), {}), who.group(2)), [], [])
        )
        positions += [_noun_lemmas(m) for m in re.findall(r"^Position span\d+ (.+)$", block, re.M)]
        required.append(not re.search(r"^Сложность повышенная", block, re.M))
    return tuple(GoldPerson(k, tuple(p), any(r)) for k, p, r in people.values())


def load_factrueval() -> list[Text]:
    """The devset texts with gold persons-with-position and regions; raises if missing.

    Gold persons are the ``Who`` of the ``Occupation`` facts, resolved through the coreference
    layer to their chain (the ``Who`` text is one mention, sometimes a bare first name). As in the
    task's own evaluation (easy mode), facts marked ``Сложность повышенная`` are optional: a
    person only they give is neither a miss nor, when found, a false positive. A text with an
    empty ``.facts`` file has no gold persons (the task's evaluation reads it the same way).
    """
    from indexer.facts import find_regions

    books = sorted(FRE.glob("book_*.txt"))
    if not books:
        raise FileNotFoundError(f"factRuEval-2016 devset not found in {FRE}")
    out = []
    for txt in books:
        stem = txt.with_suffix("")
        kinds = _objects(Path(f"{stem}.objects"))
        regions: set[str] = set()
        for ids, attrs in _chains(Path(f"{stem}.coref")):
            if any(kinds.get(i) in ("Location", "LocOrg") for i in ids[1:]):
                for name in attrs.get("name", []):
                    regions.update(find_regions(name))
        out.append(Text(txt.stem, txt.read_text("utf-8"), _gold_persons(stem), frozenset(regions)))
    return out


def _f1(tp: int, found: int, gold: int) -> tuple[float, float, float]:
    p = tp / found if found else 1.0
    r = tp / gold if gold else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


@dataclass(frozen=True)
class Scores:
    names: tuple[float, float, float]
    roles: tuple[float, float, float]
    regions: tuple[float, float, float]


Prediction = tuple[set[tuple[str, str]], set[str]]  # ((name, role head) pairs, regions)


def match_persons(
    gold: tuple[GoldPerson, ...], found: set[tuple[str, str]]
) -> tuple[dict[int, set[str]], list[tuple[str, str]]]:
    """Predicted (name, role head) pairs grouped by the gold person they name (index -> role
    heads), and the predictions naming no gold person. A prediction names a gold person when a
    word of its name has one of the person's surname keys."""
    matched: dict[int, set[str]] = {}
    unmatched = []
    for name, head in sorted(found):
        keys = _name_keys(name)
        hits = [k for k, g in enumerate(gold) if keys & g.keys]
        if hits:
            matched.setdefault(hits[0], set()).add(head)
        else:
            unmatched.append((name, head))
    return matched, unmatched


def score(texts: list[Text], predict: object) -> Scores:
    """P/R/F1 of a predictor ``text -> ((name, role head) pairs, regions)``.

    Per text, each gold person counts once however many of its mentions are found. Name: a
    required gold person is found when some prediction names it. Name+role: the gold persons with
    a Position span, found when a prediction naming them has a role head among the span's nouns
    ("мэра Москвы" ~ "мэр"). Predictions naming an optional person (or, for name+role, a person
    without a Position) count neither way; predictions naming nobody are false positives."""
    n = [0, 0, 0]
    r = [0, 0, 0]
    g = [0, 0, 0]
    for t in texts:
        found, regions = predict(t.text)  # type: ignore[operator]
        matched, unmatched = match_persons(t.persons, found)
        for k, person in enumerate(t.persons):
            heads = matched.get(k)
            if person.required:
                n[2] += 1
                n[0] += heads is not None
                n[1] += heads is not None
            if person.required and person.positions:
                r[2] += 1
                if heads is not None:
                    r[1] += 1
                    r[0] += any(h in p for h in heads for p in person.positions)
        n[1] += len(unmatched)
        r[1] += len(unmatched)
        g[0] += len(regions & t.regions)
        g[1] += len(regions)
        g[2] += len(t.regions)
    return Scores(_f1(*n), _f1(*r), _f1(*g))


def print_misses(texts: list[Text]) -> None:
    """vestnik's missed gold persons (required ones) and false positives, text by text."""
    for t in texts:
        found, _ = vestnik_predict(t.text)
        matched, unmatched = match_persons(t.persons, found)
        for k, person in enumerate(t.persons):
            heads = matched.get(k)
            if not person.required:
                continue
            if heads is None:
                print(f"{t.name}\tMISS\t{sorted(person.keys)}")
            elif person.positions and not any(h in p for h in heads for p in person.positions):
                print(f"{t.name}\tROLE\t{sorted(person.keys)}\t{sorted(heads)}")
        for name, head in unmatched:
            print(f"{t.name}\tFALSE\t{name}\t{head}")


def _head_lemma(role: str) -> str:
    from indexer.facts._morph import parses
    from indexer.facts._person_lexicon import MODIFIERS

    for word in role.split():
        lemmas = {_norm(p.normal_form) for p in parses(word) if "NOUN" in p.tag}
        if lemmas and not lemmas & MODIFIERS:
            return sorted(lemmas)[0]
    return _norm(role.split()[0]) if role else ""


def vestnik_predict(text: str) -> Prediction:
    from indexer.facts import extract_facts

    result = extract_facts("", text)
    return {(p.name, _head_lemma(p.role)) for p in result.persons}, set(result.regions)


def natasha_predictor() -> object:
    """Natasha 1.6 NER: PER spans preceded by a role noun of vestnik's lexicon, LOC spans."""
    from natasha import Doc, MorphVocab, NewsEmbedding, NewsMorphTagger, NewsNERTagger, Segmenter

    from indexer.facts import find_regions
    from indexer.facts._person_lexicon import ROLE_HEADS

    segmenter, vocab = Segmenter(), MorphVocab()
    emb = NewsEmbedding()
    ner, morph = NewsNERTagger(emb), NewsMorphTagger(emb)

    def predict(text: str) -> Prediction:
        doc = Doc(text)
        doc.segment(segmenter)
        doc.tag_morph(morph)
        doc.tag_ner(ner)
        for token in doc.tokens:
            token.lemmatize(vocab)
        starts = {t.start: k for k, t in enumerate(doc.tokens)}
        roles: set[tuple[str, str]] = set()
        regions: set[str] = set()
        for span in doc.spans:
            span.normalize(vocab)
            if span.type == "LOC":
                regions.update(find_regions(span.normal))
            if span.type != "PER":
                continue
            k = starts.get(span.start, 0)
            for j in range(k - 1, max(k - 6, -1), -1):
                lemma = _norm(doc.tokens[j].lemma or "")
                if lemma in ROLE_HEADS:
                    roles.add((span.normal, lemma))
                    break
                if doc.tokens[j].text in ".!?;":
                    break
        return roles, regions

    return predict


def written_sets() -> list[str]:
    from tests._facts_sets import DEV, HELDOUT, evaluate, format_table, load_docs

    out = []
    for name, folder in (("development set (tuned on)", DEV), ("held-out set", HELDOUT)):
        docs = load_docs(folder)
        scores, _ = evaluate(docs)
        facts = sum(len(d["facts"]) for d in docs)
        out += [
            "```",
            format_table(f"{name}: {len(docs)} texts, {facts} gold facts", scores),
            "```",
        ]
    return out


def throughput(n: int) -> tuple[float, float, int]:
    """(wall docs/s, CPU docs/s, facts) of ``extract_facts`` on ``n`` generated documents."""
    from bench_index import generate

    from indexer.facts import extract_facts

    docs = list(generate(n))
    for d in docs[:200]:
        extract_facts(d["title"], d["body"])  # warm-up: the analyzer and its caches
    start, cpu = time.perf_counter(), time.process_time()
    facts = sum(len(extract_facts(d["title"], d["body"]).facts) for d in docs)
    return n / (time.perf_counter() - start), n / (time.process_time() - cpu), facts


def _row(name: str, s: Scores) -> str:
    cells = [f"{x[0]:.3f} / {x[1]:.3f} / **{x[2]:.3f}**" for x in (s.names, s.roles, s.regions)]
    return f"| {name} | " + " | ".join(cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--docs", type=int, default=20_000, help="generated documents for docs/s")
    parser.add_argument("--no-natasha", action="store_true", help="skip the Natasha peer")
    parser.add_argument("--misses", action="store_true", help="print development-part misses")
    args = parser.parse_args()
    texts = load_factrueval()
    if args.misses:
        print_misses([t for t in texts if not t.heldout])
        return 0
    dev = [t for t in texts if not t.heldout]
    held = [t for t in texts if t.heldout]
    t0 = time.perf_counter()
    ours = score(texts, vestnik_predict)
    ours_s = time.perf_counter() - t0
    ours_dev, ours_held = score(dev, vestnik_predict), score(held, vestnik_predict)
    lines = [
        "# Facts benchmark",
        "",
        f"{time.strftime('%Y-%m-%d')}, load {os.getloadavg()[0]:.2f} at start; "
        f"`.venv/bin/python bench/bench_facts.py --docs {args.docs}`.",
        "",
        f"## factRuEval-2016 devset ({len(texts)} texts, "
        f"{sum(p.required for t in texts for p in t.persons)} persons with an occupation "
        f"({sum(p.required and bool(p.positions) for t in texts for p in t.persons)} with a "
        f"position), {sum(len(t.regions) for t in texts)} (text, region) pairs)",
        "",
        "| extractor | persons: name P / R / F1 | persons: name+role P / R / F1 | regions P / R / F1 |",
        "| --- | --- | --- | --- |",
        _row(f"vestnik, all 122 texts ({ours_s:.1f} s)", ours),
        _row(f"vestnik, development part ({len(dev)} texts, tuned on)", ours_dev),
        _row(f"vestnik, held-out part ({len(held)} texts, book_N, N divisible by 3)", ours_held),
    ]
    if not args.no_natasha:
        predict = natasha_predictor()
        t0 = time.perf_counter()
        peer = score(texts, predict)
        lines.append(_row(f"Natasha 1.6 + role lexicon ({time.perf_counter() - t0:.1f} s)", peer))
        lines.append(_row("Natasha 1.6, development part", score(dev, predict)))
        lines.append(_row("Natasha 1.6, held-out part", score(held, predict)))
    lines += ["", "## Written press-release sets", "", *written_sets()]
    rate, cpu_rate, facts = throughput(args.docs)
    lines += [
        "",
        "## Throughput",
        "",
        f"`extract_facts` on {args.docs:,} generated documents, one process: **{rate:.0f} docs/s** "
        f"wall clock, {cpu_rate:.0f} docs/s of process CPU time ({facts:,} facts; load "
        f"{os.getloadavg()[0]:.2f} at the end: on a shared machine the CPU figure is the steadier one).",
    ]
    text = "\n".join(lines) + "\n"
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(text, "utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
