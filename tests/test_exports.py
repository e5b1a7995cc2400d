"""Each package's public surface: ``__all__`` sorted and equal to the public names it defines."""

from __future__ import annotations

import importlib
import logging
import types

import pytest

PACKAGES = [
    "core",
    "core.enums",
    "core.errors",
    "core.records",
    "core.settings",
    "corpus",
    "crawler",
    "indexer",
    "indexer.facts",
    "search_ui",
    "ops",
]


def _defined_here(name: str, value: object) -> bool:
    if isinstance(value, types.ModuleType | logging.Logger):
        return False
    if isinstance(value, str | int | float | tuple | list | dict | frozenset):
        return True  # a constant
    origin = getattr(value, "__module__", None)
    if origin is None:
        return False
    if name == "core":  # the base layer re-exports its public modules
        return origin.startswith("core.")
    return bool(origin == name or origin.startswith(f"{name}._"))


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_complete(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(getattr(module, "__all__", []))
    for n in exported:  # a package may load its names lazily (PEP 562): load them all first
        getattr(module, n)
    # isort-style, as ruff's RUF022 keeps it: CONSTANTS, then Classes, then functions
    assert exported == sorted(exported, key=lambda n: (not n.isupper(), not n[0].isupper(), n))
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_") and n != "annotations" and _defined_here(name, v)
    }
    assert set(exported) == public
