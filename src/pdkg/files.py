"""Files and directories pdkg writes: whole or not at all."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from pdkg.errors import BuildError, OutputError


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


@contextmanager
def atomic_directory(out: Path) -> Iterator[Path]:
    """Yield a staging directory beside ``out``; on success swap it in, on failure drop it.

    Whatever fails, the previous release is in place afterwards (or, if even restoring it
    fails, the error says where it is).
    """
    out = out.resolve()
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}-staging-", dir=out.parent))
        staging.chmod(0o755)
    except OSError as exc:
        raise BuildError(out, f"cannot create a staging directory ({exc.strerror})") from None
    try:
        yield staging
        _swap_in(staging, out)
    except OSError as exc:
        raise BuildError(out, f"{exc.strerror}: {exc.filename}") from None
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _swap_in(staging: Path, out: Path) -> None:
    """Replace ``out`` by ``staging`` with two renames, putting ``out`` back if the second fails."""
    previous = out.with_name(f".{out.name}-previous")
    shutil.rmtree(previous, ignore_errors=True)
    had_release = out.exists()
    if had_release:
        out.rename(previous)  # on failure nothing has moved yet
    try:
        staging.rename(out)
    except OSError as exc:
        if had_release:
            try:
                previous.rename(out)
            except OSError:
                raise BuildError(
                    out,
                    f"{exc.strerror}, and the previous release could not be put back: "
                    f"it is in {previous}",
                ) from None
        raise BuildError(out, f"cannot move the new release in place ({exc.strerror})") from None
    shutil.rmtree(previous, ignore_errors=True)
