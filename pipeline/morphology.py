"""Russian morphology: one pymorphy3 analyser per process, loaded the first time something needs it."""

from __future__ import annotations

from functools import cache


@cache
def analyzer():
    """The pymorphy3 MorphAnalyzer with its Russian dictionaries (about 0.1 s to load, then shared)."""
    import pymorphy3

    return pymorphy3.MorphAnalyzer(lang="ru")
