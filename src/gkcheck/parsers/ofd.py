"""OFD (GB/T 33190) reports: the national fixed-layout format Chinese government systems export.

An OFD file is a zip package of XML parts: ``OFD.xml`` names the document root
(``DocBody/DocRoot``); the root ``Document.xml`` lists the pages (``Pages/Page/@BaseLoc``), the
default page box (``CommonData/PageArea``), the resource files (``PublicRes``, ``DocumentRes``,
and per page ``PageRes``) and the page templates (``TemplatePage``). A page's ``Content.xml``
holds layers of graphic units:

* ``TextObject`` (``Boundary``, ``Font``, ``Size``, optional ``CTM``, ``Weight``) with
  ``TextCode`` runs placed at ``X``/``Y`` (the baseline, relative to the boundary) and advanced
  by ``DeltaX``/``DeltaY`` (``g N d`` repeats ``d`` N times);
* ``ImageObject`` (``Boundary``, ``ResourceID`` → a ``MultiMedia`` resource's ``MediaFile``);
* ``PathObject``: only thin horizontal rules, for the footnote separator the PDF path uses;
* ``PageBlock`` groups of both, and templates drawn under (or over) the page.

This reader turns each drawn character into the same character record the PDF parser gets
from pdfplumber (box in points, size, font name), and from there on everything is the PDF
path — characters → lines → paragraphs in :mod:`gkcheck.parsers.layout`, running headers and
page numbers dropped, photos placed in the flow — so an OFD and a PDF of one report give the
same blocks. Like every parser it assigns no roles.

Written for what real writers do, not only for the letter of the standard: namespaces are
matched by local name (writers use the standard's URI, none, or their own), attribute names
are matched without regard to case (``Size``/``size``), paths may be absolute or relative, use
backslashes or differ in case, and a page box that does not match the content's unit (one
third-party writer declares points while drawing in a smaller unit) is replaced by one that
fits the content. The same image drawn on every page at one place is one photo.

Safety as for Word: the package's declared sizes are bounded before anything is inflated, and
XML parts with a DTD or entities are refused (:mod:`gkcheck.parsers.ooxml`).
"""

from __future__ import annotations

import hashlib
import io
import logging
import math
import posixpath
import re
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from lxml import etree

from gkcheck.errors import Detail, UnreadableFile
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document, Origin, Photo
from gkcheck.parsers.base import ParseOptions, Parser
from gkcheck.parsers.ooxml import Package, local
from gkcheck.parsers.pdf import PdfParser, _chars_to_lines, _footnote_rule, _Page
from gkcheck.vision.pillow import Image

__all__ = ["OfdParser"]

log = logging.getLogger(__name__)

#: Points per millimetre: OFD measures in mm, the layout code in points like PDF.
PT = 72.0 / 25.4
#: Pixels an embedded image may declare before it is refused undecoded.
MAX_IMAGE_PIXELS = 60_000_000
#: A4 portrait, the page box assumed when none is declared (mm).
A4 = (0.0, 0.0, 210.0, 297.0)
_NUM = re.compile(r"[-+]?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?|g", re.IGNORECASE)
_MEDIA = {
    "JPEG": "image/jpeg",
    "PNG": "image/png",
    "BMP": "image/bmp",
    "GIF": "image/gif",
    "TIFF": "image/tiff",
}

Box = tuple[float, float, float, float]  # x, y, width, height (mm)
Matrix = tuple[float, float, float, float, float, float]


def _attr(el: etree._Element, name: str) -> str | None:
    """An attribute by name, ignoring case and namespace (writers differ)."""
    value = el.get(name)
    if value is not None:
        return str(value)
    low = name.lower()
    for key, val in el.attrib.items():
        if str(key).rsplit("}", 1)[-1].lower() == low:
            return str(val)
    return None


def _children(el: etree._Element, name: str) -> Iterator[etree._Element]:
    low = name.lower()
    for child in el:
        if local(child).lower() == low:
            yield child


def _child(el: etree._Element, name: str) -> etree._Element | None:
    return next(_children(el, name), None)


def _text(el: etree._Element | None) -> str:
    return "" if el is None else "".join(el.itertext()).strip()


def _numbers(value: str | None, limit: int = 100_000) -> list[float]:
    """Numbers of an ST_Array, expanding the ``g N d`` shorthand (N copies of d).

    At most ``limit`` numbers: a hostile ``g 100000 1`` repeated would otherwise expand a
    small attribute into gigabytes.
    """
    if not value:
        return []
    out: list[float] = []
    tokens = _NUM.findall(value)
    i = 0
    while i < len(tokens) and len(out) < limit:
        tok = tokens[i]
        if tok.lower() == "g":
            if i + 2 < len(tokens) and tokens[i + 1].lower() != "g":
                count = min(int(float(tokens[i + 1])), limit - len(out))
                out.extend([float(tokens[i + 2])] * max(count, 0))
            i += 3
            continue
        out.append(float(tok))
        i += 1
    return out


def _box(value: str | None) -> Box | None:
    nums = _numbers(value, 4)
    if len(nums) < 4 or not all(math.isfinite(n) for n in nums[:4]):
        return None
    return nums[0], nums[1], nums[2], nums[3]


def _matrix(value: str | None) -> Matrix | None:
    nums = _numbers(value, 6)
    if len(nums) < 6 or not all(math.isfinite(n) for n in nums[:6]):
        return None
    return nums[0], nums[1], nums[2], nums[3], nums[4], nums[5]


@dataclass(frozen=True, slots=True)
class _Font:
    name: str
    bold: bool


@dataclass
class _Resources:
    """Fonts and images by resource ID, from every resource file seen so far."""

    fonts: dict[str, _Font] = field(default_factory=dict)
    media: dict[str, str] = field(default_factory=dict)  # ID → part name of the file

    def add(self, pkg: _Ofd, part: str) -> None:
        """Read one resource file (``Res`` root with its ``BaseLoc``)."""
        root = pkg.xml(part)
        base = pkg.join(posixpath.dirname(part), _attr(root, "BaseLoc") or "")
        for el in root.iter():
            name = local(el)
            rid = _attr(el, "ID")
            if not rid:
                continue
            if name == "Font":
                family = _attr(el, "FontName") or _attr(el, "FamilyName") or ""
                bold = (_attr(el, "Bold") or "").lower() == "true"
                self.fonts[rid] = _Font(family, bold)
            elif name == "MultiMedia":
                loc = _text(_child(el, "MediaFile"))
                kind = (_attr(el, "Type") or "Image").lower()
                if loc and kind == "image":
                    self.media[rid] = pkg.join(base, loc)


class _Ofd:
    """An opened, size-checked OFD package with forgiving path lookup."""

    def __init__(self, path: Path, options: ParseOptions) -> None:
        self.pkg = Package.open(path, options)
        self.pkg.check_all_xml()
        self.lower = {n.lower(): n for n in self.pkg.names}

    def find(self, name: str) -> str | None:
        """The stored name of a part (exact, then ignoring case)."""
        if name in self.pkg.names:
            return name
        return self.lower.get(name.lower())

    def join(self, base: str, loc: str) -> str:
        """Resolve a ``BaseLoc``/``MediaFile`` reference against the folder it is relative to."""
        loc = loc.strip().replace("\\", "/")
        if loc.startswith("/"):
            return posixpath.normpath(loc.lstrip("/"))
        joined = posixpath.normpath(posixpath.join(base, loc)) if base else posixpath.normpath(loc)
        if self.find(joined) is None and self.find(posixpath.normpath(loc)) is not None:
            return posixpath.normpath(loc)  # some writers give paths from the package root
        return joined

    def xml(self, name: str) -> etree._Element:
        stored = self.find(name)
        if stored is None:
            raise UnreadableFile("corrupt", detail=Detail("missing_part", name=name))
        return self.pkg.xml(stored)

    def read(self, name: str) -> bytes:
        stored = self.find(name)
        if stored is None:
            raise UnreadableFile("corrupt", detail=Detail("missing_part", name=name))
        return self.pkg.read(stored)


@dataclass
class _Drawn:
    """What one page draws, in mm, before it becomes lines and photos."""

    chars: list[dict[str, Any]] = field(default_factory=list)
    images: list[tuple[str, Box]] = field(default_factory=list)  # (resource ID, box)
    objects: int = 0  # text objects drawn so far (their drawing order)
    rules: list[Box] = field(default_factory=list)  # thin horizontal paths (footnote rules)


def _apply(m: Matrix | None, x: float, y: float) -> tuple[float, float]:
    if m is None:
        return x, y
    a, b, c, d, e, f = m
    return a * x + c * y + e, b * x + d * y + f


def _char_width(ch: str, size: float) -> float:
    if ch == "\u3000":  # an ideographic space (first-line indent): a full em
        return size
    if ch.isspace():
        return 0.3 * size
    return size if ord(ch) >= 0x2E80 else 0.55 * size


def _text_object(obj: etree._Element, res: _Resources, out: _Drawn) -> None:
    """Every character of a ``TextObject`` as a pdfplumber-like record (mm, y down)."""
    box = _box(_attr(obj, "Boundary"))
    if box is None:
        return
    bx, by = box[0], box[1]
    ctm = _matrix(_attr(obj, "CTM"))
    try:
        size = float(_attr(obj, "Size") or 0.0)
    except ValueError:
        size = 0.0
    if not math.isfinite(size) or size <= 0:
        size = 3.5  # 10 pt, when a writer leaves it out
    scale = 1.0
    upright = True
    if ctm is not None:
        a, b, c, d = ctm[:4]
        scale = math.sqrt(abs(a * d - b * c)) or 1.0
        upright = abs(b) < 1e-6 * max(abs(a), 1e-9) + 1e-9 and abs(c) < 1e-9 + 1e-6 * abs(d)
        upright = upright and a > 0 and d > 0
    eff = size * scale
    font = res.fonts.get(_attr(obj, "Font") or "", _Font("", False))
    try:
        weight = int(float(_attr(obj, "Weight") or 400))
    except ValueError:
        weight = 400
    fontname = font.name + ("-Bold" if (font.bold or weight >= 600) else "")
    serial = out.objects
    out.objects += 1
    char_dir = _attr(obj, "CharDirection") or "0"
    if char_dir not in ("0", ""):
        upright = False
    x = y = 0.0
    last_dx = 0.0
    first = len(out.chars)
    all_dx: list[float] = []
    for code in obj.iter():
        if local(code) != "TextCode":
            continue
        text = "".join(code.itertext())
        if not text:
            continue
        x_attr, y_attr = _attr(code, "X"), _attr(code, "Y")
        try:
            x = float(x_attr) if x_attr is not None else x + last_dx
            y = float(y_attr) if y_attr is not None else y
        except ValueError:
            continue
        dxs = _numbers(_attr(code, "DeltaX"), len(text))
        all_dx.extend(dxs)
        dys = _numbers(_attr(code, "DeltaY"), len(text))
        cx, cy = x, y
        for i, ch in enumerate(text):
            dx = dxs[i] if i < len(dxs) else None
            dy = dys[i] if i < len(dys) else 0.0
            own = _char_width(ch, size)
            width = dx if dx is not None and 0 < dx <= 1.5 * size else own
            px0, py = _apply(ctm, cx, cy)
            px1, _ = _apply(ctm, cx + width, cy)
            left, right = bx + min(px0, px1), bx + max(px0, px1)
            base = by + py
            out.chars.append(
                {
                    "obj": serial,
                    "base": base,
                    "text": ch,
                    "x0": left,
                    "x1": right,
                    "top": base - 0.88 * eff,
                    "bottom": base + 0.12 * eff,
                    "size": eff,
                    "fontname": fontname,
                    "upright": upright,
                }
            )
            step = dx if dx is not None else (last_dx if dxs else own)
            last_dx = step
            cx += step
            cy += dy
        x, y = cx - last_dx, cy
    # Where the run may have been spread rather than placed (see _relay_shared_boxes): its
    # box, when the run is drawn unscaled with one repeated advance.
    shared = box if ctm is None else None
    uniform = len({round(v, 6) for v in all_dx}) <= 1
    for rec in out.chars[first:]:
        rec["box"] = shared
        rec["uniform"] = uniform


def _relay_shared_boxes(drawn: _Drawn) -> int:
    """Place again the characters a writer spread over a line's box instead of placing them.

    A writer that knows only a line's box (not each glyph's place) writes each run of the
    line — a run per font: the Chinese, then a digit, then Chinese again — as a
    ``TextObject`` with the *line's* ``Boundary`` and one repeated advance, its characters
    spread evenly over the whole line; runs that it could place (a quotation mark in a font
    of its own) get boxes of their own inside that line. Sorting such characters by x would
    interleave the runs. So, on one baseline:

    * runs sharing one box are read one after another in the order they were drawn (a run
      drawn twice with the same text is a fake bold and is read once);
    * their characters fill the box, each as wide as its font size says, stretched to the
      box, *around* the boxes of placed runs that lie inside it;
    * everything else keeps its place.

    Returns the number of boxes whose characters were placed again.
    """
    runs: dict[int, list[dict[str, Any]]] = {}
    for c in drawn.chars:
        runs.setdefault(int(c["obj"]), []).append(c)
    units: dict[tuple[float, ...], list[int]] = {}
    for k, chars in runs.items():
        box = chars[0]["box"]
        if box is not None:
            key = (*(round(float(v), 2) for v in box), round(float(chars[0]["base"]), 2))
            units.setdefault(key, []).append(k)
    dropped: set[int] = set()
    for group in units.values():
        group.sort()
        texts: set[str] = set()
        for k in list(group):
            text = "".join(str(c["text"]) for c in runs[k])
            if text in texts:
                dropped.add(k)
                group.remove(k)
            texts.add(text)
    keys = list(units)
    redone = 0
    for key in keys:
        group = units[key]
        x0, width, base = key[0], key[2], key[4]
        size = float(runs[group[0]][0]["size"])
        spread = len(group) > 1 or all(bool(runs[k][0]["uniform"]) for k in group)
        inside = [
            (other[0], other[0] + other[2])
            for other in keys
            if other != key
            and abs(other[4] - base) <= 0.25 * size
            and other[2] < width
            and min(other[0] + other[2], x0 + width) - max(other[0], x0) >= 0.5 * other[2]
        ]
        if not spread or (len(group) < 2 and not inside):
            continue
        redone += 1
        _fill(
            [c for k in group for c in runs[k]], _free(x0, x0 + width, inside)
        )
    if dropped:
        drawn.chars = [c for c in drawn.chars if int(c["obj"]) not in dropped]
    return redone


def _free(x0: float, x1: float, taken: list[tuple[float, float]]) -> list[tuple[float, float]]:
    """The parts of [x0, x1] not covered by ``taken``."""
    out: list[tuple[float, float]] = []
    cursor = x0
    for a, b in sorted(taken):
        if a > cursor:
            out.append((cursor, min(a, x1)))
        cursor = max(cursor, b)
    if cursor < x1:
        out.append((cursor, x1))
    return [(a, b) for a, b in out if b > a] or [(x0, x1)]


def _fill(chars: list[dict[str, Any]], free: list[tuple[float, float]]) -> None:
    """Lay ``chars`` out left to right over the free intervals, stretched to fill them."""
    widths = [_char_width(str(c["text"]), float(c["size"])) for c in chars]
    natural = sum(widths)
    room = sum(b - a for a, b in free)
    if natural <= 0 or room <= 0:
        return
    scale = max(0.5, min(2.0, room / natural))
    i, x = 0, free[0][0]
    for c, w in zip(chars, widths, strict=True):
        step = w * scale
        while i + 1 < len(free) and x + step / 2 > free[i][1]:
            i += 1
            x = free[i][0]
        c["x0"], c["x1"] = x, x + step
        x += step


def _walk(container: etree._Element, res: _Resources, out: _Drawn, depth: int = 0) -> None:
    """Text and images of a layer, through nested page blocks."""
    if depth > 64:
        raise UnreadableFile("corrupt", detail=Detail("nesting"))
    for el in container:
        name = local(el)
        if name == "TextObject":
            _text_object(el, res, out)
        elif name == "ImageObject":
            box = _box(_attr(el, "Boundary"))
            rid = _attr(el, "ResourceID")
            if box is not None and rid:
                out.images.append((rid, box))
        elif name == "PathObject":
            box = _box(_attr(el, "Boundary"))
            if box is not None and box[3] <= 1.0 and box[2] >= 10.0 * max(box[3], 0.1):
                out.rules.append(box)
        elif name in ("PageBlock", "Layer", "Content"):
            _walk(el, res, out, depth + 1)


def _page_box(root: etree._Element) -> Box | None:
    """The page's ``Area`` (a writer may put it inside ``Content``, or call it ``PageArea``)."""
    area = next(
        (
            el
            for parent in (root, _child(root, "Content"))
            if parent is not None
            for el in parent
            if local(el) in ("Area", "PageArea")
        ),
        None,
    )
    if area is None:
        return None
    return _box(_text(_child(area, "PhysicalBox")) or _text(_child(area, "ApplicationBox")))


def _unit_fit(drawn: list[tuple[_Drawn, Box]]) -> float | None:
    """The factor to A4 when the declared page box is not in the content's unit, else None.

    A writer that declares the box in points but draws in a smaller unit leaves all content
    in a corner of the page; a report's body lines span most of the page width, so content
    ending left of the middle (or far beyond the edge) means another unit. The content is
    then scaled, the same for every page, so that its own margins fit an A4 page: sizes come
    out in points as from a PDF, and the page bands (headers, footers, page numbers) are
    where the layout code expects them.
    """
    lefts: list[float] = []
    rights: list[float] = []
    widths: list[float] = []
    for page, box in drawn:
        visible = [c for c in page.chars if str(c["text"]).strip()]
        lefts += [float(c["x0"]) - box[0] for c in visible]
        rights += [float(c["x1"]) - box[0] for c in visible]
        widths.append(box[2])
    if len(rights) < 20:
        return None
    lefts.sort()
    rights.sort()
    # the text column's edges, robust to a stray glyph or a box drawn far out
    left, right = lefts[len(lefts) // 50], rights[len(rights) * 49 // 50]
    width = max(widths)
    if width > 0 and 0.5 * width <= right <= 1.5 * width:
        return None
    return A4[2] / (right + max(left, 0.0))


def _rebase(page: _Drawn, box: Box, factor: float) -> None:
    """Content relative to the page's top-left corner, scaled by ``factor`` (mm stay mm)."""
    ox, oy = box[0], box[1]
    for c in page.chars:
        for key in ("x0", "x1"):
            c[key] = (float(c[key]) - ox) * factor
        for key in ("top", "bottom"):
            c[key] = (float(c[key]) - oy) * factor
        c["size"] = float(c["size"]) * factor
    page.images = [
        (rid, ((x - ox) * factor, (y - oy) * factor, w * factor, h * factor))
        for rid, (x, y, w, h) in page.images
    ]
    page.rules = [
        ((x - ox) * factor, (y - oy) * factor, w * factor, h * factor)
        for x, y, w, h in page.rules
    ]


class OfdParser:
    """Reads OFD documents (GB/T 33190) through the PDF layout path."""

    kind = "ofd"
    suffixes = (".ofd",)

    def sniff(self, head: bytes) -> bool:
        """A zip archive whose part names are OFD's (``OFD.xml``, ``Doc_0/…``)."""
        return head.startswith(b"PK\x03\x04") and (
            b"OFD.xml" in head or b"Doc_0/" in head or b"Document.xml" in head
        ) and b"word/" not in head

    def parse(self, path: Path, options: ParseOptions) -> Document:
        """Read the first document of the package: its pages' text and photos."""
        try:
            if path.stat().st_size == 0:
                raise UnreadableFile("empty", detail=Detail("empty", name=path.name))
        except OSError as exc:
            raise UnreadableFile("io", detail=Detail("raw", name=path.name, error=str(exc))) from exc
        ofd = _Ofd(path, options)
        if ofd.find("OFD.xml") is None:
            raise UnreadableFile("wrong-format", detail=Detail("no_ofd_xml", name=path.name))
        entry = ofd.xml("OFD.xml")
        body = next((el for el in entry.iter() if local(el) == "DocBody"), None)
        root_loc = _text(_child(body, "DocRoot")) if body is not None else ""
        if not root_loc:
            raise UnreadableFile("corrupt", detail=Detail("no_docroot", name=path.name))
        doc_part = ofd.join("", root_loc)
        doc_root = ofd.xml(doc_part)
        folder = posixpath.dirname(doc_part)
        common = _child(doc_root, "CommonData")
        res = _Resources()
        templates: dict[str, str] = {}
        default_box = A4
        if common is not None:
            default_box = _page_box(common) or A4
            for name in ("PublicRes", "DocumentRes"):
                for el in _children(common, name):
                    if _text(el):
                        _read_res(ofd, res, ofd.join(folder, _text(el)), path)
            for el in _children(common, "TemplatePage"):
                rid, loc = _attr(el, "ID"), _attr(el, "BaseLoc")
                if rid and loc:
                    templates[rid] = ofd.join(folder, loc)
        pages_el = _child(doc_root, "Pages")
        page_locs = [
            ofd.join(folder, loc)
            for el in (pages_el.iter() if pages_el is not None else ())
            if local(el) == "Page" and (loc := _attr(el, "BaseLoc"))
        ]
        if not page_locs:
            raise UnreadableFile("corrupt", detail=Detail("no_pages", name=path.name))
        notes: list[str] = []
        if len(page_locs) > options.max_pages:
            notes.append(f"only the first {options.max_pages} of {len(page_locs)} pages were read")
        drawn: list[tuple[int, _Drawn, Box]] = []
        for number, loc in enumerate(page_locs[: options.max_pages], start=1):
            try:
                page_drawn, box, relaid = self._draw(ofd, loc, res, templates, default_box)
            except UnreadableFile:
                raise
            except (etree.LxmlError, ValueError, KeyError) as exc:
                notes.append(f"page {number} could not be read: {type(exc).__name__}")
                continue
            if relaid:
                notes.append(
                    f"page {number}: {relaid} line(s) drew several runs into one box; "
                    "read in drawing order"
                )
            drawn.append((number, page_drawn, box))
        factor = _unit_fit([(d, b) for _n, d, b in drawn])
        if factor is not None:
            notes.append("the page box is not in the content's unit: content fitted to A4")
        pages: list[_Page] = []
        seen_images: set[str] = set()
        for number, page_drawn, box in drawn:
            _rebase(page_drawn, box, factor or 1.0)
            if factor is not None:
                low = max((float(c["bottom"]) for c in page_drawn.chars), default=0.0)
                box = (0.0, 0.0, A4[2], max(A4[3], 1.02 * low))
            else:
                box = (0.0, 0.0, box[2], box[3])
            page = self._page(ofd, page_drawn, res, box, number, options, notes)
            page.photos = [
                (photo, top)
                for photo, top in page.photos
                if not _seen(photo, seen_images)
            ]
            pages.append(page)
        if not pages:
            raise UnreadableFile("corrupt", detail=Detail("no_pages", name=path.name))
        doc = PdfParser()._assemble(path, pages, notes, ocr_skipped=False)
        return replace(doc, kind=self.kind)

    def _draw(
        self,
        ofd: _Ofd,
        loc: str,
        res: _Resources,
        templates: dict[str, str],
        default_box: Box,
    ) -> tuple[_Drawn, Box, int]:
        """What one page draws (mm), its declared box, and how many shared boxes were redone."""
        root = ofd.xml(loc)
        folder = posixpath.dirname(loc)
        for el in _children(root, "PageRes"):
            if _text(el):
                _read_res(ofd, res, ofd.join(folder, _text(el)), Path(loc))
        box = _page_box(root) or default_box
        drawn = _Drawn()
        under: list[etree._Element] = []
        over: list[etree._Element] = []
        for tpl in _children(root, "Template"):
            part = templates.get(_attr(tpl, "TemplateID") or "")
            if part is None or ofd.find(part) is None:
                continue
            troot = ofd.xml(part)
            content = _child(troot, "Content")
            if content is not None:
                zorder = (_attr(tpl, "ZOrder") or "Background").lower()
                (over if zorder == "foreground" else under).append(content)
        for content in [*under, *(c for c in _children(root, "Content")), *over]:
            _walk(content, res, drawn)
        return drawn, box, _relay_shared_boxes(drawn)

    def _page(
        self,
        ofd: _Ofd,
        drawn: _Drawn,
        res: _Resources,
        box: Box,
        number: int,
        options: ParseOptions,
        notes: list[str],
    ) -> _Page:
        """One page's lines and photos in points, from content relative to its corner."""
        for c in drawn.chars:
            for key in ("x0", "x1", "top", "bottom", "size"):
                c[key] = float(c[key]) * PT
        page = _Page(number=number, width=box[2] * PT, height=box[3] * PT)
        lines = _chars_to_lines(drawn.chars, number)
        page.lines = [
            ln
            for ln in lines
            if ln.x1 > 0 and ln.x0 < page.width and ln.bottom > 0 and ln.top < page.height
        ]
        rules = [(x * PT, y * PT, (x + w) * PT, (y + h) * PT) for x, y, w, h in drawn.rules]
        notes_at = _footnote_rule(page.lines, rules, 0.0, 0.0, page.width, page.height)
        if notes_at is not None:
            kept = [ln for ln in page.lines if ln.top < notes_at]
            if len(kept) < len(page.lines):
                notes.append(f"page {number}: footnotes left out of the text")
            page.lines = kept
        page.photos = self._photos(ofd, drawn, res, box, number, options)
        return page

    def _photos(
        self,
        ofd: _Ofd,
        drawn: _Drawn,
        res: _Resources,
        box: Box,
        number: int,
        options: ParseOptions,
    ) -> list[tuple[Photo, float]]:
        """Images big enough in pixels and on the page, not a page background."""
        ox, oy, width, height = box
        out: list[tuple[Photo, float]] = []
        for k, (rid, (x, y, w, h)) in enumerate(drawn.images, start=1):
            part = res.media.get(rid)
            if part is None or ofd.find(part) is None:
                continue
            if w <= 0 or h <= 0 or w * h > 0.85 * width * height:
                continue
            if min(w, h) < 0.05 * min(width, height):
                continue  # an icon, a bullet, a seal's corner
            data = ofd.read(part)
            try:
                with Image.open(io.BytesIO(data)) as im:
                    fmt = str(im.format)
                    pw, ph = im.size
            except Exception:  # noqa: BLE001 - JB2, OFD-specific or broken images: not a photo
                log.debug("image %s on page %d is not decodable", part, number)
                continue
            if fmt not in _MEDIA or pw * ph > MAX_IMAGE_PIXELS:
                continue
            if min(pw, ph) < options.min_photo_side or pw * ph < options.min_photo_area:
                continue
            top = (y - oy) * PT
            bbox = (
                round((x - ox) * PT, 1),
                round(top, 1),
                round((x - ox + w) * PT, 1),
                round((y - oy + h) * PT, 1),
            )
            placed = not _text_over(drawn, bbox)
            if not placed:
                # text drawn over the picture: a writer that does not know where pictures
                # go (one puts them all in the top corner); keep the photo, not its place
                top = height * PT
            photo = Photo(
                ref=f"page{number}-img{k}",
                width=pw,
                height=ph,
                data=data,
                media_type=_MEDIA[fmt],
                origin=Origin(container="page", page=number, bbox=bbox if placed else None),
            )
            out.append((photo, top))
        return out


def _text_over(drawn: _Drawn, bbox: tuple[float, float, float, float]) -> bool:
    """Whether two or more lines of text (points) are drawn inside a picture's box."""
    x0, top, x1, bottom = bbox
    rows = {
        round(float(c["bottom"]))
        for c in drawn.chars
        if str(c["text"]).strip()
        and x0 < (float(c["x0"]) + float(c["x1"])) / 2 < x1
        and top < (float(c["top"]) + float(c["bottom"])) / 2 < bottom
    }
    return len(rows) >= 2


def _seen(photo: Photo, seen: set[str]) -> bool:
    """Whether the same image was placed already (a writer repeating it on every page)."""
    key = hashlib.sha256(photo.data or b"").hexdigest()
    if key in seen:
        return True
    seen.add(key)
    return False


def _read_res(ofd: _Ofd, res: _Resources, part: str, path: Path) -> None:
    if ofd.find(part) is None:
        log.debug("%s: resource file %s is missing", path, part)
        return
    res.add(ofd, part)


@hookimpl
def gkcheck_register_parsers() -> list[Parser]:
    """Register the OFD reader."""
    return [OfdParser()]
