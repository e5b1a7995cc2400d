"""Each package's public surface: ``__all__`` sorted and equal to the public names it defines."""

from __future__ import annotations

import importlib
import types

import pytest

PACKAGES = ["corpus", "crawler", "indexer", "search_ui", "vestnik.errors", "vestnik.operations"]


@pytest.mark.parametrize("name", PACKAGES)
def test_all_is_sorted_and_complete(name: str) -> None:
    module = importlib.import_module(name)
    exported = list(getattr(module, "__all__", []))
    assert exported == sorted(exported)
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_") and not isinstance(v, types.ModuleType) and n != "annotations"
    }
    if name.startswith("vestnik."):
        public = {
            n for n in public if getattr(vars(module)[n], "__module__", name).startswith("vestnik")
        }
    assert set(exported) == public
