"""Safe, namespace-agnostic access to the parts of a Word package.

Word files are zip archives of XML parts. Before any XML parser sees a part, this module
bounds what the archive may inflate to (declared sizes, which :mod:`zipfile` enforces while
reading) and refuses DTDs, so an entity is never resolved and a "billion laughs" part never
expands. Element names are matched by local name so transitional and strict OOXML read alike.
"""

from __future__ import annotations

import posixpath
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

from gkcheck.errors import UnreadableFile
from gkcheck.parsers.base import ParseOptions

__all__ = ["Package", "local", "safe_xml"]

_DTD = re.compile(rb"<!(DOCTYPE|ENTITY)", re.IGNORECASE)
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


def safe_xml(data: bytes, what: str) -> etree._Element:
    """Parse one XML part, refusing DTDs and entities; recover from minor breakage."""
    if _DTD.search(data):
        raise UnreadableFile("unsafe-xml", detail=f"{what} declares a DTD or entities")
    try:
        return etree.fromstring(data, _PARSER)
    except etree.XMLSyntaxError:
        root = etree.fromstring(data, _RECOVER) if data.strip() else None
        if root is None:
            raise UnreadableFile("corrupt", detail=f"{what} is not well-formed XML") from None
        return root


@dataclass
class Package:
    """An opened, size-checked .docx archive."""

    path: Path
    zf: zipfile.ZipFile
    names: set[str] = field(default_factory=set)

    @classmethod
    def open(cls, path: Path, options: ParseOptions) -> Package:
        """Open ``path``, refusing archives that would inflate beyond the limits."""
        try:
            zf = zipfile.ZipFile(path)
        except zipfile.BadZipFile as exc:
            raise UnreadableFile("corrupt", detail=f"not a valid zip archive ({exc})") from exc
        except (OSError, ValueError) as exc:
            raise UnreadableFile("corrupt", detail=str(exc)) from exc
        infos = zf.infolist()
        if len(infos) > 20_000:
            raise UnreadableFile("too-large", detail=f"{len(infos)} entries")
        total = 0
        for info in infos:
            total += info.file_size
            if info.flag_bits & 0x1:
                raise UnreadableFile("encrypted", detail="the archive is encrypted")
            is_xml = info.filename.endswith((".xml", ".rels"))
            if is_xml and info.file_size > options.max_xml_part:
                raise UnreadableFile(
                    "too-large", detail=f"{info.filename} inflates to {info.file_size} bytes"
                )
        if total > options.max_uncompressed:
            raise UnreadableFile("too-large", detail=f"the archive inflates to {total} bytes")
        return cls(path, zf, {i.filename for i in infos})

    def read(self, name: str) -> bytes:
        """The bytes of a part (bounded by its declared size)."""
        try:
            return self.zf.read(name)
        except KeyError as exc:
            raise UnreadableFile("corrupt", detail=f"missing part {name}") from exc
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError) as exc:
            raise UnreadableFile("corrupt", detail=f"part {name}: {exc}") from exc

    def xml(self, name: str) -> etree._Element:
        """A part parsed safely."""
        return safe_xml(self.read(name), name)

    def check_all_xml(self) -> None:
        """Refuse the package if any XML part declares a DTD (before other readers see it)."""
        for name in self.names:
            if name.endswith((".xml", ".rels")):
                with self.zf.open(name) as fh:
                    head = fh.read(4096)
                if _DTD.search(head):
                    raise UnreadableFile("unsafe-xml", detail=f"{name} declares a DTD or entities")

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
        raise UnreadableFile("wrong-format", detail="no Word document part in the archive")
