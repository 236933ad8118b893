"""Safe, namespace-agnostic access to the parts of a Word package.

Word files are zip archives of XML parts. Before any XML parser sees a part, this module
bounds what the archive may inflate to (declared sizes, which :mod:`zipfile` enforces while
reading) and refuses DTDs, so an entity is never resolved and a "billion laughs" part never
expands. Element names are matched by local name so transitional and strict OOXML read alike.
"""

from __future__ import annotations

import codecs
import io
import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from gkcheck.errors import Detail, UnreadableFile
from gkcheck.parsers.base import ParseOptions
from gkcheck.safeio import read_limited

__all__ = ["Package", "declares_dtd", "local", "safe_xml"]

_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_DTD_TEXT = re.compile(r"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
_DECL_ENCODING = re.compile(rb"""^<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._-]{1,40})["']""")
_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
    (b"<\x00\x00\x00", "utf-32-le"),
    (b"\x00\x00\x00<", "utf-32-be"),
    (b"<\x00?\x00", "utf-16-le"),
    (b"\x00<\x00?", "utf-16-be"),
)
_PARSER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    recover=False,
)
_RECOVER = etree.XMLParser(
    resolve_entities=False,
    no_network=True,
    load_dtd=False,
    huge_tree=False,
    remove_comments=True,
    recover=True,
)


def local(el: etree._Element) -> str:
    """The element's name without its namespace (``"p"`` for ``w:p``)."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _encoding(data: bytes) -> str:
    """The encoding an XML parser would read ``data`` in: BOM, then declaration, then UTF-8."""
    for bom, name in _BOMS:
        if data.startswith(bom):
            return name
    m = _DECL_ENCODING.match(data.lstrip()[:200])
    if m:
        name = m.group(1).decode("ascii")
        try:
            return codecs.lookup(name).name
        except LookupError:
            return "utf-8"
    return "utf-8"


def declares_dtd(data: bytes) -> bool:
    """Whether ``data`` holds a DOCTYPE or ENTITY declaration anywhere, in any encoding.

    Searching the raw bytes misses UTF-16/UTF-32 text (every other byte is NUL) and a
    search of the first KiBs misses a declaration after padding, so the whole part is
    decoded the way the parser would decode it and searched as text as well.
    """
    if _DTD.search(data):
        return True
    enc = _encoding(data)
    if enc in ("utf-8", "ascii"):
        return False
    try:
        text = data.decode(enc, errors="replace")
    except LookupError:
        return False
    return _DTD_TEXT.search(text) is not None


def _refuse(what: str) -> UnreadableFile:
    return UnreadableFile("unsafe-xml", detail=Detail("dtd", what=what))


def safe_xml(data: bytes, what: str) -> etree._Element:
    """Parse one XML part, refusing DTDs and entities; recover from minor breakage."""
    if declares_dtd(data):
        raise _refuse(what)
    try:
        root = etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        root = etree.fromstring(data, _RECOVER) if data.strip() else None
        if root is None:
            raise UnreadableFile("corrupt", detail=Detail("not_xml", what=what)) from None
    info = root.getroottree().docinfo
    if info.doctype or info.internalDTD is not None:  # what the parser itself saw
        raise _refuse(what)
    return root


@dataclass
class Package:
    """An opened, size-checked .docx archive."""

    path: Path
    zf: zipfile.ZipFile
    names: set[str] = field(default_factory=set)
    data: bytes = b""  # the archive's bytes, read once through the safe file layer

    @classmethod
    def open(cls, path: Path, options: ParseOptions) -> Package:
        """Open ``path``, refusing archives that would inflate beyond the limits."""
        data = read_limited(path, limit=options.max_file_bytes)
        try:
            zf = zipfile.ZipFile(io.BytesIO(data))
        except zipfile.BadZipFile as exc:
            raise UnreadableFile("corrupt", detail=Detail("not_zip", error=str(exc))) from exc
        except (OSError, ValueError) as exc:
            raise UnreadableFile("corrupt", detail=str(exc)) from exc
        infos = zf.infolist()
        if len(infos) > 20_000:
            raise UnreadableFile("too-large", detail=Detail("entries", n=len(infos)))
        total = 0
        for info in infos:
            total += info.file_size
            if info.flag_bits & 0x1:
                raise UnreadableFile("encrypted", detail=Detail("archive_encrypted"))
            is_xml = info.filename.endswith((".xml", ".rels"))
            if is_xml and info.file_size > options.max_xml_part:
                raise UnreadableFile(
                    "too-large", detail=Detail("inflates", what=info.filename, n=info.file_size)
                )
        if total > options.max_uncompressed:
            raise UnreadableFile("too-large", detail=Detail("archive_inflates", n=total))
        return cls(path, zf, {i.filename for i in infos}, data)

    def read(self, name: str) -> bytes:
        """The bytes of a part (bounded by its declared size)."""
        try:
            return self.zf.read(name)
        except KeyError as exc:
            raise UnreadableFile("corrupt", detail=Detail("missing_part", name=name)) from exc
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise UnreadableFile("corrupt", detail=Detail("raw", name=name, error=str(exc))) from exc

    def xml(self, name: str) -> etree._Element:
        """A part parsed safely."""
        return safe_xml(self.read(name), name)

    def check_all_xml(self) -> None:
        """Refuse the package if any XML part declares a DTD (before other readers see it)."""
        for name in self.names:
            if name.endswith((".xml", ".rels")) and declares_dtd(self.read(name)):
                raise _refuse(name)

    def rels(self, part: str) -> dict[str, tuple[str, str, bool]]:
        """Relationships of ``part``: id → (type, target part name, external)."""
        folder, name = posixpath.split(part)
        rels_name = posixpath.join(folder, "_rels", name + ".rels")
        if rels_name not in self.names:
            return {}
        out: dict[str, tuple[str, str, bool]] = {}
        for rel in self.xml(rels_name):
            if local(rel) != "Relationship":
                continue
            rid = rel.get("Id") or ""
            target = rel.get("Target") or ""
            external = rel.get("TargetMode") == "External"
            if not external:
                if target.startswith("/"):
                    target = target.lstrip("/")
                else:
                    target = posixpath.normpath(posixpath.join(folder, target))
            out[rid] = (rel.get("Type") or "", target, external)
        return out

    def main_part(self) -> str:
        """The main document part's name, found through the package relationships."""
        for rtype, target, external in self.rels("").values():
            if not external and rtype.endswith("/officeDocument") and target in self.names:
                return target
        for candidate in ("word/document.xml",):
            if candidate in self.names:
                return candidate
        for name in sorted(self.names):  # a renamed main part: any part with a w:body
            if name.startswith("word/") and name.endswith(".xml") and "/_rels/" not in name:
                with self.zf.open(name) as fh:
                    if b"body" in fh.read(4096):
                        return name
        raise UnreadableFile("wrong-format", detail=Detail("no_word_part"))
