"""Meeting headings of Russian UN documents: Roman numeral, ordinal name, place and dates, read by one grammar.

`parse_heading` takes the text of a heading line as the parser sees it (any Markdown decoration already removed)
and returns a `Heading` or raises `HeadingError` with a message that says what was expected and what was found.
The accepted forms:

    I. Первое совещание, Вена, 30 мая — 1 июня 2012 года
    VI. Шестое совещание (Вена, 4 и 5 июля 2019 г.)

with the dates as one day («4 июля 2018 года»), two days joined by «и» («4 и 5 июля 2018 года»), or a range joined
by an en dash, em dash or hyphen with or without spaces («11–13 ноября 2013 года», «30 мая — 1 июня 2012 года»,
«30 декабря 2018 года — 2 января 2019 года», each side with its own year); «г.» for «года»; any white space,
non-breaking spaces included; the ordinal name of any meeting number from 1 to 999, which must agree with the
Roman numeral.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from pipeline.errors import preview
from pipeline.numerals import roman_to_int

MONTHS_GENITIVE = {
    "января": 1, "февраля": 2, "марта": 3, "апреля": 4, "мая": 5, "июня": 6,
    "июля": 7, "августа": 8, "сентября": 9, "октября": 10, "ноября": 11, "декабря": 12,
}
MEETING_NOUN = "совещание"
# Hyphen-minus, hyphen, non-breaking hyphen, figure dash, en dash, em dash, minus sign.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2212"
YEAR_WORD = r"(?:года|г\.)"
FIRST_SIDE = (r"(?P<day1>\d{1,2})(?: (?P<month1>[^\W\d_]+)"
              rf"(?: (?P<year1>\d{{4}})(?: ?{YEAR_WORD})?)?)?")
JOINER = rf"(?: ?[{DASHES}] ?| и )"
# The last «года» may carry the heading's final full stop; «г.» has its own.
LAST_SIDE = r"(?P<day2>\d{1,2}) (?P<month2>[^\W\d_]+) (?P<year2>\d{4}) ?(?:года\.?|г\.)"
DATES = rf"(?:{FIRST_SIDE}{JOINER})?{LAST_SIDE}"
DATES_PATTERN = re.compile(rf"^{DATES}$", re.IGNORECASE)

HEADING_START = re.compile(r"^\s*(?P<roman>[IVXLCDM]+)\.\s+(?P<rest>\S.*?)\s*$")
AFTER_COMMA = re.compile(r"^(?P<name>[^,()]+?), (?P<place>[^,()\d][^()]*?), (?P<dates>\d.*)$")
IN_PARENTHESES = re.compile(r"^(?P<name>[^,()]+?) \((?P<place>[^,()\d][^()]*?), (?P<dates>\d[^()]*)\)\.?$")


# Ordinal numerals in the neuter (agreeing with «совещание»): the last word is an ordinal, the words before it
# cardinal hundreds and tens («сто двадцать первое»).
ORDINAL_UNITS = ["первое", "второе", "третье", "четвертое", "пятое", "шестое", "седьмое", "восьмое", "девятое"]
ORDINAL_TEENS = ["десятое", "одиннадцатое", "двенадцатое", "тринадцатое", "четырнадцатое", "пятнадцатое",
                 "шестнадцатое", "семнадцатое", "восемнадцатое", "девятнадцатое"]
ORDINAL_TENS = ["двадцатое", "тридцатое", "сороковое", "пятидесятое", "шестидесятое", "семидесятое",
                "восьмидесятое", "девяностое"]
ORDINAL_HUNDREDS = ["сотое", "двухсотое", "трехсотое", "четырехсотое", "пятисотое", "шестисотое", "семисотое",
                    "восьмисотое", "девятисотое"]
CARDINAL_TENS = ["двадцать", "тридцать", "сорок", "пятьдесят", "шестьдесят", "семьдесят", "восемьдесят",
                 "девяносто"]
CARDINAL_HUNDREDS = ["сто", "двести", "триста", "четыреста", "пятьсот", "шестьсот", "семьсот", "восемьсот",
                     "девятьсот"]
ORDINALS = {
    **{word: n for n, word in enumerate(ORDINAL_UNITS, start=1)},
    **{word: n for n, word in enumerate(ORDINAL_TEENS, start=10)},
    **{word: 10 * n for n, word in enumerate(ORDINAL_TENS, start=2)},
    **{word: 100 * n for n, word in enumerate(ORDINAL_HUNDREDS, start=1)},
}
CARDINALS = {
    **{word: 10 * n for n, word in enumerate(CARDINAL_TENS, start=2)},
    **{word: 100 * n for n, word in enumerate(CARDINAL_HUNDREDS, start=1)},
}
MAX_ORDINAL = 999

HEADING_FORMS = (
    "a meeting heading 'ROMAN. ORDINAL совещание, PLACE, DATES' or 'ROMAN. ORDINAL совещание (PLACE, DATES)' "
    "('I. Первое совещание, Вена, 30 мая — 1 июня 2012 года', 'VI. Шестое совещание (Вена, 4 и 5 июля 2019 г.)')"
)
DATE_FORMS = (
    "dates as '4 июля 2018 года', '4 и 5 июля 2018 года', '11–13 ноября 2013 года', '30 мая — 1 июня 2012 года' "
    "or '30 декабря 2018 года — 2 января 2019 года' («г.» for «года»; en dash, em dash or hyphen, spaced or not)"
)


class HeadingError(ValueError):
    """A heading line that does not follow the grammar; the message reads 'expected …, found …'."""


@dataclass(frozen=True)
class Heading:
    """A meeting heading: its Roman numeral and number, its name and place as written, its first and last day."""

    roman: str
    number: int
    name: str
    place: str
    start: dt.date
    end: dt.date


def is_heading(text: str) -> bool:
    """True when the line opens with a Roman numeral and a full stop, as every meeting heading does."""
    return HEADING_START.match(text) is not None


def parse_heading(text: str) -> Heading:
    """Read a meeting heading line into its numeral, name, place and dates; raise HeadingError otherwise."""
    text = " ".join(text.split())
    start = HEADING_START.match(text)
    if start is None:
        raise HeadingError(f"expected {HEADING_FORMS}, found {preview(text)}")
    parts = AFTER_COMMA.match(start["rest"]) or IN_PARENTHESES.match(start["rest"])
    if parts is None:
        raise HeadingError(f"expected {HEADING_FORMS} with {DATE_FORMS}, found {preview(text)}")
    roman = start["roman"]
    number = roman_to_int(roman)
    if number == 0:
        raise HeadingError(f"expected a Roman numeral, found {roman!r}")
    name = parts["name"]
    _check_name(name, roman, number)
    first, last = parse_dates(parts["dates"])
    return Heading(roman, number, name, parts["place"], first, last)


def parse_dates(text: str) -> tuple[dt.date, dt.date]:
    """First and last day of '4 июля 2018 года', '4 и 5 июля…', '11–13 ноября…' and the other accepted forms."""
    text = " ".join(text.split())
    match = DATES_PATTERN.match(text)
    if match is None:
        raise HeadingError(f"expected {DATE_FORMS}, found {preview(text)}")
    month2, year2 = month_number(match["month2"]), int(match["year2"])
    month1 = month_number(match["month1"]) if match["month1"] else month2
    year1 = int(match["year1"]) if match["year1"] else year2
    try:
        last = dt.date(year2, month2, int(match["day2"]))
        first = dt.date(year1, month1, int(match["day1"])) if match["day1"] else last
    except ValueError as exc:
        raise HeadingError(f"expected real calendar dates, found {preview(text)} ({exc})") from None
    if match["day1"] and first >= last:
        hint = " (across a new year each side gives its year)" if not match["year1"] and month1 > month2 else ""
        raise HeadingError(f"expected the first day before the last, found {first} to {last} in "
                           f"{preview(text)}{hint}")
    return first, last


def month_number(name: str) -> int:
    """The number of a Russian month name in the genitive («мая» is 5)."""
    number = MONTHS_GENITIVE.get(name.lower())
    if number is None:
        raise HeadingError(f"expected a Russian month name in the genitive ({', '.join(MONTHS_GENITIVE)}), "
                           f"found {name!r}")
    return number


def _check_name(name: str, roman: str, number: int) -> None:
    """The name is «<ordinal> совещание» and its ordinal is the Roman numeral's number."""
    words = name.lower().replace("ё", "е").split()
    if len(words) < 2 or words[-1] != MEETING_NOUN or ordinal_value(words[:-1]) != number:
        expected = f"'{meeting_name(number)}'" if number <= MAX_ORDINAL else "an ordinal name"
        raise HeadingError(f"expected the name of meeting {roman}, {expected}, found {preview(name)}")


def ordinal_value(words: list[str]) -> int | None:
    """The number written by a Russian neuter ordinal («двадцать первое» is 21); None if it is not one."""
    if not words or words[-1] not in ORDINALS or any(word not in CARDINALS for word in words[:-1]):
        return None
    number = ORDINALS[words[-1]] + sum(CARDINALS[word] for word in words[:-1])
    # Only the canonical spelling counts: «двадцать десятое» or «первое двадцать» are not numerals.
    return number if number <= MAX_ORDINAL and ordinal_name(number) == " ".join(words) else None


def ordinal_name(number: int) -> str:
    """A Russian neuter ordinal from 1 to 999 («двадцать первое» for 21)."""
    if not 1 <= number <= MAX_ORDINAL:
        raise ValueError(f"expected a number from 1 to {MAX_ORDINAL}, found {number}")
    hundreds, rest = divmod(number, 100)
    tens, units = divmod(rest, 10)
    if rest == 0:
        return ORDINAL_HUNDREDS[hundreds - 1]
    words = [CARDINAL_HUNDREDS[hundreds - 1]] if hundreds else []
    if rest < 10:
        words.append(ORDINAL_UNITS[units - 1])
    elif rest < 20:
        words.append(ORDINAL_TEENS[rest - 10])
    elif units == 0:
        words.append(ORDINAL_TENS[tens - 2])
    else:
        words += [CARDINAL_TENS[tens - 2], ORDINAL_UNITS[units - 1]]
    return " ".join(words)


def meeting_name(number: int) -> str:
    """The name of a meeting as headings write it («Шестое совещание»)."""
    return f"{ordinal_name(number).capitalize()} {MEETING_NOUN}"


