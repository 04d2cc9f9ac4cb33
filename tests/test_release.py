"""The release swap: whatever fails while the new release moves in, the previous one stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from pdkg.errors import BuildError
from pdkg.files import atomic_directory


def _release(out: Path, text: str) -> None:
    with atomic_directory(out) as staging:
        (staging / "pdkg.nt").write_text(text, encoding="utf-8")


def _failing_rename(monkeypatch: pytest.MonkeyPatch, fail_when: str) -> None:
    """Make Path.rename fail when its source's name starts with ``fail_when``."""
    real = Path.rename

    def rename(self: Path, target: str | Path) -> Path:
        if self.name.startswith(fail_when):
            raise PermissionError(13, "Permission denied", str(self))
        return real(self, target)

    monkeypatch.setattr(Path, "rename", rename)


def test_failed_final_rename_puts_the_previous_release_back(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """#8: the staging -> dist rename failing used to leave only .dist-previous behind."""
    out = tmp_path / "dist"
    _release(out, "old\n")
    _failing_rename(monkeypatch, ".dist-staging-")
    with pytest.raises(BuildError, match="cannot move the new release in place"):
        _release(out, "new\n")
    assert (out / "pdkg.nt").read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_failed_first_rename_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    _release(out, "old\n")
    _failing_rename(monkeypatch, "dist")
    with pytest.raises(BuildError, match="Permission denied"):
        _release(out, "new\n")
    assert (out / "pdkg.nt").read_text(encoding="utf-8") == "old\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]


def test_when_even_the_restore_fails_the_error_says_where_the_release_is(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "dist"
    _release(out, "old\n")
    _failing_rename(monkeypatch, ".dist-")  # the staging rename and the restore both fail
    with pytest.raises(BuildError, match=r"it is in .*\.dist-previous"):
        _release(out, "new\n")
    assert (tmp_path / ".dist-previous" / "pdkg.nt").read_text(encoding="utf-8") == "old\n"


def test_a_successful_swap_replaces_the_release(tmp_path: Path) -> None:
    out = tmp_path / "dist"
    _release(out, "old\n")
    _release(out, "new\n")
    assert (out / "pdkg.nt").read_text(encoding="utf-8") == "new\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["dist"]
