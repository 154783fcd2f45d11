"""Line-end hyphens: a word broken between syllables is joined, a compound broken at its own hyphen keeps it."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from pipeline.stages.pdf.hyphenation import JOIN, KEEP, UNSURE, Hyphens, decide


@pytest.mark.parametrize("first, second, decision", [
    ("каче", "стве", JOIN),  # the joined form is a dictionary word
    ("Управле", "ние", JOIN),
    ("транс", "региональных", JOIN),  # a known prefix before a dictionary word
    ("мигра", "нтов", JOIN),  # neither fragment is a word
    ("государств", "участников", KEEP),  # both fragments are words, the joined form is none
    ("социально", "экономического", KEEP),  # the hyphenated form is a dictionary word
    ("северо", "западный", KEEP),
    ("Нью", "Йорк", KEEP),  # a capitalised second part
    ("сток", "хольмский", UNSURE),  # one fragment a word, the other not, the joined form unknown
    ("Dial", "Doc", UNSURE),  # not Russian: the dictionary cannot tell
])
def test_the_dictionary_decides_each_line_end_hyphen(first, second, decision):
    assert decide(first, second) == decision


def test_lines_are_joined_as_decided_and_each_decision_is_counted():
    hyphens = Hyphens()
    assert hyphens.join("признать в каче-", "стве уголовно") == "признать в качестве уголовно"
    assert hyphens.join("Государствам-", "участникам следует") == "Государствам-участникам следует"
    assert hyphens.join("государств-уча-", "стников, а также") == "государств-участников, а также"
    assert hyphens.join("система Dial-", "Doc для", page=7) == "система Dial-Doc для"
    assert hyphens.join("перено\u00ad", "сится") == "переносится"  # a soft hyphen is always dropped
    assert hyphens.join("пункты 1-", "5") == "пункты 1- 5"  # after a digit: no word broken, no hyphen counted
    assert hyphens.join("Государств-", "2018 года") == "Государств- 2018 года"  # no word after it: left
    hyphens.ended("последняя строка абзаца-")
    hyphens.ended("последняя строка абзаца.")
    assert (hyphens.joined, hyphens.kept, hyphens.unsure, hyphens.left) == (2, 1, 1, 2)
    assert hyphens.summary() == ("line-end hyphens: 6 seen, 2 joined, 1 kept in compounds, 1 kept undecided, "
                                 "2 left at a line end")


def test_a_kept_hyphen_the_dictionary_cannot_explain_is_a_warning_naming_the_page_and_the_word():
    hyphens = Hyphens()
    hyphens.join("система Dial-", "Doc для", page=7)
    hyphens.join("признать в каче-", "стве уголовно", page=8)
    assert hyphens.warnings("doc.pdf") == [
        "doc.pdf: page 7: Dial-Doc: kept the line-end hyphen, which the dictionary can neither join nor explain as "
        "a compound; check the word"]


ROOT = Path(__file__).resolve().parents[1]
LOADED = """
import sys
from pathlib import Path
from pipeline.morphology import analyzer
from pipeline.stages.pdf import extract_pdf
path = Path(sys.argv[1])
extract_pdf(path, path.read_bytes())
print("pymorphy3" in sys.modules, analyzer.cache_info().misses)
"""


def loads_analyzer(pdf) -> str:
    return subprocess.run([sys.executable, "-c", LOADED, str(pdf)], capture_output=True, text=True, check=True,
                          cwd=ROOT).stdout.strip()


@pytest.mark.slow
def test_the_dictionary_is_loaded_once_and_only_for_a_pdf_with_line_end_hyphens(fixture_pdfs):
    assert fixture_pdfs["un-a4-10pt"].hyphen_breaks == fixture_pdfs["un-a4-10pt"].syllable_breaks == 0
    assert loads_analyzer(fixture_pdfs["un-a4-10pt"].path) == "False 0"
    assert fixture_pdfs["pt-hyphenated-10pt"].syllable_breaks > 0
    assert loads_analyzer(fixture_pdfs["pt-hyphenated-10pt"].path) == "True 1"


def test_every_break_the_typesetters_patterns_allow_in_the_document_is_resolved_right(raw_text):
    import pyphen

    patterns = pyphen.Pyphen(lang="ru_RU")
    words = {word.strip(".,;:()«»\"*") for word in raw_text.split()}
    syllable_breaks = [(part[:i], part[i:]) for word in words for part in word.split("-")
                       if re.fullmatch(r"[а-яёА-ЯЁ]+", part) for i in patterns.positions(part)]
    compounds = [tuple(word.split("-")[i:i + 2]) for word in words if re.fullmatch(r"\w+(-\w+)+", word)
                 for i in range(word.count("-"))]
    assert len(syllable_breaks) > 1000 and len(compounds) > 10
    assert [pair for pair in syllable_breaks if decide(*pair) != JOIN] == []
    assert [pair for pair in compounds if decide(*pair) == JOIN] == []
