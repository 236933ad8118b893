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
from PIL import Image

from gkcheck.errors import UnreadableFile
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Document, Origin, Photo
from gkcheck.parsers.base import ParseOptions, Parser
from gkcheck.parsers.ooxml import Package, local
from gkcheck.parsers.pdf import PdfParser, _chars_to_lines, _Page

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
            raise UnreadableFile("corrupt", detail=f"missing part {name}")
        return self.pkg.xml(stored)

    def read(self, name: str) -> bytes:
        stored = self.find(name)
        if stored is None:
            raise UnreadableFile("corrupt", detail=f"missing part {name}")
        return self.pkg.read(stored)


@dataclass
class _Drawn:
    """What one page draws, in mm, before it becomes lines and photos."""

    chars: list[dict[str, Any]] = field(default_factory=list)
    images: list[tuple[str, Box]] = field(default_factory=list)  # (resource ID, box)
    objects: int = 0  # text objects drawn so far (their drawing order)


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
    # How far the object's box exceeds what its glyphs need: ~1 for a writer that places
    # glyphs, far more for one that spreads a run over its whole line.
    mine = out.chars[first:]
    natural = sum(_char_width(str(rec["text"]), size) for rec in mine) * scale
    spread = box[2] / natural if natural > 0 else 1.0
    for rec in mine:
        rec["spread"] = spread


def _relay_overlaps(drawn: _Drawn) -> int:
    """Put runs that a writer drew on top of each other back side by side, in drawing order.

    A writer that knows only a stretch of a line spreads each run of it (a run per font: the
    Chinese, then a digit, then Chinese again) evenly over that whole stretch, so sorting the
    characters by x would interleave the runs. Runs on one baseline that overlap by more than
    half, one of them spaced far beyond what its glyphs need, are laid out again one after
    another in the order they were drawn, each character as wide as its font size says; runs
    placed exactly keep their places. Returns the number of groups laid out again.
    """
    runs: dict[int, list[dict[str, Any]]] = {}
    for c in drawn.chars:
        runs.setdefault(int(c["obj"]), []).append(c)
    order = sorted(runs, key=lambda k: float(runs[k][0]["base"]))
    rows: list[list[int]] = []
    for k in order:
        base, size = float(runs[k][0]["base"]), float(runs[k][0]["size"])
        if rows and abs(float(runs[rows[-1][0]][0]["base"]) - base) <= 0.25 * size:
            rows[-1].append(k)
        else:
            rows.append([k])
    redone = 0
    for row in rows:
        for group in _overlapping(row, runs):
            redone += 1
            x = min(float(c["x0"]) for k in group for c in runs[k])
            for k in sorted(group):
                for c in runs[k]:
                    width = _char_width(str(c["text"]), float(c["size"]))
                    c["x0"], c["x1"] = x, x + width
                    x += width
    return redone


def _overlapping(row: list[int], runs: dict[int, list[dict[str, Any]]]) -> list[list[int]]:
    """Groups of runs joined by overlaps of half their width where one run is spread out.

    Runs placed exactly (a quotation mark in its own font inside a line of Chinese) overlap
    a spread run's box too, but not by half of their own width and spacing both, and sorting
    by x puts them right.
    """
    spans = {
        k: (
            min(float(c["x0"]) for c in runs[k]),
            max(float(c["x1"]) for c in runs[k]),
            float(runs[k][0]["spread"]),
        )
        for k in row
    }
    parent = {k: k for k in row}

    def find(k: int) -> int:
        while parent[k] != k:
            k = parent[k]
        return k

    for i, a in enumerate(row):
        a0, a1, sa = spans[a]
        for b in row[i + 1 :]:
            b0, b1, sb = spans[b]
            shared = min(a1, b1) - max(a0, b0)
            if max(sa, sb) > 2.0 and shared > 0.5 * max(min(a1 - a0, b1 - b0), 1e-9):
                parent[find(a)] = find(b)
    groups: dict[int, list[int]] = {}
    for k in row:
        groups.setdefault(find(k), []).append(k)
    return [g for g in groups.values() if len(g) > 1]


def _walk(container: etree._Element, res: _Resources, out: _Drawn, depth: int = 0) -> None:
    """Text and images of a layer, through nested page blocks."""
    if depth > 64:
        raise UnreadableFile("corrupt", detail="page blocks nested too deep")
    for el in container:
        name = local(el)
        if name == "TextObject":
            _text_object(el, res, out)
        elif name == "ImageObject":
            box = _box(_attr(el, "Boundary"))
            rid = _attr(el, "ResourceID")
            if box is not None and rid:
                out.images.append((rid, box))
        elif name in ("PageBlock", "Layer", "Content"):
            _walk(el, res, out, depth + 1)


def _page_box(root: etree._Element) -> Box | None:
    area = _child(root, "Area") or _child(root, "PageArea")
    if area is None:
        return None
    return _box(_text(_child(area, "PhysicalBox")) or _text(_child(area, "ApplicationBox")))


def _fit_box(box: Box, drawn: _Drawn) -> Box:
    """The page box, or one fitted to the content when the declared one is in another unit.

    A writer that declares the box in points but draws in a smaller unit leaves all content
    in a corner; the layout code's page bands (headers, footers, page numbers) would then be
    wrong. Content well inside a fraction of the box, or spilling far out of it, gets an A4
    box around it with the content's own margins.
    """
    xs = [float(c["x0"]) for c in drawn.chars] + [b[0] for _r, b in drawn.images]
    xe = [float(c["x1"]) for c in drawn.chars] + [b[0] + b[2] for _r, b in drawn.images]
    ye = [float(c["bottom"]) for c in drawn.chars] + [b[1] + b[3] for _r, b in drawn.images]
    if not xs:
        return box
    right, low = max(xe), max(ye)
    w, h = box[2], box[3]
    if w <= 0 or h <= 0 or right > 1.5 * w or (right < 0.35 * w and low < 0.35 * h):
        width = right + max(min(xs), 0.0)
        return (0.0, 0.0, width, max(width * 297 / 210, low * 1.05))
    return box


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
                raise UnreadableFile("empty", detail=f"{path.name}: the file is empty (0 bytes)")
        except OSError as exc:
            raise UnreadableFile("io", detail=f"{path.name}: {exc}") from exc
        ofd = _Ofd(path, options)
        if ofd.find("OFD.xml") is None:
            raise UnreadableFile("wrong-format", detail=f"{path.name}: no OFD.xml in the package")
        entry = ofd.xml("OFD.xml")
        body = next((el for el in entry.iter() if local(el) == "DocBody"), None)
        root_loc = _text(_child(body, "DocRoot")) if body is not None else ""
        if not root_loc:
            raise UnreadableFile("corrupt", detail=f"{path.name}: OFD.xml names no DocRoot")
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
            raise UnreadableFile("corrupt", detail=f"{path.name}: the document has no pages")
        notes: list[str] = []
        if len(page_locs) > options.max_pages:
            notes.append(f"only the first {options.max_pages} of {len(page_locs)} pages were read")
        pages: list[_Page] = []
        seen_images: set[str] = set()
        for number, loc in enumerate(page_locs[: options.max_pages], start=1):
            try:
                page, relaid = self._page(ofd, loc, number, res, templates, default_box, options)
            except UnreadableFile:
                raise
            except (etree.LxmlError, ValueError, KeyError) as exc:
                notes.append(f"page {number} could not be read: {type(exc).__name__}")
                continue
            if relaid:
                notes.append(
                    f"page {number}: {relaid} line(s) drew runs over each other; "
                    "read in drawing order"
                )
            page.photos = [
                (photo, top)
                for photo, top in page.photos
                if not _seen(photo, seen_images)
            ]
            pages.append(page)
        if not pages:
            raise UnreadableFile("corrupt", detail=f"{path.name}: no page could be read")
        doc = PdfParser()._assemble(path, pages, notes, ocr_skipped=False)
        return replace(doc, kind=self.kind)

    def _page(
        self,
        ofd: _Ofd,
        loc: str,
        number: int,
        res: _Resources,
        templates: dict[str, str],
        default_box: Box,
        options: ParseOptions,
    ) -> tuple[_Page, int]:
        """One page's lines and photos, and how many of its rows had overlapping runs."""
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
        relaid = _relay_overlaps(drawn)
        box = _fit_box(box, drawn)
        ox, oy, width, height = box
        for c in drawn.chars:
            for key in ("x0", "x1", "top", "bottom"):
                shift = ox if key.startswith("x") else oy
                c[key] = (float(c[key]) - shift) * PT
            c["size"] = float(c["size"]) * PT
        page = _Page(number=number, width=width * PT, height=height * PT)
        lines = _chars_to_lines(drawn.chars, number)
        page.lines = [
            ln
            for ln in lines
            if ln.x1 > 0 and ln.x0 < page.width and ln.bottom > 0 and ln.top < page.height
        ]
        page.photos = self._photos(ofd, drawn, res, box, number, options)
        return page, relaid

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
            photo = Photo(
                ref=f"page{number}-img{k}",
                width=pw,
                height=ph,
                data=data,
                media_type=_MEDIA[fmt],
                origin=Origin(
                    container="page",
                    page=number,
                    bbox=(
                        round((x - ox) * PT, 1),
                        round(top, 1),
                        round((x - ox + w) * PT, 1),
                        round((y - oy + h) * PT, 1),
                    ),
                ),
            )
            out.append((photo, top))
        return out


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
