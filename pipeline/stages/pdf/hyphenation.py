"""Extract stage, PDF part: a word broken at a line end, joined with or without its hyphen as the dictionary says.

A line that ends in a hyphen after a letter, before a line that starts with a letter, holds either a word broken
between syllables («каче-» + «стве») or a compound broken at its own hyphen («государств-» + «участников»). The
fragments on either side (the letters after the line's last hyphen, those before the next line's first one) decide,
looked up in pymorphy3's dictionary of Russian, in this order:

1. the hyphenated form is a dictionary word («социально-экономического»): keep the hyphen;
2. the joined form is a dictionary word, or one after a known prefix («транс» + «региональных»): join;
3. the second fragment is capitalised and the first is not all capitals (names: «Абу-Даби»): keep;
4. both fragments are dictionary words («государств», «участников»): keep;
5. neither fragment is a word, or the joined form is a dictionary word after some other prefix, or the first
   fragment can only be a particle, preposition or conjunction, which never begins a compound: join;
6. otherwise, or when the forms of rule 1 and 2 are both words, or a fragment is not Cyrillic, the dictionary cannot
   tell: keep the hyphen and count the case.

The analyser is loaded the first time a PDF has a line-end hyphen, and each word form is looked up once.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

from pipeline.morphology import analyzer

HYPHENS = "-\u2010"  # hyphen-minus and hyphen
SOFT_HYPHEN = "\u00ad"
LINE_END = re.compile(rf"(?P<word>[^\W\d_]+)[{HYPHENS}]$")
LINE_START = re.compile(r"^(?P<word>[^\W\d_]+)")
CYRILLIC = re.compile(r"^[а-яё]+$", re.I)
FUNCTION_WORDS = {"PREP", "CONJ", "PRCL", "INTJ"}
JOIN, KEEP, UNSURE = "join", "keep", "unsure"


@dataclass
class Hyphens:
    """Joins lines across line-end hyphens and counts every line-end hyphen and what became of it."""

    joined: int = 0  # words broken between syllables, joined without the hyphen
    kept: int = 0  # compounds broken at their own hyphen, joined with it
    unsure: int = 0  # cases the dictionary could not tell, joined with the hyphen
    left: int = 0  # hyphens after a letter at the end of a line that no line continues (or not with a word)
    doubts: list[str] = field(default_factory=list)  # the undecided cases, as "page N: word"

    @property
    def seen(self) -> int:
        return self.joined + self.kept + self.unsure + self.left

    def join(self, text: str, following: str, page: int | None = None) -> str:
        """`text` continued by the next line `following`: with one space, or across a line-end hyphen."""
        if text.endswith(SOFT_HYPHEN):
            return text[:-1] + following
        end = ends_in_hyphen(text)
        start = LINE_START.match(following)
        if not end or not start:
            if end:
                self.left += 1
            return text + " " + following
        decision = decide(end["word"], start["word"])
        if decision == JOIN:
            self.joined += 1
            return text[:-1] + following
        if decision == KEEP:
            self.kept += 1
        else:
            self.unsure += 1
            word = end["word"] + text[-1] + start["word"]
            self.doubts.append(f"page {page}: {word}" if page is not None else word)
        return text + following

    def ended(self, text: str) -> None:
        """A line that no line continues: count its line-end hyphen, if it has one."""
        if ends_in_hyphen(text):
            self.left += 1

    def summary(self) -> str:
        return (f"line-end hyphens: {self.seen} seen, {self.joined} joined, {self.kept} kept in compounds, "
                f"{self.unsure} kept undecided, {self.left} left at a line end")

    def warnings(self, path) -> list[str]:
        """One warning per hyphen the dictionary could not explain, naming the page and the word."""
        return [f"{path}: {doubt}: kept the line-end hyphen, which the dictionary can neither join nor explain "
                f"as a compound; check the word" for doubt in self.doubts]


def ends_in_hyphen(text: str) -> re.Match | None:
    """The word before a hyphen that ends `text` after a letter («каче-»), or None."""
    return LINE_END.search(text[-64:]) if text[-1:] in HYPHENS else None


def decide(first: str, second: str) -> str:
    """JOIN, KEEP or UNSURE for a line ending in `first` + hyphen before a line starting with `second`."""
    if not (CYRILLIC.match(first) and CYRILLIC.match(second)):
        return UNSURE
    joined = first + second
    if is_word(f"{first}-{second}"):
        return UNSURE if is_word(joined) else KEEP
    if is_word(joined):
        return JOIN
    prefix = prefixed(joined)
    if prefix == "known":
        return JOIN
    if second[0].isupper() and not first.isupper():
        return KEEP
    first_word, second_word = is_word(first), is_word(second)
    if first_word and second_word:
        return KEEP
    if not (first_word or second_word) or prefix == "other" or (first_word and function_word(first)):
        return JOIN
    return UNSURE


@lru_cache(maxsize=65536)
def is_word(form: str) -> bool:
    """The form is in the dictionary (a quick lookup)."""
    return analyzer().word_is_known(form.lower())


@lru_cache(maxsize=16384)
def prefixed(form: str) -> str | None:
    """"known" when the dictionary reads the form as a known prefix before a dictionary word («транс» +
    «региональных»), "other" when as some other prefix before one, else None (a slower, full analysis)."""
    found = None
    for parse in analyzer().parse(form.lower()):
        methods = [type(step[0]).__name__ for step in parse.methods_stack]
        if methods == ["DictionaryAnalyzer", "KnownPrefixAnalyzer"]:
            return "known"
        if methods == ["DictionaryAnalyzer", "UnknownPrefixAnalyzer"]:
            found = "other"
    return found


@lru_cache(maxsize=4096)
def function_word(form: str) -> bool:
    """Every dictionary reading of the form is a particle, preposition, conjunction or interjection."""
    parses = [p for p in analyzer().parse(form.lower()) if len(p.methods_stack) == 1
              and type(p.methods_stack[0][0]).__name__ == "DictionaryAnalyzer"]
    return bool(parses) and all(p.tag.POS in FUNCTION_WORDS for p in parses)
