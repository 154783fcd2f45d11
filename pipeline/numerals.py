"""Roman numerals, as meeting headings number meetings (I to MMMCMXCIX)."""

from __future__ import annotations

import re

ROMAN = re.compile(r"^M{0,3}(CM|CD|D?C{0,3})(XC|XL|L?X{0,3})(IX|IV|V?I{0,3})$")
ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(roman: str) -> int:
    """The value of a Roman numeral in canonical form; 0 for anything else."""
    if not roman or not ROMAN.match(roman):
        return 0
    total = 0
    for symbol, following in zip(roman, roman[1:] + " "):
        value = ROMAN_VALUES[symbol]
        total += -value if following != " " and ROMAN_VALUES[following] > value else value
    return total


def int_to_roman(number: int) -> str:
    """The Roman numeral of a number from 1 to 3999."""
    numerals = [(1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")]
    out = []
    for value, symbol in numerals:
        count, number = divmod(number, value)
        out.append(symbol * count)
    return "".join(out)
