"""Text tables' columns as a terminal shows them: a Chinese character takes two."""

from __future__ import annotations

import unicodedata


def shown_width(text: str) -> int:
    """The columns a terminal gives ``text``: two for a wide character (Chinese), one else.

    >>> shown_width("青岛市 (370200)"), shown_width("Qingdao")
    (15, 7)
    """
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int, *, right: bool = False) -> str:
    """``text`` padded with spaces to ``width`` shown columns (on the left when ``right``)."""
    spaces = " " * max(0, width - shown_width(text))
    return spaces + text if right else text + spaces
