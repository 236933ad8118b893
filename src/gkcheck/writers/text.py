"""``--format text``: for people. Where, what, why; the keyword highlighted."""

from __future__ import annotations

from collections.abc import Sequence

from gkcheck.catalogue import table
from gkcheck.findings import Finding, Result, Severity
from gkcheck.hookspecs import hookimpl
from gkcheck.model import Role
from gkcheck.structure import outline
from gkcheck.textutil import shorten
from gkcheck.writers.base import Writer
from gkcheck.writers.rows import demo_warnings, photo_name, waiver_note, where_text

__all__ = ["TextWriter"]

_COLOURS = {"error": "\033[31m", "warning": "\033[33m", "info": "\033[36m"}
_DIM = "\033[2m"
#: Without colour the keyword is marked with ASCII brackets: 【】 and “” occur in titles.
_OPEN, _CLOSE = ">>", "<<"
_BOLD, _RESET, _MARK = "\033[1m", "\033[0m", "\033[1;32m"


class TextWriter:
    """A readable report per input and a one-line summary."""

    name = "text"

    def write(
        self, results: Sequence[Result], *, lang: str, color: bool, quiet: bool = False
    ) -> str:
        """Render every result, then totals; ``quiet``: only inputs with findings, findings only."""
        out: list[str] = []
        errors = warnings = waived = 0
        for result in results:
            if quiet:
                out.extend(self._quiet(result, lang, color))
                continue
            out.extend(self._result(result, lang, color))
            counting = [f for f in result.findings if f.counts]
            errors += sum(f.severity is Severity.ERROR for f in counting)
            warnings += sum(f.severity is Severity.WARNING for f in counting)
            waived += len(result.findings) - len(counting)
        n = len(results)
        failed = sum(not r.ok for r in results)
        if quiet:
            return "".join(line + "\n" for line in out)
        words = table("text", lang)
        out.extend(_paint(words["note"].format(text=w), _BOLD, color) for w in demo_warnings(results))
        line = words["summary"].format(
            n=n,
            failed=failed,
            errors=errors,
            warnings=warnings,
            inputs=_plural(n, words["input"], words),
            errors_word=_plural(errors, words["error"], words),
            warnings_word=_plural(warnings, words["warning"], words),
        )
        out.append(line + (words["waived_tail"].format(n=waived) if waived else words["end"]))
        return "\n".join(out) + "\n"

    def _quiet(self, result: Result, lang: str, color: bool) -> list[str]:
        shown = [f for f in sorted(result.findings, key=_severity_first) if f.counts]
        if not shown:
            return []
        lines = [_paint(str(result.path), _BOLD, color)]
        lines += ["  " + self._finding(f, lang, color, where_text(result, f, lang)) for f in shown]
        return lines

    def _result(self, result: Result, lang: str, color: bool) -> list[str]:
        words = table("text", lang)
        verdict = words["pass"] if result.ok else words["fail"]
        head = f"{result.path}  [{verdict}]"
        lines = [_paint(head, _BOLD, color)]
        doc = result.document
        if doc is not None and doc.blocks:
            from gkcheck.checks.keyword_placement import matcher_for
            from gkcheck.config import Config

            m = matcher_for(Config(keyword=str(result.facts.get("keyword", Config().keyword))))
            o = outline(doc)
            places = table("text", lang)["places"]
            shown = {
                "title": o.title_text,
                "lead": o.lead.text if o.lead else None,
                "body": words["paragraphs"].format(n=len(o.body)),
                "ending": o.ending.text if o.ending else None,
            }
            for key, text in shown.items():
                if text is None:
                    continue
                t = text if key == "body" else _highlight(shorten(text, 70), m, color)
                lines.append(f"  {places[key]}: {t}")
            loose = [b for b in doc.blocks if b.role is Role.CAPTION]
            if loose:
                lines.append("  " + words["captions"].format(n=len(loose)))
        for f in sorted(result.findings, key=_severity_first):
            lines.append("  " + self._finding(f, lang, color, where_text(result, f, lang)))
        photos = result.facts.get("photos", {})
        carriers = [ref for ref, fact in photos.items() if fact.get("logo", {}).get("found")]
        if carriers:
            names = [photo_name(result, ref, lang) for ref in carriers]
            lines.append(f"  {words['logo_photos']}: {words['sep'].join(names)}")
        lines.append("")
        return lines

    def _finding(self, f: Finding, lang: str, color: bool, where: str) -> str:
        label = table("text", lang)["labels"][f.severity.value if f.counts else "waived"]
        colour = _COLOURS[f.severity.value] if f.counts else _DIM
        tag = _paint(f"{f.rule} {label}", colour, color)
        words = table("text", lang)
        where = words["where"].format(where=where) if where else ""
        text = f"{tag} {f.message}{where}"
        if f.hint:
            text += "\n      " + words["hint"].format(hint=f.hint)
        note = waiver_note(f, lang)
        if note:
            text += "\n      " + note
        return text


def _highlight(text: str, m: object, color: bool) -> str:
    from gkcheck.keywords import KeywordMatcher

    assert isinstance(m, KeywordMatcher)
    matches = m.find(text)
    if not matches:
        return text
    out: list[str] = []
    pos = 0
    for match in matches:
        out.append(text[pos : match.start])
        piece = text[match.start : match.end]
        out.append(_paint(piece, _MARK, True) if color else f"{_OPEN}{piece}{_CLOSE}")
        pos = match.end
    out.append(text[pos:])
    return "".join(out)


def _severity_first(f: Finding) -> tuple[int, int, tuple[int, int, str]]:
    """Errors, then warnings, then notes; waived findings last; document order within."""
    return (0 if f.counts else 1, -f.severity.rank, f.sort_key())


def _plural(count: int, noun: str, words: dict[str, str]) -> str:
    return noun + ("" if count == 1 else words["plural"])


def _paint(text: str, code: str, color: bool) -> str:
    return f"{code}{text}{_RESET}" if color else text


@hookimpl
def gkcheck_register_writers() -> list[Writer]:
    """Register the text writer."""
    return [TextWriter()]
