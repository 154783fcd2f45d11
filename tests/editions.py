"""Later editions of the committed source, as the Secretariat would reissue it: the same text plus a sixth meeting."""

from __future__ import annotations

import json
from pathlib import Path

from pipeline import DEFAULT_SOURCE

# A heading in forms the first edition does not use (parentheses, two days joined by «и», «г.»), a paragraph, a
# chapeau with three subparagraphs (one split by a page break) and a paragraph that refers to the first.
SIXTH_MEETING = """\
VI. Шестое совещание (Вена, 11 и 12 сентября 2019 г.)

1. Государствам-участникам следует укреплять сотрудничество в области обмена информацией о маршрутах незаконного \
ввоза мигрантов.
2. Государства-участники, возможно, пожелают рассмотреть вопрос о:
a) проведении совместных расследований;
b) подготовке сотрудников пограничных служб

и органов прокуратуры;
c) обмене успешными видами практики.
3. Рабочая группа просила Секретариат подготовить доклад о ходе осуществления рекомендации 1."""

SIXTH_MEETING_IDS = ["6.1", "6.2", "6.2.a", "6.2.b", "6.2.c", "6.3"]

# What a reissue changes before the body: the title and summary count six meetings, and a line is added.
FRONT_MATTER_EDITS = (
    ("на ее первых пяти\n", "на ее первых шести\n"),
    ("Справочный документ, подготовленный Секретариатом\n",
     "Справочный документ, подготовленный Секретариатом\n\nДобавление\n"),
)
FRONT_MATTER_LINES_ADDED = 2


def appended_edition() -> str:
    """The committed source with the sixth meeting after its last line."""
    return DEFAULT_SOURCE.read_text(encoding="utf-8") + "\n\n" + SIXTH_MEETING


def revised_edition() -> str:
    """A reissue: the sixth meeting appended and the front matter revised, so every body line moves down."""
    text = appended_edition()
    for old, new in FRONT_MATTER_EDITS:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def changed_theme_units(old: Path, new: Path) -> list[str]:
    """Themes whose number of units differs between two built packages, in the order of the newer themes table."""
    def units(folder: Path) -> dict[str, int]:
        rows = json.loads((Path(folder) / "themes.json").read_text(encoding="utf-8"))
        return {row["code"]: row["units"] for row in rows}

    before, after = units(old), units(new)
    return [code for code in after if after[code] != before.get(code)]
