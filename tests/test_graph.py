"""Loading Turtle: every bad input is named with its file (and line) in one message."""

from __future__ import annotations

from pathlib import Path

import pytest

from pdkg.errors import EXIT_BAD_INPUT, GraphLoadError
from pdkg.load import load_graph, parse_turtle

PREFIX = "@prefix ex: <http://example.org/> .\n"

BAD_INPUTS = {
    "syntax-error": (
        (PREFIX + "ex:a ex:b ex:c .\nex:a ex:b ex:c\nex:d ex:e ex:f .\n").encode(),
        "line 4",
        "expected '.'",
    ),
    "unknown-prefix": (
        (PREFIX + "\nex:a foo:b ex:c .\n").encode(),
        "line 3",
        "unknown prefix 'foo:'",
    ),
    "empty": (b"", None, "the file is empty"),
    "blank": (b"  \n\n", None, "the file is empty"),
    "only-prefixes": (PREFIX.encode(), None, "holds no triples"),
    "not-utf8": ((PREFIX + 'ex:a ex:b "caf').encode() + b"\xe9" + b'" .\n', "line 2", "not UTF-8"),
}


@pytest.mark.parametrize("case", sorted(BAD_INPUTS))
def test_bad_turtle_names_file_line_and_reason(tmp_path: Path, case: str) -> None:
    content, line, reason = BAD_INPUTS[case]
    path = tmp_path / f"{case}.ttl"
    path.write_bytes(content)
    with pytest.raises(GraphLoadError) as caught:
        parse_turtle(path)
    message = str(caught.value)
    assert message.startswith(f"cannot load {path}")
    assert reason in message
    if line:
        assert f"{path} {line} —" in message
        assert caught.value.line == int(line.split()[1])
    assert "\n" not in message
    assert caught.value.exit_code == EXIT_BAD_INPUT


def test_missing_file_is_named(tmp_path: Path) -> None:
    with pytest.raises(GraphLoadError, match="no such file") as caught:
        load_graph([tmp_path / "absent.ttl"])
    assert caught.value.path == tmp_path / "absent.ttl"


def test_directory_is_refused(tmp_path: Path) -> None:
    with pytest.raises(GraphLoadError, match="is a directory"):
        parse_turtle(tmp_path)


def test_load_graph_unions_files(tmp_path: Path) -> None:
    first, second = tmp_path / "a.ttl", tmp_path / "b.ttl"
    first.write_text(PREFIX + "ex:a ex:b ex:c .\n", encoding="utf-8")
    second.write_text(PREFIX + "ex:a ex:b ex:d .\nex:a ex:b ex:c .\n", encoding="utf-8")
    assert len(load_graph([first, second])) == 2
