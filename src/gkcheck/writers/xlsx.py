"""``summary.xlsx``: one row per submission, one column per rule, for the openness office.

A reviewer sorts and filters the sheet in WPS/Excel, so every row carries the unit, the
submission, its news report and a pass/fail cell per rule (coloured, with a frozen header and
an auto-filter). A second sheet lists every finding with its message; a third, "计划覆盖",
appears when the coverage view (:mod:`gkcheck.coverage`) is installed.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from gkcheck.catalogue import table
from gkcheck.writers.rows import (
    COVERAGE_KEYS,
    coverage_counts,
    coverage_status,
    demo_warnings,
    findings_in_order,
    submission_names,
    view_of,
    waiver_note,
    where_text,
)
from gkcheck.writers.textsafe import printable_value

if TYPE_CHECKING:
    from collections.abc import Sequence
    from pathlib import Path

    from gkcheck.config import Config
    from gkcheck.findings import Result
    from gkcheck.rules import Rule

__all__ = ["write_xlsx"]

_FILLS = {
    None: "C6EFCE",  # pass: green
    "error": "FFC7CE",  # red
    "warning": "FFEB9C",  # yellow
    "info": "DDEBF7",  # blue
    "waived": "E7E6E6",  # grey: found, and accepted by a reviewer
}
_COVERAGE_FILLS = {
    "passing": "C6EFCE",
    "faulty": "FFC7CE",
    "overdue": "F4B084",
    "upcoming": "EDEDED",
    "other": "FFFFFF",
}
_FONTS = {
    None: "006100",
    "error": "9C0006",
    "warning": "9C5700",
    "info": "1F4E78",
    "waived": "3A3838",
}
def _words(lang: str) -> dict[str, Any]:
    """The sheet's words (the catalogues' ``[xlsx]`` table; ``none``: no finding)."""
    return table("xlsx", lang)


def _append(ws: Any, cells: Sequence[Any]) -> None:
    """One row, with characters XML cannot hold (control characters in names) escaped."""
    ws.append([printable_value(c) for c in cells])


def _rule_ids(
    rules: Sequence[Rule | str] | None, results: Sequence[Result]
) -> list[tuple[str, str]]:
    """(id, header) for each rule column; without a list, the rules that fired."""
    out: list[tuple[str, str]] = []
    if rules is None:
        ids = sorted({f.rule for r in results for f in r.findings})
        return [(i, i) for i in ids]
    for r in rules:
        if isinstance(r, str):
            out.append((r, r))
        else:
            out.append((r.id, r.id))
    return out


def _rule_headers(rules: Sequence[Rule | str] | None, lang: str) -> dict[str, str]:
    heads: dict[str, str] = {}
    for r in rules or ():
        if not isinstance(r, str):
            heads[r.id] = f"{r.id}\n{r.describe(lang)}"
    return heads


def _register_styles(wb: Any) -> None:
    """Named styles, registered once per workbook.

    openpyxl hashes every Font/Fill/Alignment assigned to a cell to find its index; doing that
    per cell cost seconds for a few hundred submissions. A named style is one lookup.
    """
    from openpyxl.styles import Alignment, Border, Font, NamedStyle, PatternFill, Side

    head = NamedStyle(name="gk-head")
    head.font = Font(bold=True)
    head.fill = PatternFill("solid", fgColor="D9D9D9")
    head.alignment = Alignment(wrap_text=True, vertical="center", horizontal="center")
    head.border = Border(bottom=Side(style="thin", color="BFBFBF"))
    wb.add_named_style(head)
    bold = NamedStyle(name="gk-bold")
    bold.font = Font(bold=True)
    wb.add_named_style(bold)
    wrap = NamedStyle(name="gk-wrap")
    wrap.alignment = Alignment(wrap_text=True, vertical="top")
    wb.add_named_style(wrap)
    for sev, fill in _FILLS.items():
        name = sev or "pass"
        cell = NamedStyle(name=f"gk-{name}")
        cell.fill = PatternFill("solid", fgColor=fill)
        cell.font = Font(color=_FONTS[sev])
        cell.alignment = Alignment(horizontal="center")
        wb.add_named_style(cell)
        verdict = NamedStyle(name=f"gk-verdict-{name}")
        verdict.fill = PatternFill("solid", fgColor=fill)
        verdict.font = Font(color=_FONTS[sev], bold=True)
        wb.add_named_style(verdict)
    for status, fill in _COVERAGE_FILLS.items():
        cov = NamedStyle(name=f"gk-cov-{status}")
        cov.fill = PatternFill("solid", fgColor=fill)
        wb.add_named_style(cov)


def write_xlsx(
    results: Sequence[Result],
    path: Path,
    *,
    lang: str = "zh",
    rules: Sequence[Rule | str] | None = None,
    config: Config | None = None,
    coverage: Sequence[Any] | None = None,
) -> Path:
    """Write the workbook for ``results`` to ``path`` and return it.

    :param rules: the rules that ran (columns, in order); by default those that fired.
    :param coverage: rows of :func:`gkcheck.coverage.build_coverage`, for the "计划覆盖" sheet.
    """
    from openpyxl import Workbook
    from openpyxl.utils import get_column_letter

    lg = "en" if lang == "en" else "zh"
    words = _words(lg)
    columns = _rule_ids(rules, results)
    heads = _rule_headers(rules, lg)
    wb = Workbook()
    _register_styles(wb)
    ws = wb.active
    assert ws is not None
    ws.title = _words(lg)["sheets"][0]
    header = [*_words(lg)["head"], *(heads.get(i, h) for i, h in columns), *_words(lg)["tail"]]
    _append(ws, header)
    for cell in ws[1]:
        cell.style = "gk-head"
    first_rule_col = len(_words(lg)["head"]) + 1
    row = 1
    for n, result in enumerate(results, start=1):
        v = view_of(result, rules=[i for i, _ in columns])
        cells: list[Any] = [
            n,
            v.unit,
            v.name,
            v.report,
            words["pass" if v.ok else "fail"],
            v.errors,
            v.warnings,
        ]
        for rid, _ in columns:
            c = v.rules.get(rid)
            sev = c.severity if c is not None else None
            text = words[sev or "none"]
            if c is not None and c.count > 1:
                text += f"×{c.count}"
            cells.append(text)
        cells += [v.photos, v.videos, v.problems()]
        _append(ws, cells)
        row += 1
        ws.cell(row=row, column=5).style = "gk-verdict-pass" if v.ok else "gk-verdict-error"
        for j, (rid, _) in enumerate(columns):
            c = v.rules.get(rid)
            sev = c.severity if c is not None else None
            ws.cell(row=row, column=first_rule_col + j).style = f"gk-{sev or 'pass'}"
    ws.freeze_panes = "D2"
    last = get_column_letter(len(header))
    ws.auto_filter.ref = f"A1:{last}{row}"
    widths = [6, 16, 34, 24, 9, 7, 7]
    for i, w in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(i)].width = w
    for j in range(len(columns)):
        ws.column_dimensions[get_column_letter(first_rule_col + j)].width = 14
    for j, w in enumerate((8, 8, 28)):
        ws.column_dimensions[get_column_letter(first_rule_col + len(columns) + j)].width = w
    ws.row_dimensions[1].height = 48
    for warning in demo_warnings(results):  # in the header row, beside the columns
        note = ws.cell(row=1, column=len(header) + 2, value=_words(lg)["note"].format(text=warning))
        note.style = "gk-bold"

    _findings_sheet(wb, results, lg, [i for i, _ in columns])
    if coverage is not None:
        _coverage_sheet(wb, coverage, lg)
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    wb.save(str(part))
    part.replace(path)
    return path


def _findings_sheet(
    wb: Any, results: Sequence[Result], lg: str, rule_ids: list[str]
) -> None:
    ws = wb.create_sheet(_words(lg)["sheets"][1])
    head = _words(lg)["findings_head"]
    _append(ws, head)
    for cell in ws[1]:
        cell.style = "gk-head"
    words = _words(lg)
    row = 1
    for result in results:
        v = view_of(result, rules=rule_ids)
        for f in findings_in_order(result):
            _append(ws, 
                [
                    v.unit,
                    v.name,
                    f.rule,
                    words[f.severity.value if f.counts else "waived"],
                    " ".join(filter(None, (f.message, waiver_note(f, lg)))),
                    f.hint or "",
                    where_text(result, f, lg, with_file=False),
                    f.location.file,
                ]
            )
            row += 1
            ws.cell(row=row, column=4).style = (
                f"gk-verdict-{f.severity.value if f.counts else 'waived'}"
            )
            ws.cell(row=row, column=5).style = "gk-wrap"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:H{row}"
    for col, w in zip("ABCDEFGH", (16, 30, 8, 8, 60, 40, 20, 40), strict=True):
        ws.column_dimensions[col].width = w


def _coverage_sheet(wb: Any, rows: Sequence[Any], lg: str) -> None:
    ws = wb.create_sheet(_words(lg)["sheets"][2])
    status_words = coverage_status(lg)
    head = _words(lg)["coverage_head"]
    _append(ws, head)
    for row in rows:
        act = row.activity
        status = str(row.status)
        _append(ws, 
            [
                act.seq,
                act.theme,
                act.form,
                act.unit,
                act.month,
                status_words.get(status, status),
                submission_names(row),
            ]
        )
        style = status if status in _COVERAGE_FILLS else "other"
        ws.cell(row=ws.max_row, column=6).style = f"gk-cov-{style}"
    for cell in ws[1]:
        cell.style = "gk-head"
    ws.freeze_panes = "A2"
    ws.auto_filter.ref = f"A1:G{max(1, ws.max_row)}"
    for col, w in zip("ABCDEFG", (6, 48, 16, 16, 9, 14, 40), strict=True):
        ws.column_dimensions[col].width = w
    # per-unit and per-month counts, side by side to the right
    by_unit, by_month = coverage_counts(rows)
    keys = list(COVERAGE_KEYS)
    col0 = 9
    title_u, title_m = _words(lg)["by_unit"], _words(lg)["by_month"]
    ws.cell(row=1, column=col0, value=printable_value(title_u)).style = "gk-bold"
    for j, k in enumerate(keys):
        ws.cell(row=1, column=col0 + 1 + j, value=status_words[k]).style = "gk-bold"
    for i, (unit, counts) in enumerate(by_unit.items(), start=2):
        ws.cell(row=i, column=col0, value=printable_value(unit))
        for j, k in enumerate(keys):
            ws.cell(row=i, column=col0 + 1 + j, value=counts.get(k, 0))
    colm = col0 + len(keys) + 2
    ws.cell(row=1, column=colm, value=printable_value(title_m)).style = "gk-bold"
    for j, k in enumerate(keys):
        ws.cell(row=1, column=colm + 1 + j, value=status_words[k]).style = "gk-bold"
    for i, (month, counts) in enumerate(by_month.items(), start=2):
        ws.cell(row=i, column=colm, value=_words(lg)["month"].format(m=month))
        for j, k in enumerate(keys):
            ws.cell(row=i, column=colm + 1 + j, value=counts.get(k, 0))
