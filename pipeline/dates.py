"""Dates as Swedish documents write them, read into ISO form: "2019-05-04", "4 maj 2019",
"den 4:e maj 2019", "4 sept. 2019", "4/5 2019", "04.05.2019", "2019.05.04".

The metadata finder reads a document's date with these; the segmenter tells a date line
and a signing line ("Alingsås i september 2024") from a heading with them.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Optional

MONTHS = {"januari": 1, "februari": 2, "mars": 3, "april": 4, "maj": 5, "juni": 6, "juli": 7,
          "augusti": 8, "september": 9, "oktober": 10, "november": 11, "december": 12}
_MONTH_ABBREVIATIONS = {"jan": 1, "feb": 2, "febr": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
                        "sep": 9, "sept": 9, "okt": 10, "nov": 11, "dec": 12}
_MONTH_WORDS = {**MONTHS, **_MONTH_ABBREVIATIONS}
_YEAR = r"(?:19|20)\d{2}"
# "2019-05-04"; "4 maj 2019", "den 4:e maj 2019", "4 maj, 2019", "4 sept. 2019"; "4/5 2019";
# "04.05.2019"; "2019.05.04"
DATE = re.compile(
    rf"(?<![\d-])(?P<iso>{_YEAR})-(?P<im>\d{{2}})-(?P<id>\d{{2}})(?![\d-])"
    rf"|(?<!\d)(?P<ld>\d{{1,2}})(?::?[ea])?\s+(?P<lm>{'|'.join(sorted(_MONTH_WORDS, key=len, reverse=True))})\.?,?\s+(?P<ly>{_YEAR})(?!\d)"
    rf"|(?<![\d/])(?P<sd>\d{{1,2}})/(?P<sm>\d{{1,2}})\s+(?P<sy>{_YEAR})(?!\d)"
    rf"|(?<![\d.])(?P<dd>\d{{1,2}})\.(?P<dm>\d{{1,2}})\.(?P<dy>{_YEAR})(?![\d.])"
    rf"|(?<![\d.])(?P<ry>{_YEAR})\.(?P<rm>\d{{2}})\.(?P<rd>\d{{2}})(?![\d.])",
    re.IGNORECASE)


def parse_date(s: str) -> Optional[str]:
    """The first date in ``s`` as YYYY-MM-DD, or None."""
    for m in DATE.finditer(s):
        g = m.groupdict()
        if g["iso"]:
            y, mo, d = int(g["iso"]), int(g["im"]), int(g["id"])
        elif g["ld"]:
            y, mo, d = int(g["ly"]), _MONTH_WORDS[g["lm"].casefold()], int(g["ld"])
        elif g["sd"]:
            y, mo, d = int(g["sy"]), int(g["sm"]), int(g["sd"])
        elif g["dd"]:
            y, mo, d = int(g["dy"]), int(g["dm"]), int(g["dd"])
        else:
            y, mo, d = int(g["ry"]), int(g["rm"]), int(g["rd"])
        try:
            return dt.date(y, mo, d).isoformat()
        except ValueError:
            continue
    return None
