"""Files a command writes for the user: whole or not at all."""

from __future__ import annotations

from pathlib import Path

from pdkg.errors import OutputError


def write_whole(path: Path, text: str) -> None:
    """Write ``text`` to ``path`` through a temporary sibling, so a failure leaves no half file.

    Raises:
        OutputError: the file cannot be written.
    """
    partial = path.with_name(path.name + ".part")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial.write_text(text, encoding="utf-8")
        partial.replace(path)
    except OSError as exc:
        partial.unlink(missing_ok=True)
        raise OutputError(path, exc.strerror or str(exc)) from None
