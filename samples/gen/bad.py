"""Broken and hostile inputs, made deterministically: each must give GK000/GK001, never a crash.

- ``corrupt.docx``: a Word file cut in half;
- ``renamed-text.docx``: a plain text file named .docx;
- ``zero-bytes.docx``: empty;
- ``encrypted.docx``: a real password-protected Word file (OOXML agile encryption, made with
  msoffcrypto-tool when the generator runs; the committed file is what tests read);
- ``legacy.doc``-like ``word97.docx``: a compound-file header under a .docx name;
- ``bomb.docx``: a valid-looking package whose document.xml inflates to ~200 MB;
- ``entities.docx``: document.xml with a DTD declaring nested entities ("billion laughs");
- ``notes.txt``: an unsupported file type.
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

_FIXED = (1980, 1, 1, 0, 0, 0)

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
    'officedocument.wordprocessingml.document.main+xml"/></Types>'
)
_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
    'relationships/officeDocument" Target="word/document.xml"/></Relationships>'
)
_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _package(document_xml: bytes | None = None, *, stream: object = None) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for name, data in (("[Content_Types].xml", _CONTENT_TYPES), ("_rels/.rels", _RELS)):
            zf.writestr(zipfile.ZipInfo(name, _FIXED), data)
        info = zipfile.ZipInfo("word/document.xml", _FIXED)
        info.compress_type = zipfile.ZIP_DEFLATED
        if document_xml is not None:
            zf.writestr(info, document_xml)
        else:
            with zf.open(info, "w", force_zip64=True) as fh:
                fh.write(f'<?xml version="1.0"?><w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>'.encode())
                chunk = b" " * (1 << 20)
                for _ in range(200):
                    fh.write(chunk)
                fh.write(b"</w:t></w:r></w:p></w:body></w:document>")
    return buf.getvalue()


def _simple_docx() -> bytes:
    body = (
        f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?><w:document xmlns:w="{_W}"><w:body>'
        "<w:p><w:r><w:t>雨花区开展2023年“政务公开主题日”活动</w:t></w:r></w:p>"
        "<w:p><w:r><w:t>4月18日，雨花区教育局开展“政务公开主题日”活动。</w:t></w:r></w:p>"
        "</w:body></w:document>"
    )
    return _package(body.encode())


def generate_bad(out_dir: Path) -> list[Path]:
    """Write the hostile inputs into ``out_dir``; return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, bytes] = {}
    good = _simple_docx()
    files["corrupt.docx"] = good[: len(good) // 2]
    files["renamed-text.docx"] = "这是一个文本文件，不是 Word 文档。\n".encode() * 20
    files["zero-bytes.docx"] = b""
    files["zero-bytes.pdf"] = b""
    files["word97.docx"] = bytes.fromhex("d0cf11e0a1b11ae1") + b"\x00" * 504 + "WordDocument".encode("utf-16-le") + b"\x00" * 512
    files["bomb.docx"] = _package()
    laughs = "".join(
        f'<!ENTITY l{i} "{"&l" + str(i - 1) + ";" if i else "lol"}{("&l" + str(i - 1) + ";") * 9 if i else ""}">'
        for i in range(10)
    )
    entity_doc = (
        f'<?xml version="1.0"?><!DOCTYPE w:document [{laughs}]>'
        f'<w:document xmlns:w="{_W}"><w:body><w:p><w:r><w:t>&l9;</w:t></w:r></w:p></w:body></w:document>'
    )
    files["entities.docx"] = _package(entity_doc.encode())
    files["notes.txt"] = "活动记录".encode()
    encrypted = _encrypted(good)
    if encrypted is not None:
        files["encrypted.docx"] = encrypted
    elif (out_dir / "encrypted.docx").exists():
        files["encrypted.docx"] = (out_dir / "encrypted.docx").read_bytes()
    written = []
    for name, data in sorted(files.items()):
        path = out_dir / name
        path.write_bytes(data)
        written.append(path)
    return written


def _encrypted(plain: bytes) -> bytes | None:
    """A password-protected copy (password ``gkcheck``); ``None`` without msoffcrypto-tool.

    Encryption salts are random, so the bytes differ per run; the committed file is kept
    unless the generator is run with msoffcrypto-tool installed.
    """
    try:
        from msoffcrypto.format.ooxml import OOXMLFile
    except ImportError:
        return None
    out = io.BytesIO()
    OOXMLFile(io.BytesIO(plain)).encrypt("gkcheck", out)
    return out.getvalue()


if __name__ == "__main__":
    for p in generate_bad(Path(__file__).resolve().parents[1] / "bad"):
        print(p, p.stat().st_size)
