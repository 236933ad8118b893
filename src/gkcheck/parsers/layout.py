"""Page geometry shared by the PDF and image parsers: text lines → paragraphs.

A PDF text layer and an OCR'd picture both end up as *lines with boxes*; how a reader decides
where a paragraph starts is the same for both (a first-line indent, a wider gap, a previous
line that stops short after a full stop, a change of size or alignment), so that logic lives
here once. Sizes are whatever unit the caller uses (points for PDF text, pixels for OCR); all
thresholds are relative to the text size, never absolute.
"""

from __future__ import annotations

import itertools
import math
import re
import statistics
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from collections.abc import Iterable, Sequence

__all__ = [
    "Column",
    "Line",
    "Paragraph",
    "column_of",
    "deskew",
    "is_cjk",
    "is_page_number",
    "join_lines",
    "margin_furniture",
    "paragraphs",
    "reading_order",
    "repeated_furniture",
]

#: Characters after which a line that stops short ends its paragraph.
TERMINAL = "。！？!?…；;：:”』」）)"
_PAGE_NUMBER = re.compile(
    r"""^(?:
        [-—–－~～·\s]*\d{1,4}[-—–－~～·\s]*              # - 1 -   —2—   3
      | 第\s*\d{1,4}\s*页(?:\s*[,，/、]?\s*共\s*\d{1,4}\s*页)?   # 第 1 页 共 3 页
      | 共\s*\d{1,4}\s*页\s*[,，]?\s*第\s*\d{1,4}\s*页          # 共 3 页 第 1 页
      | \d{1,4}\s*/\s*\d{1,4}                             # 1/3
      | (?:page|p\.)\s*\d{1,4}(?:\s*(?:of|/)\s*\d{1,4})?    # Page 1 of 3
      | [\[(（]\s*\d{1,4}\s*[\])）]                          # (1)
    )$""",
    re.IGNORECASE | re.VERBOSE,
)


def is_cjk(ch: str) -> bool:
    """Whether ``ch`` is a CJK ideograph or CJK punctuation/full-width form."""
    o = ord(ch)
    return (
        0x4E00 <= o <= 0x9FFF
        or 0x3400 <= o <= 0x4DBF
        or 0x3000 <= o <= 0x303F
        or 0xFF00 <= o <= 0xFFEF
        or 0x2018 <= o <= 0x201F  # “ ” ‘ ’ are set full-width in Chinese text
        or o == 0x2026
        or 0xF900 <= o <= 0xFAFF
        or 0x20000 <= o <= 0x2FA1F
    )


def join_lines(a: str, b: str) -> str:
    """Join two wrapped lines the way the author typed them.

    Chinese wraps anywhere and has no spaces, so CJK on either side of the break joins
    directly; two Latin/digit words keep one space; a hyphenated Latin word is rejoined.
    """
    a = a.rstrip()
    b = b.lstrip()
    if not a:
        return b
    if not b:
        return a
    left, right = a[-1], b[0]
    if is_cjk(left) or is_cjk(right):
        return a + b
    if left == "-" and len(a) > 1 and a[-2].isalpha() and right.islower():
        return a[:-1] + b
    return a + " " + b


def is_page_number(text: str) -> bool:
    """Whether a line is a page number in one of the forms Chinese offices print."""
    t = text.strip()
    return bool(t) and len(t) <= 24 and bool(_PAGE_NUMBER.match(t))


@dataclass(frozen=True, slots=True)
class Line:
    """One visual line of text with its box (top-left origin, y grows downwards)."""

    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float  # font size (pt) or text height (px)
    page: int = 1
    bold: bool | None = None
    ocr: bool = False

    @property
    def height(self) -> float:
        """Box height."""
        return self.bottom - self.top

    @property
    def center_x(self) -> float:
        """Horizontal centre."""
        return (self.x0 + self.x1) / 2.0


@dataclass(frozen=True, slots=True)
class Column:
    """The text column of a page (or document): left and right edges of body text."""

    left: float
    right: float

    @property
    def width(self) -> float:
        """Column width."""
        return max(1.0, self.right - self.left)

    @property
    def center(self) -> float:
        """Column centre."""
        return (self.left + self.right) / 2.0


@dataclass(slots=True)
class Paragraph:
    """Consecutive lines read as one paragraph, with the style hints they share."""

    lines: list[Line] = field(default_factory=list)
    text: str = ""
    centered: bool = False
    indent: float = 0.0  # first-line indent in characters

    @property
    def page(self) -> int:
        """Page of the first line."""
        return self.lines[0].page

    @property
    def top(self) -> float:
        """Top of the first line (on its page)."""
        return self.lines[0].top

    @property
    def size(self) -> float:
        """Median size of the lines, weighted by their text length."""
        sizes: list[float] = []
        for ln in self.lines:
            sizes.extend([ln.size] * max(1, min(len(ln.text), 60)))
        return float(statistics.median(sizes))

    @property
    def bold(self) -> bool | None:
        """Bold when most of the text is bold; unknown when no line knows."""
        known = [(ln.bold, len(ln.text)) for ln in self.lines if ln.bold is not None]
        if not known:
            return None
        bold = sum(n for b, n in known if b)
        return bold * 2 > sum(n for _, n in known)

    @property
    def ocr(self) -> bool:
        """Whether any line was read by OCR."""
        return any(ln.ocr for ln in self.lines)

    def bbox_on(self, page: int) -> tuple[float, float, float, float]:
        """Hull of the paragraph's lines on ``page`` (the first page when none there)."""
        lines = [ln for ln in self.lines if ln.page == page] or self.lines
        return (
            min(ln.x0 for ln in lines),
            min(ln.top for ln in lines),
            max(ln.x1 for ln in lines),
            max(ln.bottom for ln in lines),
        )


def column_of(lines: Sequence[Line]) -> Column | None:
    """The body text column: the left and right edges most long lines share.

    Justified body lines all start at the left margin (after the first line's indent) and
    end at the right one, so the edges that *repeat* among long lines are the margins;
    titles and captions are centred and never repeat edges. Falls back to the extremes when
    nothing repeats (one-paragraph pages).
    """
    if not lines:
        return None
    sizes = [ln.size for ln in lines if ln.size > 0]
    unit = statistics.median(sizes) if sizes else 10.0
    tol = max(1.0, unit * 0.5)
    long_lines = [ln for ln in lines if len(ln.text) >= 8] or list(lines)

    def repeated_edge(values: list[float], lowest: bool) -> float | None:
        buckets: dict[int, list[float]] = {}
        for v in values:
            buckets.setdefault(int(v // tol), []).append(v)
        # merge neighbouring buckets so values straddling a boundary count together
        counts = {k: len(buckets.get(k, [])) + len(buckets.get(k + 1, [])) for k in buckets}
        best = max(counts.values())
        if best < 2:
            return None
        strong = [k for k, c in counts.items() if c >= max(2, best * 0.5)]
        k = min(strong) if lowest else max(strong)
        vals = buckets[k] + buckets.get(k + 1, [])
        return min(vals) if lowest else max(vals)

    left = repeated_edge([ln.x0 for ln in long_lines], True)
    right = repeated_edge([ln.x1 for ln in long_lines], False)
    if left is None:
        left = min(ln.x0 for ln in lines)
    if right is None:
        right = max(ln.x1 for ln in lines)
    if right - left < unit * 4:
        left = min(ln.x0 for ln in lines)
        right = max(ln.x1 for ln in lines)
    return Column(left, right)


def _core(line: Line) -> tuple[float, float]:
    """The vertical extent of a line used for horizontal cuts (its whole box)."""
    mid = (line.top + line.bottom) / 2
    half = max(line.bottom - line.top, 0.0) * 0.5
    return mid - half, mid + half


def reading_order(lines: Sequence[Line]) -> list[Line]:
    """Line segments of one page in reading order, by recursive XY cuts.

    Rows separated by horizontal whitespace are read top to bottom; within a band that no
    horizontal cut divides, a vertical gutter splits side-by-side cells or text boxes when
    at least one side holds several rows (so a 1×2 table's two cells are read one after
    the other); segments of a single row are rejoined, left to right, with a space.
    """
    items = list(lines)
    if len(items) <= 1:
        return items
    items.sort(key=lambda ln: _core(ln)[0])
    bands: list[list[Line]] = []
    lowest = -math.inf
    for ln in items:
        top, bottom = _core(ln)
        if bands and top < lowest:
            bands[-1].append(ln)
            lowest = max(lowest, bottom)
        else:
            bands.append([ln])
            lowest = bottom
    if len(bands) > 1:
        return [x for band in bands for x in reading_order(band)]
    band = sorted(items, key=lambda ln: ln.x0)
    cols: list[list[Line]] = []
    right = -math.inf
    for ln in band:
        if cols and ln.x0 <= right + 0.5 * ln.size:
            cols[-1].append(ln)
            right = max(right, ln.x1)
        else:
            cols.append([ln])
            right = ln.x1
    if len(cols) > 1 and any(len(_rows(c)) >= 2 for c in cols):
        return [x for col in cols for x in reading_order(col)]
    return [_merge_row(row) for row in _rows(items)]


def _rows(lines: Sequence[Line]) -> list[list[Line]]:
    """Segments grouped into visual rows (centres within half a line height)."""
    rows: list[list[Line]] = []
    for ln in sorted(lines, key=lambda x: (x.top + x.bottom) / 2):
        mid = (ln.top + ln.bottom) / 2
        if rows:
            last = rows[-1]
            lmid = sum((x.top + x.bottom) / 2 for x in last) / len(last)
            if abs(mid - lmid) <= 0.5 * min(ln.height, min(x.height for x in last)):
                last.append(ln)
                continue
        rows.append([ln])
    return rows


def _merge_row(row: Sequence[Line]) -> Line:
    """Segments of one row as one line, left to right, a space between them."""
    parts = sorted(row, key=lambda x: x.x0)
    if len(parts) == 1:
        return parts[0]
    total = sum(len(p.text) for p in parts)
    size = sum(p.size * len(p.text) for p in parts) / max(total, 1)
    bold_n = sum(len(p.text) for p in parts if p.bold)
    return Line(
        text=" ".join(p.text for p in parts),
        x0=min(p.x0 for p in parts),
        top=min(p.top for p in parts),
        x1=max(p.x1 for p in parts),
        bottom=max(p.bottom for p in parts),
        size=size,
        page=parts[0].page,
        bold=None if all(p.bold is None for p in parts) else bold_n * 2 > total,
        ocr=any(p.ocr for p in parts),
    )


def _is_centered(line: Line, col: Column) -> bool:
    """Centred: centre near the column centre with both margins clearly open."""
    unit = max(line.size, 1.0)
    margin_l = line.x0 - col.left
    margin_r = col.right - line.x1
    if margin_l < unit * 1.5 or margin_r < unit * 1.5:
        return False
    return abs(line.center_x - col.center) <= max(unit * 1.2, col.width * 0.04)


def _indent_chars(line: Line, col: Column) -> float:
    """First-line indent in characters, rounded to halves."""
    unit = max(line.size, 1.0)
    return max(0.0, round((line.x0 - col.left) / unit * 2) / 2)


def _ends_short(line: Line, col: Column) -> bool:
    """The line stops clearly before the right margin."""
    return col.right - line.x1 > max(line.size, 1.0) * 1.5


def _typical_gap(lines: Sequence[Line]) -> dict[int, float]:
    """The usual gap between consecutive lines of a page, as a fraction of the text size."""
    gaps: dict[int, list[float]] = {}
    for a, b in itertools.pairwise(lines):
        if a.page != b.page or a.size <= 0:
            continue
        g = (b.top - a.bottom) / a.size
        if -0.5 < g < 3.0 and abs(a.size - b.size) < 0.15 * a.size:
            gaps.setdefault(a.page, []).append(g)
    out: dict[int, float] = {}
    all_gaps = [g for gs in gaps.values() for g in gs]
    default = statistics.median(all_gaps) if all_gaps else 0.3
    for page in {ln.page for ln in lines}:
        gs = gaps.get(page)
        out[page] = statistics.median(gs) if gs and len(gs) >= 3 else default
    return out


def paragraphs(
    lines: Sequence[Line],
    columns: dict[int, Column] | Column,
    pictures: Iterable[tuple[int, float, float, float, float]] = (),
) -> list[Paragraph]:
    """Group lines (in reading order, possibly over several pages) into paragraphs.

    A new paragraph starts where a reader sees one: the line is indented (≥ 1.5 em past the
    left margin — two full-width spaces), the size or alignment changes, the vertical gap is
    clearly wider than the page's line spacing, the previous line stopped short of the
    right margin after sentence-ending punctuation (or very short, whatever it ended with).
    A page break alone never ends a paragraph, so a paragraph continues onto the next page
    when the new page's first line is not indented; a picture between two lines
    (``pictures``: ``(page, x0, top, x1, bottom)``) is treated the same way, and text
    wrapped beside a picture measures its margins from the picture's edge.
    """
    gaps = _typical_gap(lines)
    boxes = list(pictures)
    margins = _wrap_margins(lines, boxes)
    weighted = [ln.size for ln in lines for _ in range(min(len(ln.text), 40))]
    body = statistics.median(weighted) if weighted else 0.0
    out: list[Paragraph] = []
    cur: Paragraph | None = None
    prev: Line | None = None
    prev_align = ""
    prev_col: Column | None = None
    for ln in lines:
        col = columns if isinstance(columns, Column) else columns.get(ln.page)
        if col is None:
            col = Column(ln.x0, ln.x1)
        col = _beside_pictures(ln, col, boxes, margins)
        align = _alignment(ln, col)
        if cur is None or prev is None:
            start = True
        else:
            walled = any(
                p == ln.page
                and prev.page == ln.page
                and y0 <= ln.top + 1
                and y1 >= prev.bottom - 1
                and ln.top - prev.bottom > 0.5 * ln.size
                for p, _x0, y0, _x1, y1 in boxes
            )
            start = _breaks(
                prev, ln, col, gaps, prev_align, align, cur, body, walled, prev_col or col
            )
        if start or cur is None:
            cur = Paragraph(
                lines=[ln],
                text=ln.text,
                centered=align == "centred",
                indent=0.0 if align == "centred" else _indent_chars(ln, col),
            )
            out.append(cur)
        else:
            if align == "centred" and not cur.centered and len(cur.lines) == 1:
                # a full-width first line wrapped onto a centred one: a centred title
                cur.centered, cur.indent = True, 0.0
            cur.lines.append(ln)
            cur.text = join_lines(cur.text, ln.text)
        prev, prev_align, prev_col = ln, align, col
    return out


def _picture_side(line: Line, box: tuple[int, float, float, float, float]) -> str | None:
    """'left' or 'right' when ``line`` wraps beside the picture ``box`` on that side."""
    page, x0, top, x1, bottom = box
    # a picture wraps the text lines whose line *slot* (glyphs plus leading, about one more
    # text size) it overlaps: the last line cut short often starts just under its box
    reach = 0.8 * line.size
    if page != line.page or bottom <= line.top - reach or top >= line.bottom + reach:
        return None
    # a full-width punctuation box at the line end may reach into the wrap distance, and
    # a picture's box found from pixels (a scan) is rougher still
    overlap = max(1.0, (1.0 if line.ocr else 0.5) * line.size)
    if x1 <= line.x0 + overlap:
        return "left"
    if x0 >= line.x1 - overlap:
        return "right"
    return None


def _wrap_margins(
    lines: Sequence[Line], boxes: Sequence[tuple[int, float, float, float, float]]
) -> dict[int, float]:
    """Where the text beside each left-hand picture starts (picture index → x).

    The lines that wrap to the right of a picture share a left edge after the wrap distance;
    the smallest start among them (first lines are indented) is that edge, measured rather
    than guessed, so a first-line indent beside the picture reads as one whatever the wrap
    distance or however rough a scanned picture's box is. Needs two lines beside the picture.
    """
    out: dict[int, float] = {}
    for i, box in enumerate(boxes):
        beside = [ln for ln in lines if _picture_side(ln, box) == "left"]
        if len(beside) >= 2:
            start = min(ln.x0 for ln in beside)
            # a wrap distance is under about a character; further off, every line beside the
            # picture starts a paragraph (a centred caption, an indented first line)
            if start - box[3] <= 1.2 * max(ln.size for ln in beside):
                out[i] = start
    return out


def _beside_pictures(
    line: Line,
    col: Column,
    boxes: Sequence[tuple[int, float, float, float, float]],
    margins: dict[int, float] | None = None,
) -> Column:
    """The column left to a line that text wraps beside a picture (square or tight wrapping)."""
    left, right = col.left, col.right
    measured: float | None = None
    for i, box in enumerate(boxes):
        side = _picture_side(line, box)
        if side == "left" and box[3] > left:
            left = box[3]
            measured = (margins or {}).get(i)
        elif side == "right" and box[1] < right:
            right = box[1]
    if (left, right) == (col.left, col.right) or right - left < line.size * 2:
        return col
    if left != col.left and measured is not None:
        return Column(max(left, measured), right)
    # the wrap gap beside the picture is not an indent
    gap = min(line.size, max(0.0, line.x0 - left)) if left != col.left else 0.0
    return Column(left + gap, right)


def _alignment(line: Line, col: Column) -> str:
    """'centred', 'full' (spans the column), 'indented' or 'left'."""
    unit = max(line.size, 1.0)
    if _is_centered(line, col):
        return "centred"
    if line.x0 - col.left >= 1.5 * unit:
        return "indented"
    if col.right - line.x1 < 1.5 * unit:
        return "full"
    return "left"


def _breaks(
    prev: Line,
    ln: Line,
    col: Column,
    gaps: dict[int, float],
    prev_align: str,
    align: str,
    cur: Paragraph,
    body: float = 0.0,
    walled: bool = False,
    prev_col: Column | None = None,
) -> bool:
    """Whether ``ln`` starts a new paragraph after ``prev`` (``cur`` holds ``prev``).

    ``walled``: a picture sits between the two lines; like a page break it ends nothing by
    itself (text flows around floating pictures), so only indent, alignment, size and a
    short previous line decide.
    """
    unit = max(min(prev.size, ln.size), 1e-6)
    tolerance = 0.2 if (prev.ocr or ln.ocr) else 0.15  # OCR sizes are estimates
    if abs(prev.size - ln.size) > tolerance * max(prev.size, ln.size):
        return True
    ends_sentence = bool(prev.text) and prev.text[-1] in "。！？!?"
    pcol = prev_col or col
    if prev.page == ln.page and not walled:
        gap = (ln.top - prev.bottom) / unit
        if gap < -0.5:
            return True  # goes back up: another column or a stray box
        if body > 0 and prev.size >= 1.1 * body and not ends_sentence and gap < 3.0 and _fills(prev, pcol, 4.0):
            # big type that (nearly) filled the column wraps onto the next line (a two-line
            # title; line-breaking rules may leave a few characters open);
            # its line gap is its own (1.5 spacing, a document grid), not the body's
            return False
        typical = gaps.get(ln.page, 0.3)
        if gap > typical + max(0.45, typical * 0.6):
            # a wide gap ends the paragraph, unless the line before it filled the column
            # without ending its sentence and the next one is neither indented nor centred:
            # the page break of pages scanned into one long picture, or a blank slot
            return not (
                _fills(prev, pcol)
                and bool(prev.text)
                and prev.text[-1] not in TERMINAL
                and align in ("full", "left")
            )
        if body > 0 and prev.size >= 1.1 * body and not ends_sentence:
            return False  # big type wrapped over lines: a title, whatever its alignment
    if walled and align == "centred" and prev_align != "centred":
        return True  # a centred line after a picture: its caption
    if align == "centred":
        if prev_align == "centred":
            # a wrapped centred title or caption: its first line filled the column
            return ends_sentence or not _fills(prev, pcol, 3.0)
        # a centred last line of a centred block whose first line filled the column
        head = cur.lines[0]
        return not (
            prev_align == "full"
            and cur.centered is False
            and abs(head.x0 - col.left) < 0.5 * unit
            and len(cur.lines) == 1
            and not ends_sentence
            and _mostly_cjk(prev.text)
            and prev.size > 0
            and _title_like(prev, cur)
        )
    if prev_align == "centred":
        return True
    if align == "indented":
        return True  # first-line indent
    if _ends_short(prev, pcol):
        shortfall = pcol.right - prev.x1
        if shortfall < _first_word_width(ln) + 0.5 * unit:
            return False  # the next line's first Latin word or number did not fit
        if prev.text and prev.text[-1] in TERMINAL:
            return True
        if shortfall > 4.0 * unit and _mostly_cjk(prev.text):
            return True  # a short CJK line ends its paragraph whatever it ends with
    return False


def _fills(line: Line, col: Column, ems: float = 1.5) -> bool:
    """The line spans the column but for ``ems`` characters (it was wrapped, not ended)."""
    return line.x1 - line.x0 >= col.width - ems * max(line.size, 1.0)


def _first_word_width(line: Line) -> float:
    """Estimated width of a line's leading Latin word or number (0 when it starts CJK)."""
    m = re.match(r"[A-Za-z0-9@#%&+\-_.:/]+", line.text)
    if not m or not line.text:
        return 0.0
    return (line.x1 - line.x0) * len(m.group(0)) / len(line.text)


def _title_like(prev: Line, cur: Paragraph) -> bool:
    """A one-line block that filled the column and has no sentence punctuation inside."""
    del prev
    return not any(c in cur.text for c in "。；;")


def _mostly_cjk(text: str) -> bool:
    chars = [c for c in text if not c.isspace()]
    return bool(chars) and sum(is_cjk(c) for c in chars) * 2 >= len(chars)


def _shape(text: str) -> str:
    """A line's text with digits masked: '- 3 -' and '- 4 -' share one shape."""
    return re.sub(r"\d+", "#", re.sub(r"\s+", "", text))


def repeated_furniture(
    pages: Sequence[Sequence[Line]],
    heights: Sequence[float],
    band: float = 0.12,
) -> set[tuple[int, int]]:
    """Running headers and footers: lines in the top/bottom band repeated on most pages.

    Returns ``(page_index, line_index)`` pairs to drop. Needs ≥ 2 pages; a line counts as
    repeated when a line of the same shape (digits masked) sits in the same band on at
    least 60 % of the pages. Page numbers are caught separately by :func:`is_page_number`.
    """
    drop: set[tuple[int, int]] = set()
    if len(pages) < 2:
        return drop
    seen: dict[tuple[str, str], set[int]] = {}
    where: dict[tuple[str, str], list[tuple[int, int]]] = {}
    for pi, (lines, h) in enumerate(zip(pages, heights, strict=True)):
        for li, ln in enumerate(lines):
            if ln.bottom <= h * band:
                zone = "top"
            elif ln.top >= h * (1 - band):
                zone = "bottom"
            else:
                continue
            key = (zone, _shape(ln.text))
            if not key[1]:
                continue
            seen.setdefault(key, set()).add(pi)
            where.setdefault(key, []).append((pi, li))
    need = max(2, math.ceil(len(pages) * 0.6))
    for key, pset in seen.items():
        if len(pset) >= need:
            drop.update(where[key])
    return drop


def margin_furniture(lines: Sequence[Line], height: float, body_size: float) -> set[int]:
    """Indexes of header and footer lines printed in the page margins (even on one page).

    Word and WPS put headers and footers inside the top and bottom margins (≤ ~2 cm from
    the edge) while the body starts below 2.5 cm; a line there, no bigger than body text
    and set apart from the body by a clear gap, is furniture, not report text. Works for a
    PDF page (points) and for a scanned page picture (pixels) alike.
    """
    out: set[int] = set()
    if not lines or body_size <= 0:
        return out
    top_band = height * 0.075
    foot_band = height * 0.93
    for i, ln in enumerate(lines):
        if ln.size > body_size * 1.05:
            continue
        if ln.bottom <= top_band:
            nxt = next((o for o in lines[i + 1 :] if o.top > top_band), None)
            if nxt is None or nxt.top - ln.bottom > 1.2 * ln.size:
                out.add(i)
        elif ln.top >= foot_band:
            prv = next((o for o in reversed(lines[:i]) if o.bottom < foot_band), None)
            if prv is None or ln.top - prv.bottom > 1.2 * ln.size:
                out.add(i)
    return out


def deskew(
    boxes: Iterable[tuple[str, Sequence[tuple[float, float]], float]],
) -> tuple[float, list[tuple[str, tuple[float, float, float, float], float]]]:
    """Undo a small page rotation on OCR quads; returns (angle in degrees, upright boxes).

    A scan turned by 1.5° moves the left margin by ~45 px over an A4 page at 150 dpi, more
    than a first-line indent; rotating every quad back around the page origin by the median
    baseline angle of the long lines restores straight margins without re-running OCR.
    ``boxes`` are (text, four corner points, text height).
    """
    items = list(boxes)
    angles: list[float] = []
    for _text, quad, height in items:
        (x0, y0), (x1, y1) = quad[0], quad[1]
        (x3, y3), (x2, y2) = quad[3], quad[2]
        dx = (x1 - x0 + x2 - x3) / 2
        dy = (y1 - y0 + y2 - y3) / 2
        if dx > 6 * max(height, 1.0):
            angles.append(math.atan2(dy, dx))
    angle = statistics.median(angles) if len(angles) >= 3 else 0.0
    if abs(angle) > math.radians(5):
        angle = 0.0  # not a small scan skew: leave it to the reader
    c, s = math.cos(-angle), math.sin(-angle)
    out: list[tuple[str, tuple[float, float, float, float], float]] = []
    for text, quad, height in items:
        pts = [(x * c - y * s, x * s + y * c) for x, y in quad]
        xs = [p[0] for p in pts]
        ys = [p[1] for p in pts]
        out.append((text, (min(xs), min(ys), max(xs), max(ys)), height))
    return math.degrees(angle), out
