"""Word 97 ``.doc`` and WPS ``.wps`` reports, read through LibreOffice and the Word parser.

The committed ``samples/legacy`` files were saved as ``.doc`` by LibreOffice from
``samples/word`` (``.wps``: the same bytes under WPS Office's name). Conversion costs ~2 s a
file, so only two are converted here (one ``.doc`` with a table and photos, one ``.wps`` with
a text box), each once per session.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
from functools import cache
from pathlib import Path

import pytest

from gkcheck import check
from gkcheck.config import Config
from gkcheck.errors import MissingComponent, UnreadableFile, UnsupportedFile
from gkcheck.model import Document
from gkcheck.parsers.base import ParseOptions
from gkcheck.parsers.legacy_word import LegacyWordParser, find_soffice
from gkcheck.parsers.word import WordParser
from gkcheck.plugins import Registry

from .test_pdf_verdicts import verdicts

ROOT = Path(__file__).resolve().parents[2]
LEGACY = ROOT / "samples" / "legacy"
WORD = ROOT / "samples" / "word"
TRUTH = json.loads((LEGACY / "expected.json").read_text(encoding="utf-8"))

needs_soffice = pytest.mark.skipif(
    find_soffice() is None, reason="LibreOffice not installed (scripts/install-libreoffice.sh)"
)


@cache
def converted(name: str) -> Document:
    return LegacyWordParser().parse(LEGACY / name, ParseOptions(ocr=False))


@cache
def original(stem: str) -> Document:
    return WordParser().parse(WORD / f"{stem}.docx", ParseOptions(ocr=False))


def _shape(doc: Document) -> list[tuple[str, str, int | None]]:
    return [(b.text, b.origin.container, b.origin.table) for b in doc.blocks]


@needs_soffice
@pytest.mark.parametrize(
    "name", ["r003-all-true-table-1x1.doc", "r009-all-true-textbox.wps"]
)
def test_converted_report_reads_like_its_docx(name: str) -> None:
    doc = converted(name)
    docx = original(Path(name).stem)
    assert doc.path == LEGACY / name
    assert doc.kind == Path(name).suffix[1:]
    assert "LibreOffice" in doc.notes[0]
    # same paragraphs in the same places (tables and text boxes survive the round trip)
    assert _shape(doc) == _shape(docx)
    assert len(doc.photos) == len(docx.photos) == TRUTH[name]["photos"]
    assert all(p.data for p in doc.photos)  # bytes kept: the temporary .docx is gone
    assert verdicts(doc) == verdicts(docx) == TRUTH[name]["places"]


@needs_soffice
def test_engine_reads_a_doc_report(engine) -> None:  # type: ignore[no-untyped-def]
    result = engine.check_file(LEGACY / "r004-one-missing-prefix.doc")
    assert result.kind == "doc"
    assert not {"GK000", "GK001"} & set(result.rules())
    assert result.document is not None and result.document.blocks


def _fake_soffice(folder: Path, body: str) -> None:
    script = folder / "soffice"
    script.write_text(f"#!/bin/sh\n{body}\n", encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)


def test_without_libreoffice_a_clear_finding(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    empty = tmp_path / "bin"
    empty.mkdir()
    monkeypatch.setenv("PATH", str(empty))
    assert find_soffice() is None
    with pytest.raises(MissingComponent) as info:
        LegacyWordParser().parse(LEGACY / "r003-all-true-table-1x1.doc", ParseOptions())
    assert info.value.component == "LibreOffice"
    assert info.value.hint_key == "hint_libreoffice"
    assert isinstance(info.value, UnsupportedFile)  # GK001 where only that is known
    result = check(LEGACY / "r003-all-true-table-1x1.wps")  # and the engine does not crash
    assert result.rules() == {"GK001"}
    assert "LibreOffice" in json.dumps(result.to_dict(), ensure_ascii=False)


def test_hint_messages_exist_in_both_languages() -> None:
    import tomllib

    for lang, words in (("zh", "安装 LibreOffice，或将报道另存为 .docx"), ("en", "LibreOffice")):
        path = ROOT / "src" / "gkcheck" / "i18n" / f"{lang}.toml"
        table = tomllib.loads(path.read_text(encoding="utf-8"))["GK001"]
        assert words in table["hint_libreoffice"]
        assert "{suffix}" in table["needs_libreoffice"]


def test_a_hanging_libreoffice_is_killed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    pid_file = tmp_path / "pid"
    _fake_soffice(bin_dir, f"echo $$ > {pid_file}\nexec sleep 60")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
    with pytest.raises(UnreadableFile) as info:
        LegacyWordParser(timeout=1.0).parse(LEGACY / "r004-one-missing-prefix.doc", ParseOptions())
    assert info.value.reason == "timeout"
    pid = int(pid_file.read_text().strip())
    with pytest.raises(ProcessLookupError):
        os.kill(pid, 0)  # killed and reaped, not left running


def test_a_failed_conversion_is_unreadable(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    _fake_soffice(bin_dir, "echo 'Error: source file could not be loaded' >&2\nexit 1")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}/usr/bin{os.pathsep}/bin")
    with pytest.raises(UnreadableFile) as info:
        LegacyWordParser().parse(LEGACY / "r004-one-missing-prefix.doc", ParseOptions())
    assert info.value.reason == "corrupt"
    assert "could not be loaded" in info.value.detail


def _compound(stream: str) -> bytes:
    header = bytearray(512)
    header[:8] = bytes.fromhex("d0cf11e0a1b11ae1")
    header[0x1C:0x20] = b"\xfe\xff\x09\x00"
    return bytes(header) + b"\x00" * 1024 + stream.encode("utf-16-le") + b"\x00" * 512


def test_other_compound_files_are_refused_before_any_conversion(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PATH", str(tmp_path))  # a conversion would fail loudly: none may start
    excel = tmp_path / "sheet.doc"
    excel.write_bytes(_compound("Workbook"))
    with pytest.raises(UnsupportedFile, match="Excel"):
        LegacyWordParser().parse(excel, ParseOptions())
    broken = tmp_path / "broken.doc"
    broken.write_bytes(bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 2000)
    with pytest.raises(UnreadableFile) as info:
        LegacyWordParser().parse(broken, ParseOptions())
    assert info.value.reason == "corrupt"


def test_parser_choice_by_suffix_and_content(tmp_path: Path) -> None:
    reg = Registry.build(Config(), load_entrypoints=False)
    doc = LEGACY / "r003-all-true-table-1x1.doc"
    head = doc.read_bytes()[:8192]
    by_suffix, by_content = reg.parser_for(doc, head)
    assert isinstance(by_suffix, LegacyWordParser) and by_content is by_suffix
    renamed = tmp_path / "report.docx"  # a .doc saved under a .docx name is read by content
    shutil.copyfile(doc, renamed)
    assert isinstance(reg.parser_for(renamed, head)[1], LegacyWordParser)
    docx = WORD / "r003-all-true-table-1x1.docx"
    assert isinstance(reg.parser_for(docx, docx.read_bytes()[:8192])[1], WordParser)
