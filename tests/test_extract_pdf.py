"""The rules of the PDF extract stage, one by one: markers, hyphens, furniture keys, columns, PDF detection."""

from __future__ import annotations

from pipeline.extract import is_pdf
from pipeline.extract_pdf import Segment, furniture_key, gutter_between_columns, hyphenated, opens_with_marker


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


def test_line_ending_in_a_compound_words_hyphen_joins_the_next_without_a_space():
    assert hyphenated("следует поощрять Государствам-", "участникам")
    assert not hyphenated("в 2012–", "2018 годах")  # en dash and digits: not a broken compound word
    assert not hyphenated("Рабочей группы —", "в том числе")
    assert not hyphenated("пункты 1-", "5")


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
