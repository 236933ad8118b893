"""Word (.docx) reports → blocks in reading order, plus their photos.

What a person sees in Word is what counts: paragraphs of the body, of **tables** (titles and
photos often sit in one) and of **text boxes** (read once, though Word stores a text box twice,
as DrawingML and as a VML fallback); hyperlinks and fields show their text; soft line breaks
are kept; **tracked changes** count as if accepted (inserted text in, deleted text out).
Headers, footers, footnotes and comments are not part of the report and are not read.

Photos are the pictures referenced by the body (inline or floating, in tables and text boxes
too) whose pixel size makes them photos rather than icons or rule lines.

python-docx opens the package and resolves paragraph styles (names, inherited sizes, bold,
alignment); lxml walks the body where python-docx does not reach (text boxes, tracked changes,
alternate content). Files python-docx cannot open (strict OOXML, renamed parts) are read from
the package directly with the same walker.
"""

from __future__ import annotations

import io
import logging
import posixpath
from dataclasses import dataclass, field, replace
from pathlib import Path

from lxml import etree

from gkcheck.errors import Detail, UnreadableFile, UnsupportedFile
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Block, Document, Origin, Photo, StyleHints
from gkcheck.parsers.base import ParseOptions, Parser
from gkcheck.parsers.ooxml import Package, local
from gkcheck.safeio import read_head, read_limited

__all__ = ["WordParser"]

log = logging.getLogger(__name__)

_SKIP = frozenset(
    {
        "del",
        "delText",
        "moveFrom",
        "instrText",
        "delInstrText",
        "pPr",
        "rPr",
        "sectPr",
        "tblPr",
        "trPr",
        "tcPr",
        "tblGrid",
        "commentReference",
        "footnoteReference",
        "endnoteReference",
        "annotationRef",
        "Fallback",
        "proofErr",
        "bookmarkStart",
        "bookmarkEnd",
    }
)
_IMAGE_TYPES = {
    b"\xff\xd8\xff": "image/jpeg",
    b"\x89PNG": "image/png",
    b"GIF8": "image/gif",
    b"BM": "image/bmp",
    b"II*\x00": "image/tiff",
    b"MM\x00*": "image/tiff",
    b"RIFF": "image/webp",
}


@dataclass(frozen=True, slots=True)
class _Style:
    name: str | None = None
    size: float | None = None
    bold: bool | None = None
    centered: bool | None = None
    outline: int | None = None


@dataclass
class _Walk:
    """Mutable state of one walk over the body."""

    pkg: Package
    part: str
    rels: dict[str, tuple[str, str, bool]]
    styles: dict[str, _Style]
    default_size: float | None
    options: ParseOptions
    blocks: list[Block] = field(default_factory=list)
    photos: list[Photo] = field(default_factory=list)
    paragraph: int = 0
    table: int = -1
    caption_cells: set[tuple[int, int, int]] = field(default_factory=set)  # cells under photos
    last_was_photo: bool = False
    seen_media: dict[str, Photo] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)


class WordParser:
    """Reads .docx (and .docm/.dotx) Word documents."""

    kind = "docx"
    suffixes = (".docx", ".docm", ".dotx")

    def sniff(self, head: bytes) -> bool:
        """A zip archive naming Word parts (compound files: :mod:`gkcheck.parsers.legacy_word`)."""
        return head.startswith(b"PK\x03\x04") and (
            b"word/" in head or b"[Content_Types].xml" in head or b"docProps" in head
        )

    def parse(self, path: Path, options: ParseOptions) -> Document:
        """Read the report's blocks and photos."""
        head = read_head(path, size=8)
        if head.startswith(_CFB):
            _refuse_compound_file(path)
        pkg = Package.open(path, options)
        pkg.check_all_xml()
        part = pkg.main_part()
        root = pkg.xml(part)
        body = next((el for el in root.iter() if local(el) == "body"), None)
        if body is None:
            raise UnreadableFile("wrong-format", detail=Detail("no_body", what=part))
        rels = pkg.rels(part)
        styles, default_size = _styles(pkg, path, rels)
        walk = _Walk(pkg, part, rels, styles, default_size, options)
        _walk_container(walk, body, Origin(container="body"))
        return Document(
            path=path,
            kind=self.kind,
            blocks=tuple(walk.blocks),
            photos=tuple(walk.photos),
            notes=tuple(walk.notes),
        )


#: Indentation and padding around a paragraph: not text a reader reads (indent is a style hint).
_STRIP = " \t\r\n\u3000\u00a0\u2002\u2003\u200b\ufeff"

_CFB = bytes.fromhex("d0cf11e0a1b11ae1")


def _refuse_compound_file(path: Path) -> None:
    """Explain a compound (OLE) file: an encrypted .docx, or a Word 97–2003 .doc."""
    data = read_limited(path, limit=64 * 1024 * 1024)[: 8 * 1024 * 1024]
    if "EncryptedPackage".encode("utf-16-le") in data or "EncryptionInfo".encode("utf-16-le") in data:
        raise UnreadableFile("encrypted", detail=Detail("word_password"))
    if "WordDocument".encode("utf-16-le") in data:
        raise UnsupportedFile(Detail("doc97"))
    raise UnsupportedFile(Detail("not_word"))


# -- styles -------------------------------------------------------------------------------------


def _styles(
    pkg: Package, path: Path, rels: dict[str, tuple[str, str, bool]]
) -> tuple[dict[str, _Style], float | None]:
    """Paragraph styles by id, with inherited size/bold/alignment, and the default size."""
    try:
        return _styles_python_docx(pkg)
    except Exception as exc:  # noqa: BLE001 - python-docx refuses strict/odd files; read XML
        log.debug("python-docx could not open %s (%s); reading styles directly", path, exc)
    name = next((t for rt, t, ext in rels.values() if rt.endswith("/styles") and not ext), None)
    if name is None or name not in pkg.names:
        return {}, None
    return _styles_xml(pkg.xml(name))


def _styles_python_docx(pkg: Package) -> tuple[dict[str, _Style], float | None]:
    import docx
    from docx.enum.style import WD_STYLE_TYPE
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document = docx.Document(io.BytesIO(pkg.data))
    out: dict[str, _Style] = {}
    default_size: float | None = None
    normal = None
    for style in document.styles:
        if style.type != WD_STYLE_TYPE.PARAGRAPH:
            continue
        size = bold = centered = None
        outline = None
        s = style
        depth = 0
        while s is not None and depth < 20:
            if size is None and s.font.size is not None:
                size = s.font.size.pt
            if bold is None and s.font.bold is not None:
                bold = bool(s.font.bold)
            if centered is None and s.paragraph_format.alignment is not None:
                centered = s.paragraph_format.alignment == WD_ALIGN_PARAGRAPH.CENTER
            if outline is None:
                lvl = s.element.find(".//{*}outlineLvl")
                if lvl is not None:
                    outline = _int(lvl.get(_w("val")))
            s = s.base_style
            depth += 1
        out[style.style_id] = _Style(style.name, size, bold, centered, outline)
        if style.style_id == "Normal" or getattr(style, "name", "") == "Normal":
            normal = out[style.style_id]
    defaults = document.styles.element.find(".//{*}docDefaults//{*}rPr/{*}sz")
    if defaults is not None:
        default_size = (_int(defaults.get(_w("val"))) or 21) / 2
    if normal is not None and normal.size is not None:
        default_size = normal.size
    return out, default_size


def _styles_xml(root: etree._Element) -> tuple[dict[str, _Style], float | None]:
    raw: dict[str, tuple[str | None, str | None, float | None, bool | None, bool | None, int | None]] = {}
    for st in root:
        if local(st) != "style" or _attr(st, "type") not in (None, "paragraph"):
            continue
        sid = _attr(st, "styleId") or ""
        name_el = _child(st, "name")
        based = _child(st, "basedOn")
        size_el = st.find(".//{*}rPr/{*}sz")
        bold_el = st.find(".//{*}rPr/{*}b")
        jc = st.find(".//{*}pPr/{*}jc")
        lvl = st.find(".//{*}pPr/{*}outlineLvl")
        raw[sid] = (
            _attr(name_el, "val") if name_el is not None else None,
            _attr(based, "val") if based is not None else None,
            (_int(_attr(size_el, "val")) or 0) / 2 or None if size_el is not None else None,
            _on(bold_el) if bold_el is not None else None,
            (_attr(jc, "val") == "center") if jc is not None else None,
            _int(_attr(lvl, "val")) if lvl is not None else None,
        )
    out: dict[str, _Style] = {}
    for sid in raw:
        name, size, bold, centered, outline = raw[sid][0], None, None, None, None
        cur: str | None = sid
        depth = 0
        while cur in raw and depth < 20:
            _, based, s_size, s_bold, s_centered, s_outline = raw[cur]
            size = size if size is not None else s_size
            bold = bold if bold is not None else s_bold
            centered = centered if centered is not None else s_centered
            outline = outline if outline is not None else s_outline
            cur = based
            depth += 1
        out[sid] = _Style(name, size, bold, centered, outline)
    dflt = root.find(".//{*}docDefaults//{*}rPr/{*}sz")
    default = (_int(_attr(dflt, "val")) or 21) / 2 if dflt is not None else None
    normal = out.get("Normal") or out.get("a")
    if normal is not None and normal.size is not None:
        default = normal.size
    return out, default


# -- walking the body ---------------------------------------------------------------------------


def _walk_container(walk: _Walk, container: etree._Element, origin: Origin) -> None:
    """Paragraphs and tables of a body, cell or text box, in order."""
    for el in container:
        name = local(el)
        if name == "p":
            _paragraph(walk, el, origin)
        elif name == "tbl":
            _table(walk, el, origin)
        elif name in ("sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag"):
            _walk_container(walk, el, origin)
        elif name == "AlternateContent":
            _walk_container(walk, _choice(el), origin)
        elif name in ("pict", "drawing", "object"):
            # a picture or shape placed directly in the body, outside any paragraph
            acc = _Para()
            _graphics(walk, el, acc)
            for tb in acc.textboxes:
                _walk_container(walk, tb, Origin(container="textbox", paragraph=walk.paragraph))
            if any(_photo(walk, rid, cx, cy, origin, walk.paragraph) for rid, cx, cy, _ in acc.images):
                walk.last_was_photo = True


def _choice(alt: etree._Element) -> etree._Element:
    """The first ``mc:Choice`` of alternate content (or the fallback when there is none)."""
    for child in alt:
        if local(child) == "Choice":
            return child
    for child in alt:
        if local(child) == "Fallback":
            return child
    return alt


def _table(walk: _Walk, tbl: etree._Element, origin: Origin) -> None:
    walk.table += 1
    number = walk.table
    row_i = -1
    for tr in tbl:
        if local(tr) not in ("tr", "sdt", "customXml"):
            continue
        rows = [tr] if local(tr) == "tr" else [r for r in tr.iter() if local(r) == "tr"]
        for row in rows:
            row_i += 1
            col_i = -1
            for tc in row:
                if local(tc) == "sdt":
                    cells = [c for c in tc.iter() if local(c) == "tc"]
                elif local(tc) == "tc":
                    cells = [tc]
                else:
                    continue
                for cell in cells:
                    col_i += 1
                    cell_origin = Origin(
                        container="table", table=number, row=row_i, col=col_i, page=origin.page
                    )
                    walk.last_was_photo = False  # a photo in the cell beside is not above
                    _walk_container(walk, cell, cell_origin)
                    walk.last_was_photo = False


@dataclass
class _Para:
    parts: list[str] = field(default_factory=list)
    weights: dict[float, int] = field(default_factory=dict)
    bold_chars: int = 0
    chars: int = 0
    textboxes: list[etree._Element] = field(default_factory=list)
    images: list[tuple[str, int, int, bool]] = field(default_factory=list)  # rId, cx, cy, floating


def _paragraph(walk: _Walk, p: etree._Element, origin: Origin) -> None:
    ppr = _child(p, "pPr")
    style_id = None
    centered: bool | None = None
    outline: int | None = None
    indent: float | None = None
    para_rpr = None
    if ppr is not None:
        ps = _child(ppr, "pStyle")
        style_id = _attr(ps, "val") if ps is not None else None
        jc = _child(ppr, "jc")
        if jc is not None:
            centered = _attr(jc, "val") == "center"
        lvl = _child(ppr, "outlineLvl")
        if lvl is not None:
            outline = _int(_attr(lvl, "val"))
        ind = _child(ppr, "ind")
        if ind is not None:
            chars = _int(_attr(ind, "firstLineChars"))
            twips = _int(_attr(ind, "firstLine"))
            if chars is not None:
                indent = chars / 100
            elif twips is not None:
                indent = twips / 240  # at 12pt a character is 240 twips
        para_rpr = _child(ppr, "rPr")
    style = walk.styles.get(style_id or "", walk.styles.get("Normal", _Style()))
    acc = _Para()
    _runs(walk, p, acc, style, para_rpr)
    text = "".join(acc.parts).strip(_STRIP)
    index_here = walk.paragraph
    walk.paragraph += 1

    # text boxes anchored here come first: they float above the paragraph that holds them
    for tb in acc.textboxes:
        _walk_container(walk, tb, Origin(container="textbox", paragraph=index_here))

    size = max(acc.weights, key=lambda k: acc.weights[k]) if acc.weights else style.size
    if size is None:
        size = walk.default_size
    bold = (acc.bold_chars * 2 > acc.chars) if acc.chars else style.bold
    cell = (
        (origin.table, origin.row, origin.col)
        if origin.container == "table"
        and origin.table is not None
        and origin.row is not None
        and origin.col is not None
        else None
    )
    after_photo = walk.last_was_photo or (cell is not None and cell in walk.caption_cells)
    if text.strip() and cell is not None:
        walk.caption_cells.discard(cell)  # only the first line under a photo
    if not text.strip() and acc.images and walk.blocks and not walk.last_was_photo:
        prev = walk.blocks[-1]
        if prev.origin.container == origin.container and prev.origin.table == origin.table:
            walk.blocks[-1] = replace(prev, before_photo=True)
    if text.strip():
        block_origin = Origin(
            container=origin.container,
            paragraph=index_here,
            table=origin.table,
            row=origin.row,
            col=origin.col,
        )
        walk.blocks.append(
            Block(
                index=len(walk.blocks),
                text=text,
                origin=block_origin,
                style=StyleHints(
                    style=style.name or style_id,
                    outline_level=outline if outline is not None else style.outline,
                    size=size,
                    bold=bold,
                    centered=centered if centered is not None else style.centered,
                    indent=indent,
                ),
                after_photo=bool(after_photo),
            )
        )
        walk.last_was_photo = False
    found = [_photo(walk, rid, cx, cy, origin, index_here) for rid, cx, cy, _ in acc.images]
    # a picture floating beside a paragraph's text is not "above" the next paragraph
    if any(found) and (not text.strip() or any(not fl for *_, fl in acc.images)):
        walk.last_was_photo = True
        if cell is not None:
            walk.caption_cells.add((cell[0], cell[1] + 1, cell[2]))


def _runs(walk: _Walk, el: etree._Element, acc: _Para, style: _Style, para_rpr: object) -> None:
    """Visible text of a paragraph's runs, with tracked changes applied."""
    for child in el:
        name = local(child)
        if name in _SKIP:
            continue
        if name == "r":
            _run(walk, child, acc, style)
        elif name == "AlternateContent":
            _runs(walk, _choice(child), acc, style, para_rpr)
        elif name in ("hyperlink", "ins", "moveTo", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple", "dir", "bdo"):
            _runs(walk, child, acc, style, para_rpr)
        elif name == "oMath" or name == "oMathPara":
            acc.parts.append("".join(t.text or "" for t in child.iter() if local(t) == "t"))


def _run(walk: _Walk, r: etree._Element, acc: _Para, style: _Style) -> None:
    rpr = _child(r, "rPr")
    size = style.size
    bold = style.bold
    if rpr is not None:
        sz = _child(rpr, "sz")
        if sz is not None and _int(_attr(sz, "val")):
            size = (_int(_attr(sz, "val")) or 0) / 2
        b = _child(rpr, "b")
        if b is not None:
            bold = _on(b)
        if _child(rpr, "vanish") is not None and _on(_child(rpr, "vanish")):
            return  # hidden text is not what a reader sees
    for child in r:
        name = local(child)
        if name in _SKIP:
            continue
        piece = ""
        if name == "t":
            piece = child.text or ""
        elif name == "tab" or name == "ptab":
            piece = "\t"
        elif name in ("br", "cr"):
            if _attr(child, "type") != "page":
                piece = "\n"
        elif name == "noBreakHyphen":
            piece = "-"
        elif name == "sym":
            piece = ""
        elif name in ("drawing", "pict", "object"):
            _graphics(walk, child, acc)
        elif name == "AlternateContent":
            choice = _choice(child)
            for inner in choice:
                if local(inner) in ("drawing", "pict"):
                    _graphics(walk, inner, acc)
                elif local(inner) == "t":
                    piece += inner.text or ""
        if piece:
            acc.parts.append(piece)
            n = len(piece.strip())
            if n:
                acc.chars += n
                if size is not None:
                    acc.weights[size] = acc.weights.get(size, 0) + n
                if bold:
                    acc.bold_chars += n


def _graphics(walk: _Walk, el: etree._Element, acc: _Para) -> None:
    """Text boxes and pictures inside a drawing or VML shape (fallbacks skipped)."""
    stack: list[tuple[etree._Element, bool]] = [(el, False)]
    extent: tuple[int, int] = (0, 0)
    while stack:
        node, floating = stack.pop()
        for child in reversed(list(node)):
            name = local(child)
            if name == "Fallback":
                continue
            if name == "AlternateContent":
                stack.append((_choice(child), floating))
                continue
            if name == "extent":
                extent = (_int(child.get("cx")) or 0, _int(child.get("cy")) or 0)
            if name == "txbxContent":
                acc.textboxes.append(child)
                continue  # its own pictures are found when it is walked
            if name == "blip":
                rid = _rel_attr(child, "embed") or _rel_attr(child, "link")
                if rid:
                    acc.images.append((rid, *extent, floating))
                continue
            if name == "imagedata":
                rid = _rel_attr(child, "id")
                if rid:
                    acc.images.append((rid, *extent, floating))
                continue
            stack.append((child, floating or name == "anchor"))


def _photo(walk: _Walk, rid: str, cx: int, cy: int, origin: Origin, paragraph: int) -> bool:
    """Record a picture if it is a photo; whether it was."""
    rel = walk.rels.get(rid)
    if rel is None:
        walk.notes.append(f"picture {rid} has no relationship")
        return False
    _, target, external = rel
    if external:
        walk.notes.append(f"linked picture not embedded: {target}")
        return False
    if target in walk.seen_media:
        return False  # one picture shown twice (e.g. DrawingML + VML) is one photo
    if target not in walk.pkg.names:
        walk.notes.append(f"picture part missing: {target}")
        return False
    data = walk.pkg.read(target)
    size = _image_size(data)
    # displayed size in points (EMU / 12700): a big bitmap shown as a 10 pt icon is decoration
    shown_small = 0 < cx < 12700 * 40 or 0 < cy < 12700 * 40
    if size is None:
        if _media_type(data) is None or shown_small:
            walk.notes.append(f"picture {posixpath.basename(target)} is not a raster image")
            return False
        # says JPEG/PNG/… but its header cannot be read: listed (the LOGO check reports it
        # unreadable, GK203) rather than dropped, so a broken photo is not silently ignored
        walk.notes.append(f"picture {posixpath.basename(target)} cannot be decoded")
        size = (0, 0)
    w, h = size
    opts = walk.options
    if size != (0, 0) and (
        min(w, h) < opts.min_photo_side or w * h < opts.min_photo_area or shown_small
    ):
        return False
    photo_origin = Origin(
        container=origin.container,
        paragraph=paragraph,
        table=origin.table,
        row=origin.row,
        col=origin.col,
    )
    photo = Photo(
        ref=target,
        width=w,
        height=h,
        data=data,
        media_type=_media_type(data),
        origin=photo_origin,
        position=len(walk.blocks),
    )
    walk.seen_media[target] = photo
    walk.photos.append(photo)
    return True


def _image_size(data: bytes) -> tuple[int, int] | None:
    """Pixel size from the image header, without decoding pixels."""
    if _media_type(data) is None:
        return None
    try:
        from gkcheck.vision.pillow import Image

        with Image.open(io.BytesIO(data)) as im:
            return int(im.width), int(im.height)
    except Exception:  # noqa: BLE001 - EMF/WMF and broken images are not photos
        return None


def _media_type(data: bytes) -> str | None:
    for magic, kind in _IMAGE_TYPES.items():
        if data.startswith(magic):
            return kind
    return None


# -- small XML helpers --------------------------------------------------------------------------

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"


def _w(name: str) -> str:
    return f"{{{_W}}}{name}"


def _child(el: etree._Element | None, name: str) -> etree._Element | None:
    if el is None:
        return None
    for child in el:
        if local(child) == name:
            return child
    return None


def _attr(el: etree._Element | None, name: str) -> str | None:
    """An attribute by local name, whatever its namespace (transitional or strict)."""
    if el is None:
        return None
    for key, value in el.attrib.items():
        if key == name or key.endswith("}" + name):
            return str(value)
    return None


def _rel_attr(el: etree._Element, name: str) -> str | None:
    for key, value in el.attrib.items():
        if key.endswith("}" + name) and "relationships" in key:
            return str(value)
    return None


def _on(el: etree._Element | None) -> bool:
    if el is None:
        return False
    val = _attr(el, "val")
    return val not in ("0", "false", "off", "none")


def _int(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(float(value))
    except ValueError:
        return None


@hookimpl
def gkcheck_register_parsers() -> list[Parser]:
    """Register the Word parser."""
    return [WordParser()]
