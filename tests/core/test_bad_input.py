"""Bad input is a finding (GK000/GK001) with a clear reason, never a traceback."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from gkcheck import check
from gkcheck.cli import main

EXPECTED = {
    "corrupt.docx": ("GK000", "corrupt"),
    "renamed-text.docx": ("GK000", "wrong-format"),
    "zero-bytes.docx": ("GK000", "empty"),
    "zero-bytes.pdf": ("GK000", "empty"),
    "encrypted.docx": ("GK000", "encrypted"),
    "bomb.docx": ("GK000", "too-large"),
    "entities.docx": ("GK000", "unsafe-xml"),
    "word97.docx": ("GK000", "corrupt"),  # a compound-file header and nothing else
    "notes.txt": ("GK001", None),
}


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_gives_finding(samples: Path, name: str) -> None:
    rule, reason = EXPECTED[name]
    result = check(samples / "bad" / name)
    assert [f.rule for f in result.findings] == [rule]
    assert not result.ok
    if reason is not None:
        assert result.findings[0].evidence["reason"] == reason


def test_bad_files_exit_1_with_json(samples: Path, capsys: pytest.CaptureFixture[str]) -> None:
    paths = [str(samples / "bad" / n) for n in sorted(EXPECTED)]
    assert main(["check", "--format", "json", *paths]) == 1
    data = json.loads(capsys.readouterr().out)
    assert len(data["results"]) == len(EXPECTED)
    assert all(not r["ok"] for r in data["results"])


def test_inputs_are_not_modified(samples: Path) -> None:
    before = {p.name: p.read_bytes() for p in (samples / "bad").iterdir()}
    for name in before:
        check(samples / "bad" / name)
    after = {p.name: p.read_bytes() for p in (samples / "bad").iterdir()}
    assert before == after


def test_entities_are_never_resolved(samples: Path) -> None:
    # the billion-laughs file is refused before parsing: no "lol" text ever appears
    result = check(samples / "bad" / "entities.docx")
    assert result.document is None
    assert "lol" not in json.dumps(result.to_dict(), ensure_ascii=False)


def test_bomb_does_not_inflate(samples: Path) -> None:
    # run in a child with a memory cap: refusing by declared size must not need the memory
    code = (
        "import resource,sys;"
        "resource.setrlimit(resource.RLIMIT_AS,(1<<30,1<<30));"
        "from gkcheck import check;"
        f"r=check(r'{samples / 'bad' / 'bomb.docx'}');"
        "sys.exit(0 if r.findings[0].rule=='GK000' else 3)"
    )
    assert subprocess.run([sys.executable, "-c", code], timeout=120, check=False).returncode == 0


def test_missing_path_is_usage_error(tmp_path: Path) -> None:
    assert main(["check", str(tmp_path / "nope.docx")]) == 2


def test_symlink_loop(tmp_path: Path) -> None:
    loop = tmp_path / "loop.docx"
    loop.symlink_to(loop)
    result = check(loop)
    assert [f.rule for f in result.findings] == ["GK000"]
