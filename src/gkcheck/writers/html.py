"""``report.html``: one self-contained page a reviewer opens in any browser, offline.

At the top a summary table that sorts (click a header) and filters (a text box and a
pass/fail select) with a few lines of inline JavaScript; below it one card per submission:
the verdict, every finding with its reason and hint, the title, lead and ending with the
keyword highlighted, how each file was classified, and thumbnails of the photos (embedded as
data URIs) with the LOGO box drawn where one was found. Nothing is loaded from elsewhere, so
the page can be mailed or archived as it is.
"""

from __future__ import annotations

import base64
import contextlib
import datetime as dt
import html
import io
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from gkcheck.catalogue import table as catalogue_table
from gkcheck.rules import messages
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
    why_text,
)
from gkcheck.writers.textsafe import printable

if TYPE_CHECKING:
    from gkcheck.config import Config
    from gkcheck.findings import Result
    from gkcheck.keywords import KeywordMatcher
    from gkcheck.rules import Rule

__all__ = ["make_thumbnail", "render_html", "write_html"]

THUMB_SIDE = 240
MAX_PIXELS = 64_000_000  # decoded pixels allowed for a thumbnail source (decompression bombs)

_CSS = """
:root{--ok:#1e7b34;--bad:#b3261e;--warn:#9c5700;--info:#1f4e78;--line:#d0d7de;--mute:#57606a}
*{box-sizing:border-box}
body{font-family:"Noto Sans CJK SC","Microsoft YaHei","PingFang SC",system-ui,sans-serif;margin:0;color:#1f2328;background:#f6f8fa}
header,main{max-width:1200px;margin:0 auto;padding:16px}
h1{font-size:22px;margin:8px 0}
.meta{color:var(--mute);font-size:13px}
.demo-logo{color:var(--bad);font-weight:bold}
.controls{display:flex;gap:8px;align-items:center;margin:12px 0}
.controls input{flex:1;padding:6px 8px;font-size:14px;border:1px solid var(--line);border-radius:6px}
.controls select{padding:6px;font-size:14px}
table{border-collapse:collapse;width:100%;background:#fff}
th,td{border:1px solid var(--line);padding:5px 8px;text-align:left;vertical-align:top;font-size:13px}
#summary-table th{cursor:pointer;user-select:none;background:#eaeef2;white-space:nowrap}
#summary-table th[aria-sort=ascending]::after{content:" ▲"}
#summary-table th[aria-sort=descending]::after{content:" ▼"}
td.num{text-align:right}
.badge{display:inline-block;padding:1px 8px;border-radius:10px;font-size:12px;color:#fff}
.badge.pass{background:var(--ok)}.badge.fail{background:var(--bad)}
.sub{background:#fff;border:1px solid var(--line);border-radius:8px;margin:16px 0;padding:12px 16px}
.sub h2{font-size:17px;margin:4px 0 8px}
.sub h3{font-size:14px;margin:12px 0 6px;color:var(--mute)}
ul.findings{list-style:none;padding:0;margin:0}
ul.findings li{border-left:4px solid var(--line);padding:4px 8px;margin:4px 0;background:#fafbfc}
li.waived{border-color:#8c959f!important;background:#f0f1f2}.waiver{display:block;font-size:12px;color:#1f2328;font-style:italic}
li.error{border-color:var(--bad)!important}li.warning{border-color:var(--warn)!important}li.info{border-color:var(--info)!important}
.rule{font-weight:bold;margin-right:6px}
.hint,.where{display:block;color:var(--mute);font-size:12px}
dl.places{display:grid;grid-template-columns:4em 1fr;gap:4px 8px;margin:0}
dl.places dt{color:var(--mute)}dl.places dd{margin:0}
mark{background:#fff3b0;padding:0 1px}mark.near{background:#ffd8d8;text-decoration:underline wavy var(--bad)}
.photos{display:flex;flex-wrap:wrap;gap:10px}
figure{margin:0;font-size:12px;color:var(--mute);max-width:240px}
.ph{position:relative;display:inline-block;line-height:0}
.ph img{max-width:240px;max-height:240px;border:1px solid var(--line)}
.logo-box{position:absolute;border:2px solid #00c853;box-shadow:0 0 0 1px #fff}
details summary{cursor:pointer;color:var(--mute);font-size:13px}
.cov-status-passing{background:#c6efce}.cov-status-faulty{background:#ffc7ce}.cov-status-overdue{background:#f4b084}.cov-status-upcoming{background:#ededed}
.counts{display:flex;gap:24px;flex-wrap:wrap}.counts table{width:auto}
"""

_JS = """
(function(){
  var table=document.getElementById('summary-table');
  if(!table){return;}
  var tbody=table.tBodies[0], heads=table.tHead.rows[0].cells, sortCol=-1, asc=true;
  function key(tr,i,num){var c=tr.cells[i];var v=c.getAttribute('data-sort');if(v===null){v=c.textContent.trim();}
    return num?(parseFloat(v)||0):v;}
  function sortBy(i,up,num){
    var rows=Array.prototype.slice.call(tbody.rows);
    rows.sort(function(a,b){var x=key(a,i,num),y=key(b,i,num);
      var r=num?(x-y):String(x).localeCompare(String(y),'zh-Hans-CN');
      if(r===0){r=(+a.getAttribute('data-n'))-(+b.getAttribute('data-n'));return r;}
      return up?r:-r;});
    rows.forEach(function(r){tbody.appendChild(r);});
  }
  Array.prototype.forEach.call(heads,function(th,i){
    th.addEventListener('click',function(){
      asc=(sortCol===i)?!asc:true;sortCol=i;
      sortBy(i,asc,th.getAttribute('data-type')==='num');
      Array.prototype.forEach.call(heads,function(h){h.removeAttribute('aria-sort');});
      th.setAttribute('aria-sort',asc?'ascending':'descending');
    });
  });
  var q=document.getElementById('q'),sel=document.getElementById('verdict'),shown=document.getElementById('shown');
  function apply(){
    var t=q.value.trim().toLowerCase(),v=sel.value,n=0;
    Array.prototype.forEach.call(tbody.rows,function(tr){
      var ok=(!v||tr.getAttribute('data-verdict')===v)&&(!t||tr.textContent.toLowerCase().indexOf(t)>=0);
      tr.hidden=!ok;var card=document.getElementById(tr.getAttribute('data-card'));if(card){card.hidden=!ok;}
      if(ok){n++;}
    });
    shown.textContent=String(n);
  }
  q.addEventListener('input',apply);sel.addEventListener('change',apply);apply();
})();
"""


def make_thumbnail(
    data: bytes, *, max_side: int = THUMB_SIDE, max_pixels: int = MAX_PIXELS
) -> bytes | None:
    """A small upright JPEG of an encoded image, or ``None`` when it cannot (safely) be decoded.

    The pixel limit is checked from the header before decoding, so a decompression bomb
    costs nothing; JPEGs are decoded at reduced size (``draft``), which keeps big phone photos
    cheap.
    """
    try:
        from gkcheck.vision.imageio import enable_heif
        from gkcheck.vision.pillow import Image, ImageOps

        enable_heif()  # iPhone photos (HEIC) get thumbnails too
        with Image.open(io.BytesIO(data)) as im:
            w, h = im.size
            limit = max_pixels * (4 if im.format == "JPEG" else 1)
            if w <= 0 or h <= 0 or w * h > limit:
                return None
            if im.format == "JPEG":
                im.draft("RGB", (max_side * 2, max_side * 2))
            upright = ImageOps.exif_transpose(im) or im
            rgb = upright.convert("RGB")
            rgb.thumbnail((max_side, max_side))
            buf = io.BytesIO()
            rgb.save(buf, format="JPEG", quality=72, optimize=True)
            return buf.getvalue()
    except Exception:  # noqa: BLE001 - an undecodable photo simply has no thumbnail
        return None


def _thumb_size(data: bytes) -> tuple[int, int]:
    try:
        from gkcheck.vision.imageio import enable_heif
        from gkcheck.vision.pillow import Image

        enable_heif()
        with Image.open(io.BytesIO(data)) as im:
            return int(im.width), int(im.height)
    except Exception:  # noqa: BLE001
        return 0, 0


def _esc(text: Any) -> str:
    return html.escape(printable(str(text)), quote=True)


def _highlight(text: str, matcher: KeywordMatcher | None) -> str:
    """``text`` escaped, with the keyword in ``<mark>`` and near misses in ``<mark class=near>``."""
    if matcher is None:
        return _esc(text)
    spans: list[tuple[int, int, str]] = [(m.start, m.end, "") for m in matcher.find(text)]
    with contextlib.suppress(Exception):  # highlighting near misses is a courtesy
        spans += [(n.start, n.end, "near") for n in matcher.near_misses(text)]
    spans.sort()
    out: list[str] = []
    pos = 0
    for s, e, cls in spans:
        if s < pos:
            continue
        out.append(_esc(text[pos:s]))
        attr = f' class="{cls}"' if cls else ""
        out.append(f"<mark{attr}>{_esc(text[s:e])}</mark>")
        pos = e
    out.append(_esc(text[pos:]))
    return "".join(out)


def _photo_facts(result: Result) -> Mapping[str, Any]:
    facts = result.facts.get("photos", {})
    return facts if isinstance(facts, Mapping) else {}


def _figure(photo: Any, thumb: bytes | None, fact: Mapping[str, Any], t: Mapping[str, Any]) -> str:
    ref = str(photo.ref)
    logo = fact.get("logo") if isinstance(fact.get("logo"), Mapping) else None
    caption = _esc(Path(ref).name)
    if logo is not None:
        found = bool(logo.get("found"))
        score = logo.get("score")
        word = t["logo_found"] if found else t["logo_missing"]
        caption += f" · {word}" + (f" {float(score):.2f}" if isinstance(score, int | float) else "")
    if thumb is None:
        return f'<figure><div class="ph missing">—</div><figcaption>{caption}</figcaption></figure>'
    src = "data:image/jpeg;base64," + base64.b64encode(thumb).decode("ascii")
    box = ""
    if logo is not None and logo.get("found") and logo.get("bbox"):
        bbox = logo["bbox"]
        tw, th = _thumb_size(thumb)
        fw, fh = int(photo.width or 0), int(photo.height or 0)
        if tw and th and fw and fh and (tw > th) != (fw > fh) and fw != fh:
            fw, fh = fh, fw  # the thumbnail is upright; the recorded size was not
        if fw and fh:
            x0, y0, x1, y1 = (float(v) for v in bbox[:4])
            left, top = 100 * x0 / fw, 100 * y0 / fh
            width, height = 100 * (x1 - x0) / fw, 100 * (y1 - y0) / fh
            box = (
                f'<span class="logo-box" title="LOGO" style="left:{left:.2f}%;top:{top:.2f}%;'
                f'width:{width:.2f}%;height:{height:.2f}%"></span>'
            )
    return (
        f'<figure><div class="ph"><img src="{src}" alt="{_esc(ref)}" loading="eager">{box}</div>'
        f"<figcaption>{caption}</figcaption></figure>"
    )


def render_html(
    results: Sequence[Result],
    *,
    lang: str = "zh",
    config: Config | None = None,
    thumbnails: Mapping[str, Mapping[str, bytes]] | None = None,
    coverage: Sequence[Any] | None = None,
    rules: Sequence[Rule | str] | None = None,
    generated: dt.datetime | None = None,
) -> str:
    """The page as text (see :func:`write_html`)."""
    from gkcheck.config import Config as _Config
    from gkcheck.keywords import KeywordMatcher

    lg = "en" if lang == "en" else "zh"
    t = catalogue_table("html", lg)
    cfg = config or _Config()
    try:
        matcher: KeywordMatcher | None = KeywordMatcher(cfg.keyword, cfg.near_misses)
    except ValueError:
        matcher = None
    rule_ids = [r if isinstance(r, str) else r.id for r in rules] if rules is not None else []
    views = [view_of(r, rules=rule_ids) for r in results]
    passed = sum(v.ok for v in views)
    when = (generated or dt.datetime.now().astimezone()).strftime("%Y-%m-%d %H:%M")
    parts: list[str] = [
        "<!DOCTYPE html>",
        f'<html lang="{"zh-CN" if lg == "zh" else "en"}"><head><meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width,initial-scale=1">',
        f"<title>{_esc(t['title'])}</title><style>{_CSS}</style></head><body>",
        f"<header><h1>{_esc(t['title'])}</h1>",
        (
            f'<p class="meta">{_esc(t["generated"])}：{_esc(when)} · '
            f'<span id="totals">{_esc(t["total"].format(n=len(views), p=passed, f=len(views) - passed))}</span></p>'
        ),
        *(f'<p class="warn demo-logo">{_esc(w)}</p>' for w in demo_warnings(results)),
        "</header><main>",
        '<section id="summary"><div class="controls">',
        f'<input id="q" type="search" placeholder="{_esc(t["filter"])}" aria-label="{_esc(t["filter"])}">',
        (
            f'<select id="verdict" aria-label="{_esc(t["cols"][3])}"><option value="">{_esc(t["all"])}</option>'
            f'<option value="pass">{_esc(t["pass"])}</option><option value="fail">{_esc(t["fail"])}</option></select>'
        ),
        f'<span class="meta">{_esc(t["shown"])} <span id="shown">{len(views)}</span> / {len(views)}</span>',
        '</div><table id="summary-table"><thead><tr>',
    ]
    num_cols = {0, 4, 5, 6}
    for i, name in enumerate(t["cols"]):
        typ = ' data-type="num"' if i in num_cols else ""
        parts.append(f"<th{typ}>{_esc(name)}</th>")
    parts.append("</tr></thead><tbody>")
    for n, v in enumerate(views, start=1):
        verdict = "pass" if v.ok else "fail"
        parts.append(
            f'<tr data-n="{n}" data-verdict="{verdict}" data-card="s{n}">'
            f'<td class="num">{n}</td><td>{_esc(v.unit)}</td>'
            f'<td><a href="#s{n}">{_esc(v.name)}</a></td>'
            f'<td data-sort="{verdict}"><span class="badge {verdict}">{_esc(t[verdict])}</span></td>'
            f'<td class="num">{v.errors}</td><td class="num">{v.warnings}</td>'
            f'<td class="num">{v.photos}</td><td>{_esc(v.problems())}</td></tr>'
        )
    parts.append("</tbody></table></section>")
    if coverage is not None:
        parts.append(_coverage_html(coverage, lg))
    thumbs = thumbnails or {}
    for n, (result, v) in enumerate(zip(results, views, strict=True), start=1):
        parts.append(_card(n, result, v, t, lg, matcher, thumbs.get(str(result.path))))
    parts.append(f"</main><script>{_JS}</script></body></html>")
    return "\n".join(parts) + "\n"


def _card(
    n: int,
    result: Result,
    v: Any,
    t: Mapping[str, Any],
    lg: str,
    matcher: KeywordMatcher | None,
    thumbs: Mapping[str, bytes] | None,
) -> str:
    verdict = "pass" if v.ok else "fail"
    out = [
        f'<section class="sub" id="s{n}" data-verdict="{verdict}">',
        f'<h2>{_esc(v.unit)} — {_esc(v.name)} <span class="badge {verdict}">{_esc(t[verdict])}</span></h2>',
    ]
    if v.report:
        out.append(f'<p class="meta">{_esc(t["report"])}：{_esc(v.report)}</p>')
    out.append(f"<h3>{_esc(t['findings'])}</h3>")
    findings = findings_in_order(result)
    if not findings:
        out.append(f"<p>{_esc(t['no_findings'])}</p>")
    else:
        out.append('<ul class="findings">')
        for f in findings:
            sev = f.severity.value if f.counts else "waived"
            note = waiver_note(f, lg)
            where = where_text(result, f, lg, with_file=False)
            file = f.location.file
            reason = f.evidence.get("reason") if f.evidence else None
            extra = f' <code class="reason">{_esc(reason)}</code>' if reason else ""
            out.append(
                f'<li class="{sev}" data-rule="{_esc(f.rule)}"><span class="rule">{_esc(f.rule)}</span>'
                f'<span class="sev">{_esc(t["sev"][sev])}</span> {_esc(f.message)}{extra}'
                + (f'<span class="waiver">{_esc(note)}</span>' if note else "")
                + (f'<span class="hint">{_esc(t["hint"])}：{_esc(f.hint)}</span>' if f.hint else "")
                + (
                    f'<span class="where">{_esc(t["where"])}：{_esc(where + " · " if where else "")}{_esc(file)}</span>'
                    if file or where
                    else ""
                )
                + "</li>"
            )
        out.append("</ul>")
    if result.document is not None:
        out.append('<dl class="places">')
        for key, text in (("title", v.title), ("lead", v.lead), ("ending", v.ending)):
            body = (
                _highlight(text, matcher)
                if text
                else f'<span class="meta">{_esc(t["none"])}</span>'
            )
            out.append(f'<dt>{_esc(t["places"][key])}</dt><dd class="place-{key}">{body}</dd>')
        out.append("</dl>")
    photos = result.all_photos()
    out.append(f"<h3>{_esc(t['photos'])}（{len(photos)}）</h3>")
    if photos:
        facts = _photo_facts(result)
        out.append('<div class="photos">')
        for photo in photos:
            thumb = thumbs.get(photo.ref) if thumbs is not None else _thumb_from(photo)
            fact = facts.get(photo.ref, {})
            out.append(_figure(photo, thumb, fact if isinstance(fact, Mapping) else {}, t))
        out.append("</div>")
    else:
        out.append(f'<p class="meta">{_esc(t["no_photos"])}</p>')
    if result.files:
        roles: Mapping[str, str] = messages(lg).get("file_kinds", {})
        out.append(
            f"<details><summary>{_esc(t['files'])}（{len(result.files)}）</summary><table><tr>"
        )
        out.extend(f"<th>{_esc(c)}</th>" for c in t["file_cols"])
        out.append("</tr>")
        for item in result.files:
            role = str(item.get("role", ""))
            out.append(
                f"<tr><td>{_esc(item.get('path', ''))}</td><td>{_esc(roles.get(role, role))}</td>"
                f"<td>{_esc(why_text(str(item.get('why', '')), lg))}</td></tr>"
            )
        out.append("</table></details>")
    out.append("</section>")
    return "\n".join(out)


def _thumb_from(photo: Any) -> bytes | None:
    """A thumbnail straight from the photo (outside a batch, where bytes are at hand)."""
    try:
        return make_thumbnail(photo.load())
    except Exception:  # noqa: BLE001
        return None


def _coverage_html(rows: Sequence[Any], lg: str) -> str:
    t = catalogue_table("html", lg)
    words = coverage_status(lg)
    out = [f'<section id="coverage"><h2>{_esc(t["coverage"])}</h2><table class="coverage"><tr>']
    out.extend(f"<th>{_esc(c)}</th>" for c in t["cov_cols"])
    out.append("</tr>")
    for row in rows:
        act = row.activity
        status = str(row.status)
        out.append(
            f'<tr data-status="{_esc(status)}"><td>{_esc(act.seq)}</td><td>{_esc(act.theme)}</td>'
            f"<td>{_esc(act.unit)}</td><td>{_esc(act.month)}</td>"
            f'<td class="cov-status-{_esc(status)}">{_esc(words.get(status, status))}</td>'
            f"<td>{_esc(submission_names(row))}</td></tr>"
        )
    out.append("</table>")
    by_unit, by_month = coverage_counts(rows)
    keys = list(COVERAGE_KEYS)
    out.append('<div class="counts">')
    for title, table in ((t["by_unit"], by_unit), (t["by_month"], by_month)):
        out.append(f"<table><caption>{_esc(title)}</caption><tr><th></th>")
        out.extend(f"<th>{_esc(words[k])}</th>" for k in keys)
        out.append("</tr>")
        for name, counts in table.items():
            label = t["month"].format(m=name) if isinstance(name, int) else str(name)
            out.append(
                f"<tr><td>{_esc(label)}</td>"
                + "".join(f'<td class="num">{counts.get(k, 0)}</td>' for k in keys)
                + "</tr>"
            )
        out.append("</table>")
    out.append("</div></section>")
    return "\n".join(out)


def write_html(
    results: Sequence[Result],
    path: Path,
    *,
    lang: str = "zh",
    config: Config | None = None,
    thumbnails: Mapping[str, Mapping[str, bytes]] | None = None,
    coverage: Sequence[Any] | None = None,
    rules: Sequence[Rule | str] | None = None,
) -> Path:
    """Write the page for ``results`` to ``path`` and return it.

    :param thumbnails: ``{str(result.path): {photo ref: JPEG bytes}}``; without it, thumbnails
        are made from the photos' own bytes when the results still hold them.
    :param coverage: rows of :func:`gkcheck.coverage.build_coverage`, for the coverage section.
    """
    text = render_html(
        results, lang=lang, config=config, thumbnails=thumbnails, coverage=coverage, rules=rules
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    part.write_text(text, encoding="utf-8")
    part.replace(path)
    return path
