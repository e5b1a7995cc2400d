"""Facts on the written press-release sets: development (tuned on) and held-out (never tuned on).

Bars: the held-out set precision >= 0.9 and recall >= 0.85 per fact type (issue 10); the
development set is held to the same bars. A missing set fails (``load_docs`` raises), never skips.
"""

from __future__ import annotations

import pytest

from tests._facts_sets import DEV, HELDOUT, evaluate, format_table, load_docs

MIN_PRECISION = 0.9
MIN_RECALL = 0.85


@pytest.mark.parametrize("name", ["development", "held-out"])
def test_written_set_per_type(name: str) -> None:
    docs = load_docs(DEV if name == "development" else HELDOUT)
    scores, lines = evaluate(docs)
    print("\n" + format_table(f"{name}: {len(docs)} texts", scores))
    low = [k for k, s in scores.items() if s.precision < MIN_PRECISION or s.recall < MIN_RECALL]
    if low and name == "development":
        print("\n".join(lines))
    assert low == []


def test_sets_are_big_enough_and_apart() -> None:
    dev, held = load_docs(DEV), load_docs(HELDOUT)
    assert len(dev) + len(held) >= 40
    assert sum(len(d["facts"]) for d in dev + held) >= 150
    assert 0.25 <= len(held) / (len(dev) + len(held)) <= 0.4
    assert not {d["body"] for d in dev} & {d["body"] for d in held}
