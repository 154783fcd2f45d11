"""One way to count the units, said the same everywhere: the browse page, the spreadsheet, the data card, the docs.

A unit is a row of recommendations: a numbered paragraph or a lettered subparagraph. A chapeau is a paragraph that
introduces subparagraphs; its requests are made by them, so counts of recommendations by addressee or wording leave
chapeaus out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable


def units_sentence(kinds: Iterable[str]) -> str:
    """"174 units: 149 paragraphs (4 of them chapeaus that introduce 25 subparagraphs) and 25 subparagraphs"."""
    found = Counter(kinds)
    subparagraphs = found["subparagraph"]
    paragraphs = found["paragraph"] + found["chapeau"]
    total = sum(found.values())
    chapeaus = ""
    if found["chapeau"]:
        which = "a chapeau that introduces" if found["chapeau"] == 1 else "chapeaus that introduce"
        chapeaus = f" ({found['chapeau']} of them {which} {subparagraphs} {_plural(subparagraphs, 'subparagraph')})"
    return (f"{total} {_plural(total, 'unit')}: {paragraphs} {_plural(paragraphs, 'paragraph')}{chapeaus} and "
            f"{subparagraphs} {_plural(subparagraphs, 'subparagraph')}")


def counted_sentence(kinds: Iterable[str]) -> str:
    """"170 recommendations (the 4 chapeaus left out: their subparagraphs make their requests)"."""
    found = Counter(kinds)
    counted = sum(n for kind, n in found.items() if kind != "chapeau")
    return (f"{counted} {_plural(counted, 'recommendation')} (the {found['chapeau']} "
            f"{_plural(found['chapeau'], 'chapeau')} left out: their subparagraphs make their requests)")


def _plural(count: int, word: str) -> str:
    return word if count == 1 else word + "s"
