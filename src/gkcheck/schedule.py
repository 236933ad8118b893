"""The activity plan of attachment 1: which unit runs which activity in which month.

Every timeliness and matching rule starts from "which planned activity is this report
about", so the plan is kept as data (``data/schedule-<year>.csv``, transcribed verbatim
from the notice) rather than code, and loaded with strict validation: a typo in the
table would otherwise silently make a unit's report unmatchable.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from gkcheck.package_data import package_file
from gkcheck.units import UnitDirectory

if TYPE_CHECKING:
    from collections.abc import Iterator

__all__ = ["COLUMNS", "Activity", "Schedule", "ScheduleError"]

#: Header of the schedule CSV, in order.
COLUMNS: tuple[str, ...] = ("seq", "theme", "form", "unit", "month")

#: Year of the packaged schedule.
DEFAULT_YEAR = 2023


class ScheduleError(ValueError):
    """A schedule file that cannot be trusted; names the file, row and column.

    ``row`` is the physical line number in the CSV (the header is line 1) so the
    message points at what the editor shows.
    """

    def __init__(
        self, message: str, *, source: str, row: int | None, column: str | None
    ) -> None:
        where = source
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")
        self.source = source
        self.row = row
        self.column = column


@dataclass(frozen=True, slots=True)
class Activity:
    """One planned activity (one row of attachment 1).

    ``month`` is the planned month only; the notice gives no day, so the actual date
    must come from the submission.
    """

    seq: int
    theme: str
    form: str
    unit: str
    month: int
    year: int = DEFAULT_YEAR

    @property
    def forms(self) -> tuple[str, ...]:
        """The activity forms as separate items.

        The notice joins several forms with ``、`` (``现场观摩、政策宣传``) or a space
        (``现场咨询 座谈交流``); rules that check "is the form one of the planned ones"
        need them apart.
        """
        parts = self.form.replace("、", " ").split()
        return tuple(p for p in parts if p)


@dataclass(frozen=True, slots=True)
class Schedule:
    """All planned activities of one year, in the notice's order."""

    activities: tuple[Activity, ...]
    year: int = DEFAULT_YEAR
    directory: UnitDirectory = field(
        default_factory=UnitDirectory.default, repr=False, compare=False
    )

    @classmethod
    def load(
        cls,
        path: str | Path | None = None,
        *,
        year: int = DEFAULT_YEAR,
        directory: UnitDirectory | None = None,
    ) -> Schedule:
        """Read a schedule CSV; ``None`` reads the packaged 2023 table.

        Raises :class:`ScheduleError` naming the row and column of the first problem.
        """
        if path is None:
            resource = package_file("data", f"schedule-{DEFAULT_YEAR}.csv")
            text = resource.read_text(encoding="utf-8-sig")
            source = f"gkcheck/data/schedule-{DEFAULT_YEAR}.csv"
        else:
            p = Path(path)
            try:
                text = p.read_text(encoding="utf-8-sig")
            except UnicodeDecodeError as exc:
                raise ScheduleError(
                    f"not UTF-8 text ({exc.reason} at byte {exc.start})",
                    source=str(p),
                    row=None,
                    column=None,
                ) from exc
            source = str(p)
        return cls.parse(
            text,
            year=year,
            source=source,
            directory=directory or UnitDirectory.default(),
        )

    @classmethod
    def parse(
        cls,
        text: str,
        *,
        year: int = DEFAULT_YEAR,
        source: str = "<schedule>",
        directory: UnitDirectory | None = None,
    ) -> Schedule:
        """Parse schedule CSV text (see :meth:`load`)."""
        reader = csv.reader(io.StringIO(text.lstrip("\ufeff")))
        try:
            header = next(reader)
        except StopIteration:
            raise ScheduleError(
                "empty file, expected header " + ",".join(COLUMNS),
                source=source,
                row=1,
                column=None,
            ) from None
        if tuple(h.strip() for h in header) != COLUMNS:
            raise ScheduleError(
                f"header is {','.join(header)!r}, expected {','.join(COLUMNS)!r}",
                source=source,
                row=1,
                column=None,
            )
        activities: list[Activity] = []
        seen: dict[int, int] = {}
        for cells in reader:
            row = reader.line_num
            if not any(c.strip() for c in cells):
                continue
            if len(cells) != len(COLUMNS):
                raise ScheduleError(
                    f"{len(cells)} cells, expected {len(COLUMNS)}",
                    source=source,
                    row=row,
                    column=None,
                )
            values = dict(zip(COLUMNS, (c.strip() for c in cells), strict=True))
            for name in ("theme", "form", "unit"):
                if not values[name]:
                    raise ScheduleError("is empty", source=source, row=row, column=name)
            seq = _int_cell(values["seq"], source=source, row=row, column="seq")
            if seq < 1:
                raise ScheduleError(
                    f"{seq} is not a positive number",
                    source=source,
                    row=row,
                    column="seq",
                )
            if seq in seen:
                raise ScheduleError(
                    f"{seq} repeats row {seen[seq]}",
                    source=source,
                    row=row,
                    column="seq",
                )
            seen[seq] = row
            month = _int_cell(values["month"], source=source, row=row, column="month")
            if not 1 <= month <= 12:
                raise ScheduleError(
                    f"{month} is not a month (1..12)",
                    source=source,
                    row=row,
                    column="month",
                )
            activities.append(
                Activity(
                    seq=seq,
                    theme=values["theme"],
                    form=values["form"],
                    unit=values["unit"],
                    month=month,
                    year=year,
                )
            )
        return cls(tuple(activities), year, directory or UnitDirectory.default())

    def __iter__(self) -> Iterator[Activity]:
        return iter(self.activities)

    def __len__(self) -> int:
        return len(self.activities)

    def by_seq(self, seq: int) -> Activity | None:
        """The activity with this 序号, or ``None``."""
        for activity in self.activities:
            if activity.seq == seq:
                return activity
        return None

    def by_unit(self, name: str) -> tuple[Activity, ...]:
        """The activities of the unit ``name`` names, in schedule order.

        ``name`` may be any spelling the unit directory knows (``雨花区教育局``,
        ``长沙市雨花区教育局``), because submissions rarely use the table's short form.
        """
        wanted = self.canonical_unit(name)
        if wanted is None:
            return ()
        return tuple(
            a for a in self.activities if self.canonical_unit(a.unit) == wanted
        )

    def by_month(self, month: int) -> tuple[Activity, ...]:
        """The activities planned for ``month``."""
        return tuple(a for a in self.activities if a.month == month)

    def units(self) -> tuple[str, ...]:
        """Responsible units as the table writes them, in order of first appearance."""
        return tuple(dict.fromkeys(a.unit for a in self.activities))

    def canonical_unit(self, name: str) -> str | None:
        """The table's spelling of the unit ``name`` names, or ``None`` if unknown.

        Falls back to an exact match against the table so a custom schedule whose
        units the directory does not list still works.
        """
        resolved = self.directory.resolve(name)
        if resolved is not None:
            return resolved
        stripped = name.strip()
        for activity in self.activities:
            if activity.unit == stripped:
                return activity.unit
        return None


def _int_cell(text: str, *, source: str, row: int, column: str) -> int:
    try:
        return int(text)
    except ValueError:
        raise ScheduleError(
            f"{text!r} is not a whole number", source=source, row=row, column=column
        ) from None
