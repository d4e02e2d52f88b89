"""Swedish personal identity numbers found and masked.

A personnummer or samordningsnummer is ten digits — date of birth (YYMMDD), a serial
number of three digits and a check digit — written with "-" (or "+" from the year a
person turns 100) or with nothing between, and with the century in front (twelve digits)
or not. In a samordningsnummer the day of birth has 60 added. A number is taken as one
only when its date can be a date and its check digit is right (the Luhn algorithm, from
python-stdnum): a diarienummer, a löpnummer or a telephone number almost never is both.

The mask replaces each digit by "X" and keeps every other character, so the text keeps
its length and every offset into it stays true.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass

from stdnum import luhn

MASK = "X"

PERSONAL_NUMBER = re.compile(
    r"(?<![\w+-])(?P<century>18|19|20)?(?P<date>\d{6})(?P<sep>[-+]?)(?P<serial>\d{3})(?P<check>\d)(?![\w])")


@dataclass(frozen=True)
class Masked:
    text: str
    count: int


def _plausible_date(century: str | None, date: str) -> bool:
    yy, mm, dd = int(date[:2]), int(date[2:4]), int(date[4:])
    if dd > 60:
        dd -= 60  # samordningsnummer
    if not (1 <= mm <= 12 and dd >= 1):
        return False
    years = [int(century) * 100 + yy] if century else [1900 + yy, 2000 + yy]
    return any(dd <= calendar.monthrange(year, mm)[1] for year in years)


def is_personal_number(match: re.Match) -> bool:
    """Whether a :data:`PERSONAL_NUMBER` match has a plausible date and a right check digit."""
    if match.group("century") and match.group("sep") == "+":
        return False  # "+" stands for the century a twelve-digit number writes out
    return _plausible_date(match.group("century"), match.group("date")) and luhn.is_valid(
        match.group("date") + match.group("serial") + match.group("check"))


def personal_numbers(text: str) -> list[tuple[int, int]]:
    """The (start, end) of every personal identity number in ``text``."""
    return [m.span() for m in PERSONAL_NUMBER.finditer(text) if is_personal_number(m)]


def mask_personal_numbers(text: str) -> Masked:
    """``text`` with the digits of every personal identity number replaced by "X"."""
    spans = personal_numbers(text)
    if not spans:
        return Masked(text, 0)
    parts, last = [], 0
    for start, end in spans:
        parts += [text[last:start], re.sub(r"\d", MASK, text[start:end])]
        last = end
    parts.append(text[last:])
    return Masked("".join(parts), len(spans))
