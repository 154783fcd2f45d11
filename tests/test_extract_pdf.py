"""The rules of the PDF extract stage, one by one: markers, hyphens, furniture keys, columns, PDF detection."""

from __future__ import annotations

import re
from pathlib import Path

from pipeline.stages.extract import is_pdf
from pipeline.stages.pdf import body_text
from pipeline.stages.pdf.furniture import furniture_key, without_footnotes
from pipeline.stages.pdf.hyphenation import Hyphens
from pipeline.stages.pdf.order import gutter_between_columns
from pipeline.stages.pdf.read import Pages
from pipeline.stages.pdf.reflow import opens_with_marker
from pipeline.stages.pdf.segments import Segment


def segment(text: str, x0: float = 72.0, x1: float = 523.0, first_gap: float | None = None,
            gaps: tuple[float, float] | None = None, size: float = 10.0, top: float = 100.0) -> Segment:
    low, high = gaps if gaps else (None, None)
    first = text.split(" ")[0]
    return Segment(1, 0, top, top + size, size, False, len(text), text, x0, x1, len(first) * size / 2,
                   first_gap, low, high)


def test_number_set_off_by_a_tab_opens_a_paragraph_on_a_ragged_line():
    assert opens_with_marker(segment("12. Государствам-участникам следует", first_gap=14.0, gaps=(2.4, 2.5)))


def test_number_set_off_by_a_tab_opens_a_paragraph_even_on_a_sparse_justified_line():
    # Justification widened every space to 13.1 pt; the tab after "13." is 14.5 pt: still the odd one out.
    assert opens_with_marker(segment("13. Государствам-участникам следует во", first_gap=14.5, gaps=(13.0, 13.1)))


def test_number_followed_by_an_ordinary_justified_space_is_text_not_a_marker():
    assert not opens_with_marker(segment("5. статьи 16 Протокола", first_gap=9.0, gaps=(9.0, 9.0)))


def test_lettered_and_roman_markers_are_recognised_and_words_are_not():
    assert opens_with_marker(segment("a) незаконный ввоз", first_gap=12.0, gaps=(2.4, 2.4)))
    assert opens_with_marker(segment("е) меры уголовного", first_gap=12.0, gaps=(2.4, 2.4)))  # Cyrillic е
    assert opens_with_marker(segment("IV. Четвертое совещание", first_gap=20.0, gaps=(2.4, 2.4)))
    assert not opens_with_marker(segment("Вена, 11–13 сентября", first_gap=20.0, gaps=(2.4, 2.4)))


def test_narrow_gap_after_a_number_is_not_a_tab():
    assert not opens_with_marker(segment("12. мигрантов", first_gap=3.0))


def test_a_line_that_ends_without_a_hyphen_between_letters_joins_the_next_with_a_space():
    hyphens = Hyphens()
    assert hyphens.join("в 2012–", "2018 годах") == "в 2012– 2018 годах"  # en dash and digits: not a broken word
    assert hyphens.join("Рабочей группы —", "в том числе") == "Рабочей группы — в том числе"
    assert hyphens.join("пункты 1-", "5") == "пункты 1- 5"
    assert (hyphens.joined, hyphens.kept, hyphens.unsure) == (0, 0, 0)


def test_furniture_key_makes_page_numbers_and_job_numbers_alike_across_pages():
    assert furniture_key("2/14") == furniture_key("13/14") == "#/#"
    assert furniture_key("V.19-05432") == "V.#-#"
    assert furniture_key("CTOC/COP/WG.7/2019/3") == furniture_key("CTOC/COP/WG.7/2019/2")


def test_gutter_is_found_between_a_masthead_and_a_distribution_block():
    masthead = [segment("Конференция участников", 72, 230, top=100), segment("Конвенции Организации", 72, 220, top=115)]
    distribution = [segment("Distr.: General", 352, 430, top=100), segment("21 June 2019", 352, 410, top=112)]
    gutter = gutter_between_columns(masthead + distribution, 10.0)
    assert gutter is not None and 230 < gutter < 352


def test_no_gutter_between_paragraph_numbers_and_their_text():
    rows = [segment("12.", 72, 86, top=100), segment("Государствам-участникам следует", 100, 523, top=100),
            segment("продолжать пересматривать", 100, 523, top=112)]
    assert gutter_between_columns(rows, 10.0) is None


def test_pdf_is_recognised_by_its_header_not_its_name():
    assert is_pdf(b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n")
    assert is_pdf(b"\n %PDF-1.4\n")
    assert not is_pdf("I. Первое совещание\n%PDF-1.4".encode())
    assert not is_pdf(b"")


def test_masthead_and_distribution_block_side_by_side_are_read_column_by_column(pdf_build):
    text = (pdf_build.out / f"{pdf_build.rendered.path.stem}.txt").read_text(encoding="utf-8")
    assert text.startswith(
        "**Конференция участников\nКонвенции Организации\nОбъединенных Наций\nпротив транснациональной\n"
        "организованной преступности**\n\nDistr.: General\n21 June 2019\nRussian\nOriginal: English\n\n"
    )


def page_lines(*specs) -> list[Segment]:
    """Segments from (page, text, x0, x1, top[, options]); options: size, bold, tab (gap after a marker), space."""
    segments, rows = [], {}
    for page, text, x0, x1, top, *options in specs:
        options = options[0] if options else {}
        size, space = options.get("size", 10.0), options.get("space", 2.5)
        words = text.split(" ")
        marker = bool(re.match(r"^(\d+\.|\w\))$", words[0]))
        first_gap = (options.get("tab", 14.0) if marker else space) if len(words) > 1 else None
        gaps = (space, space) if len(words) > 2 else (None, None)
        row = rows[page] = rows.get(page, -1) + 1
        segments.append(Segment(page, row, top, top + size, size, options.get("bold", False), len(text), text,
                                x0, x1, len(words[0]) * size / 2, first_gap, *gaps))
    return segments


def reflow(*specs, pages: int = 2) -> list[tuple[str, int]]:
    return body_text(Pages(page_lines(*specs), {}, pages), Hyphens())


def test_reflow_joins_wrapped_lines_and_keeps_a_compound_words_hyphen_but_drops_a_soft_one():
    lines = reflow(
        (1, "1. Первая строка абзаца доходит до правого", 72, 500, 100),
        (1, "края и перено\u00ad", 100, 500, 112),
        (1, "сится дальше, Государствам-", 100, 500, 124),
        (1, "участникам короткая.", 100, 300, 136),
    )
    assert lines == [("1. Первая строка абзаца доходит до правого края и переносится дальше, "
                      "Государствам-участникам короткая.", 1)]


def test_reflow_starts_a_new_line_after_a_short_line_or_at_a_tab_set_marker():
    lines = reflow(
        (1, "1. Короткий абзац.", 72, 200, 100),
        (1, "2. Абзац, чья последняя строка кончается у края", 72, 500, 112),
        (1, "3. Следующий абзац", 72, 260, 124),
    )
    assert [text for text, _ in lines] == ["1. Короткий абзац.", "2. Абзац, чья последняя строка кончается у края",
                                           "3. Следующий абзац"]


def test_reflow_joins_a_paragraph_across_a_page_break_and_keeps_the_page_where_it_starts():
    lines = reflow(
        (1, "1. Начало", 72, 150, 88),
        (1, "5. Абзац в конце страницы идет до самого края и", 72, 500, 100),
        (1, "дальше до края строки в самом низу страницы", 100, 500, 112),
        (2, "продолжается на следующей странице.", 100, 320, 72),
        (2, "6. Новый абзац.", 72, 200, 84),
    )
    texts = [(text, page) for text, page in lines if text]
    assert texts[1] == ("5. Абзац в конце страницы идет до самого края и дальше до края строки в самом низу "
                        "страницы продолжается на следующей странице.", 1)
    assert texts[2] == ("6. Новый абзац.", 2)


def test_reflow_starts_a_paragraph_at_a_line_that_leaves_the_text_column_even_when_spacing_hides_the_tab():
    # "54." sits in the margin column; its tab happens to be as wide as the justified spaces, and the line before
    # ends so near the margin that "54." would not have fitted: only the alignment tells.
    lines = reflow(
        (1, "53. Государства-участники могут рассмотреть", 60, 535, 76),
        (1, "вопрос о создании центров по борьбе с ввозом", 90, 535, 91),
        (1, "в других государствах-участниках.", 90, 530, 106),
        (1, "54. Государства-участники, возможно, пожелают", 60, 535, 121, {"tab": 13.9, "space": 14.0}),
        (1, "определить приоритеты будущей деятельности", 90, 535, 136),
        (1, "Рабочей группы.", 90, 200, 151),
        pages=1,
    )
    assert [text for text, _ in lines] == [
        "53. Государства-участники могут рассмотреть вопрос о создании центров по борьбе с ввозом в других "
        "государствах-участниках.",
        "54. Государства-участники, возможно, пожелают определить приоритеты будущей деятельности Рабочей группы.",
    ]


def test_reflow_separates_blocks_by_a_blank_line_and_marks_large_bold_blocks():
    lines = reflow(
        (1, "Рабочая группа", 72, 200, 100, {"size": 12.0, "bold": True}),
        (1, "по незаконному ввозу", 72, 230, 114, {"size": 12.0, "bold": True}),
        (1, "Вена, 11–13 сентября 2019 года", 72, 250, 140),
        (1, "Пункт 4 предварительной повестки дня", 72, 300, 160),
        (1, "Прочие вопросы", 72, 200, 172, {"bold": True}),
        (1, "I. Первое совещание", 72, 260, 200, {"bold": True}),
        (1, "1. Текст первого абзаца, который занимает строку", 72, 500, 220),
        (1, "и еще одну, тоже до самого правого края полосы", 100, 500, 232),
        (1, "и третью, тоже до самого правого края полосы", 100, 500, 244),
        (1, "и последнюю.", 100, 180, 256),
        pages=1,
    )
    assert [text for text, _ in lines] == [
        "**Рабочая группа", "по незаконному ввозу**", "", "Вена, 11–13 сентября 2019 года", "",
        "Пункт 4 предварительной повестки дня", "", "Прочие вопросы", "", "I. Первое совещание", "",
        "1. Текст первого абзаца, который занимает строку и еще одну, тоже до самого правого края полосы "
        "и третью, тоже до самого правого края полосы и последнюю.",
    ]


def test_what_stands_under_a_short_rule_below_the_body_is_a_footnote_whatever_its_size():
    items = page_lines(
        (1, "1. Текст абзаца, который идет до самого правого края", 72, 523, 100),
        (1, "и кончается.", 100, 200, 112),
        (1, "* Сноска, набранная почти как текст", 72, 300, 760, {"size": 9.6}),
    )
    kept = without_footnotes(items, [(72, 144, 750)], 10.0)
    assert [s.text for s in kept] == [s.text for s in items[:2]]
    assert without_footnotes(items, [(72, 523, 750)], 10.0) == items  # a full-width rule is no footnote rule
    assert without_footnotes(items, [(300, 372, 750)], 10.0) == items  # nor one that is not at the text's left


def test_only_the_pdf_part_of_the_extract_stage_imports_pdfplumber_or_pdfminer():
    root = Path(__file__).resolve().parents[1] / "pipeline"
    importing = {path.relative_to(root).as_posix() for path in root.rglob("*.py")
                 if re.search(r"^\s*(?:import|from)\s+(?:pdfplumber|pdfminer)\b", path.read_text(encoding="utf-8"),
                              re.M)}
    assert importing and all(path.startswith("stages/pdf/") for path in importing), importing



def test_reflow_judges_a_line_against_its_own_right_indented_column_not_the_page_margin():
    # The front matter runs to the margin (523); the numbered paragraphs stop 1 cm short of it (495). A paragraph
    # line that ends at 489, before a two-letter word, was full in its column: the word would not have fitted.
    front = [(1, f"Строка вводной части номер {n} доходит до самого поля", 72, 523, 100 + 12 * n) for n in range(5)]
    body = [
        (1, "1. Первый абзац с отступом справа доходит до своего", 72, 495, 200),
        (1, "края и продолжается строкой, которая тоже доходит", 100, 495, 212),
        (1, "до края своей колонки, а затем еще одной такой же", 100, 495, 224),
        (1, "строкой, пока абзац не кончается на короткой строке", 100, 489, 236),
        (1, "от края.", 100, 160, 248),
        (1, "2. Второй абзац с отступом справа доходит до своего", 72, 495, 260),
        (1, "края, как и его вторая строка, и кончается третьей,", 100, 495, 272),
        (1, "короткой.", 100, 200, 284),
    ]
    lines = [text for text, _ in reflow(*front, *body, pages=1) if text]
    assert lines[-2:] == [
        "1. Первый абзац с отступом справа доходит до своего края и продолжается строкой, которая тоже доходит до "
        "края своей колонки, а затем еще одной такой же строкой, пока абзац не кончается на короткой строке от края.",
        "2. Второй абзац с отступом справа доходит до своего края, как и его вторая строка, и кончается третьей, "
        "короткой.",
    ]


def test_reflow_takes_a_line_end_hyphen_before_a_lower_case_line_as_a_break_whatever_the_lines_length():
    hyphens = Hyphens()
    margin = [(1, f"Строка вводной части номер {n} доходит до самого поля", 72, 523, 20 + 12 * n) for n in range(5)]
    lines = body_text(Pages(page_lines(
        *margin,
        (1, "1. Государствам-участникам следует при-", 72, 300, 100),  # far from any edge: not full
        (1, "знать это и многое другое.", 100, 260, 112),
        (1, "2. Следующий абзац кончается дефисом Рабочей-", 72, 330, 124),
        (1, "Группы не продолжают: заглавная буква.", 100, 300, 136),
    ), {}, 1), hyphens)
    assert [text for text, _ in lines][2:] == [
        "1. Государствам-участникам следует признать это и многое другое.",
        "2. Следующий абзац кончается дефисом Рабочей-", "Группы не продолжают: заглавная буква."]
    assert hyphens.summary() == ("line-end hyphens: 2 seen, 1 joined, 0 kept in compounds, 0 kept undecided, "
                                 "1 left at a line end")
