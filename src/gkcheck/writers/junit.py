"""``--format junit``: JUnit XML, which every CI server shows as a test report.

One ``testcase`` per input (a file, or a submission); a submission that fails (an error that is
not waived) carries one ``failure`` listing its findings, so the CI page says what to fix.
Warnings and notes of a passing submission, and waived findings, go to ``system-out``.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from xml.etree import ElementTree as ET

from gkcheck.findings import Finding, Result, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.writers.base import Writer
from gkcheck.writers.rows import findings_in_order, waiver_note, where_text

__all__ = ["JunitWriter"]


def _line(result: Result, f: Finding, lang: str) -> str:
    where = where_text(result, f, lang)
    text = f"{f.rule} {f.severity}: {f.message}" + (f" [{where}]" if where else "")
    note = waiver_note(f, lang)
    return text + (f" — {note}" if note else "")


def _clean(text: str) -> str:
    """XML 1.0 cannot carry most control characters; a file name might."""
    return "".join(c if c in "\t\n\r" or ord(c) >= 0x20 else "\ufffd" for c in text)


class JunitWriter:
    """One ``testsuite`` named gkcheck."""

    name = "junit"

    def write(self, results: Sequence[Result], *, lang: str, color: bool) -> str:
        """The JUnit XML document."""
        suite = ET.Element("testsuite", name="gkcheck", tests=str(len(results)))
        failures = 0
        for result in results:
            path = str(result.path)
            case = ET.SubElement(
                suite,
                "testcase",
                name=_clean(Path(path.split("!/")[0]).name),
                classname="gkcheck." + _clean(result.kind),
                file=_clean(path),
            )
            findings = findings_in_order(result)
            failing = [f for f in findings if f.counts and f.severity is Severity.ERROR]
            if failing:
                failures += 1
                failure = ET.SubElement(
                    case,
                    "failure",
                    message=_clean(f"{len(failing)} error(s): {', '.join(f.rule for f in failing)}"),
                    type=failing[0].rule,
                )
                failure.text = _clean("\n".join(_line(result, f, lang) for f in findings))
            elif findings:
                out = ET.SubElement(case, "system-out")
                out.text = _clean("\n".join(_line(result, f, lang) for f in findings))
        suite.set("failures", str(failures))
        suite.set("errors", "0")
        suites = ET.Element("testsuites", name="gkcheck", tests=str(len(results)))
        suites.set("failures", str(failures))
        suites.append(suite)
        ET.indent(suites)
        return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode") + "\n"


@hookimpl
def gkcheck_register_writers() -> list[Writer]:
    """Register the JUnit writer."""
    return [JunitWriter()]
