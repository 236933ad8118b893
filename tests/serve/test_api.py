"""The HTTP API against a running server: real uploads of real samples, hostile input, limits."""

from __future__ import annotations

import concurrent.futures
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from gkcheck.serve.settings import Settings

from .conftest import ROOT, Running, running

WORD = ROOT / "samples" / "word"
FAILING = "r030-all-false-big-normal.docx"  # the keyword in none of the four places; LOGO found
PASSING = "r025-all-true-prefix.docx"


def _cli_json(*names: str, cwd: Path = WORD, args: tuple[str, ...] = ()) -> str:
    """What ``gkcheck check --format json`` prints for ``names`` (run in their folder)."""
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(ROOT)])}
    run = subprocess.run(
        [
            sys.executable,
            "-m",
            "gkcheck",
            "check",
            "--no-plugins",
            "--format",
            "json",
            *args,
            *names,
        ],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode in (0, 1), run.stderr
    return run.stdout


def _upload(*names: str, folder: Path = WORD) -> list[tuple[str, tuple[str, bytes]]]:
    return [("files", (n, (folder / n).read_bytes())) for n in names]


def test_check_answers_the_cli_json_byte_for_byte(server: Running) -> None:
    with server.client() as c:
        r = c.post("/api/v1/check", files=_upload(FAILING, PASSING))
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("application/json")
    assert r.text == _cli_json(FAILING, PASSING)
    results = r.json()["results"]
    assert [x["path"] for x in results] == [FAILING, PASSING]
    assert {f["rule"] for f in results[0]["findings"]} == {"GK101", "GK102", "GK103", "GK104"}
    assert results[1]["ok"] is True
    assert server.leftovers() == []


def test_select_ignore_and_lang_as_on_the_command_line(server: Running) -> None:
    data = {"lang": "en", "ignore": "GK103", "select": "GK1"}
    with server.client() as c:
        r = c.post("/api/v1/check", files=_upload(FAILING), data=data)
    assert r.status_code == 200
    expected = _cli_json(FAILING, args=("--lang", "en", "--ignore", "GK103", "--select", "GK1"))
    assert r.text == expected
    rules = [f["rule"] for f in r.json()["results"][0]["findings"]]
    assert "GK102" in rules and "GK103" not in rules and all(x.startswith("GK1") for x in rules)


def test_hostile_names_are_never_paths(server: Running) -> None:
    body = (WORD / FAILING).read_bytes()
    hostile = [
        "../../escape.docx",
        "/etc/absolute.docx",
        "C:\\Windows\\drive.docx",
        "nul\x00byte.docx",
        "..",
        "长" * 300 + ".docx",
    ]
    files = [("files", (name, body)) for name in hostile]
    with server.client() as c:
        r = c.post("/api/v1/check", files=files)
    assert r.status_code == 200, r.text
    results = r.json()["results"]
    shown = [x["path"] for x in results]
    # httpx sends NUL as %00; the raw byte is tried below
    assert shown[:4] == ["escape.docx", "absolute.docx", "drive.docx", "nul%00byte.docx"]
    assert shown[4] == "upload"
    assert shown[5].endswith(".docx") and len(shown[5].encode()) <= 150
    for name, result in zip(hostile, results, strict=True):
        assert "/" not in result["path"] and "\x00" not in result["path"]
        assert "gkcheck-serve" not in json.dumps(result, ensure_ascii=False)
        if name != "..":  # the others keep .docx and are checked as the report they are
            assert {f["rule"] for f in result["findings"]} >= {"GK102", "GK103"}, name
    assert not (server.root.parent / "escape.docx").exists()
    assert not Path("/etc/absolute.docx").exists()
    assert server.leftovers() == []


def _raw_part(filename: bytes, body: bytes) -> tuple[bytes, dict[str, str]]:
    part = (
        b'--b0undary\r\nContent-Disposition: form-data; name="files"; filename="'
        + filename
        + b'"\r\nContent-Type: application/octet-stream\r\n\r\n'
        + body
        + b"\r\n--b0undary--\r\n"
    )
    return part, {"Content-Type": "multipart/form-data; boundary=b0undary"}


def test_raw_nul_and_huge_names_refused_or_made_safe(server: Running) -> None:
    body = (WORD / FAILING).read_bytes()
    with server.client() as c:
        content, headers = _raw_part(b"a\x00/../b.docx", body)
        nul = c.post("/api/v1/check", content=content, headers=headers)
        content, headers = _raw_part(("长" * 3000 + ".docx").encode(), body)
        huge = c.post("/api/v1/check", content=content, headers=headers)
        after = c.post("/api/v1/check", files=_upload(PASSING))
    assert nul.status_code == 200, nul.text
    assert nul.json()["results"][0]["path"] == "b.docx"
    assert huge.status_code == 400  # the multipart parser refuses a 9 kB header line
    assert after.status_code == 200
    assert server.leftovers() == []


def test_zip_submission_is_read_by_the_safe_reader(server: Running, tmp_path: Path) -> None:
    import zipfile

    evil = tmp_path / "evil.zip"
    with zipfile.ZipFile(evil, "w") as z:
        z.writestr("../../outside.docx", (WORD / FAILING).read_bytes())
        z.writestr("单位/新闻稿.docx", (WORD / FAILING).read_bytes())
    with server.client() as c:
        r = c.post("/api/v1/check", files=[("files", ("evil.zip", evil.read_bytes()))])
    assert r.status_code == 200
    result = r.json()["results"][0]
    assert result["path"] == "evil.zip" and result["kind"] == "submission"
    reasons = [
        f.get("evidence", {}).get("reason") for f in result["findings"] if f["rule"] == "GK000"
    ]
    assert "unsafe-path" in reasons
    assert any(
        f["path"].startswith("单位/新闻稿") or "新闻稿" in f["path"] for f in result["files"]
    )
    assert {f["rule"] for f in result["findings"]} >= {"GK102", "GK103"}
    assert not (server.root.parent / "outside.docx").exists()
    with server.client() as c:
        both = c.post("/api/v1/check", files=[("files", ("a.zip", b"PK")), *_upload(FAILING)])
    assert both.status_code == 400
    assert server.leftovers() == []


def test_oversize_uploads_get_413(server: Running) -> None:
    big = os.urandom(3 * 1024 * 1024)
    with server.client() as c:
        declared = c.post("/api/v1/check", files=[("files", ("big.pdf", big))])

        content, headers = _raw_part(b"big.pdf", big)

        def chunks() -> Any:  # no Content-Length: the limit is counted as the body streams
            for i in range(0, len(content), 65536):
                yield content[i : i + 65536]

        streamed = c.post("/api/v1/check", content=chunks(), headers=headers)
        after = c.post("/api/v1/check", files=_upload(PASSING))
    assert declared.status_code == 413 and declared.json()["error"] == "too-large"
    assert streamed.status_code == 413
    assert after.status_code == 200 and after.json()["results"][0]["ok"] is True
    assert server.leftovers() == []


def test_bad_requests_are_refused_cleanly(server: Running) -> None:
    with server.client() as c:
        assert c.post("/api/v1/check", data={"lang": "zh"}).status_code == 400
        assert (
            c.post("/api/v1/check", files=_upload(PASSING), data={"lang": "fr"}).status_code == 400
        )
        assert c.post("/api/v1/banner", content=b"not json").status_code == 400
        assert c.post("/api/v1/banner", json={"text": ""}).status_code == 400
        assert c.post("/api/v1/banner", json={"text": "x" * 501}).status_code == 400
        garbage = c.post("/api/v1/check", files=[("files", ("坏.docx", b"\x00garbage"))])
    assert garbage.status_code == 200
    finding = garbage.json()["results"][0]["findings"][0]
    assert finding["rule"] == "GK000" and finding["location"]["file"] == "坏.docx"


def test_banner_rules_health_and_openapi(server: Running) -> None:
    with server.client() as c:
        bad = c.post("/api/v1/banner", json={"text": "区教育局2022年政务公开主题日活动"}).json()
        good = c.post("/api/v1/banner", json={"text": "区教育局2023年“政务公开主题日”活动"}).json()
        rules = c.get("/api/v1/rules").json()
        health = c.get("/healthz").json()
        spec = c.get("/api/v1/openapi.json").json()
        docs = c.get("/api/docs")
        page = c.get("/")
    assert page.headers["content-security-policy"].startswith("default-src 'self'")
    assert page.headers["x-content-type-options"] == "nosniff"
    item = bad["results"][0]
    assert item["valid"] is False and item["expected"] == "区教育局2023年“政务公开主题日”活动"
    assert {f["rule"] for f in item["findings"]} == {"GK302", "GK304"}
    assert good["results"][0]["valid"] is True and good["results"][0]["findings"] == []
    ids = [r["id"] for r in rules["rules"]]
    assert rules["schema"] == 1 and {"GK101", "GK202", "GK302"} <= set(ids)
    assert health["status"] == "ok" and health["ready"] == 2
    assert set(spec["paths"]) >= {"/api/v1/check", "/api/v1/banner", "/api/v1/rules", "/healthz"}
    assert (
        docs.status_code == 200
        and "/api/v1/check" in docs.text
        and "http" not in docs.text.split("<body>")[0].replace("http-equiv", "")
    )


def test_concurrent_requests_all_answered(server: Running) -> None:
    names = [
        FAILING,
        PASSING,
        "r053-one-missing-style-heading1.docx",
        "r003-all-true-table-1x1.docx",
    ]
    expected = {n: json.loads(_cli_json(n))["results"][0] for n in names}

    def one(name: str) -> httpx.Response:
        with server.client() as c:
            return c.post("/api/v1/check", files=_upload(name))

    with concurrent.futures.ThreadPoolExecutor(8) as ex:
        answers = list(ex.map(one, names * 2))
    for name, r in zip(names * 2, answers, strict=True):
        # 2 workers + 2 waiting: the rest may be told to come back, and say when
        assert r.status_code in (200, 503), r.text
        if r.status_code == 200:
            assert r.json()["results"][0] == expected[name]
        else:
            assert int(r.headers["Retry-After"]) >= 1
    assert sum(r.status_code == 200 for r in answers) >= 4
    assert server.leftovers() == []


@pytest.fixture(scope="module")
def faulty() -> Any:
    """One worker whose job hangs or dies on request, a 5 s limit, one place in the queue."""
    settings = Settings(
        workers=1, queue=1, timeout=5, plugins=False, runner="tests.serve.faults:run"
    )
    with running(settings) as s:
        yield s


def test_a_hanging_file_gets_gk000_and_the_server_lives_on(faulty: Running) -> None:
    hang = [("files", ("HANG.docx", (WORD / FAILING).read_bytes()))]

    def one(files: Any) -> httpx.Response:
        with faulty.client() as c:
            return c.post("/api/v1/check", files=files)

    with concurrent.futures.ThreadPoolExecutor(3) as ex:
        first = ex.submit(one, hang)
        _until(lambda: httpx.get(faulty.url + "/healthz").json()["in_flight"] >= 1)
        second = ex.submit(one, hang)
        _until(lambda: httpx.get(faulty.url + "/healthz").json()["in_flight"] >= 2)
        third = one(hang)  # the worker and the queue's one place are taken
        answers = [first.result(), second.result()]
    assert third.status_code == 503 and int(third.headers["Retry-After"]) >= 1
    for r in answers:
        assert r.status_code == 200
        (result,) = r.json()["results"]
        assert result["path"] == "HANG.docx"
        (finding,) = result["findings"]
        assert finding["rule"] == "GK000" and finding["evidence"]["reason"] == "timeout"
    with faulty.client() as c:
        crash = c.post("/api/v1/check", files=[("files", ("CRASH.docx", b"x"))])
        _until(lambda: c.get("/healthz").json()["ready"] >= 1)
        fine = c.post("/api/v1/check", files=_upload(FAILING))
    assert crash.status_code == 200
    assert crash.json()["results"][0]["findings"][0]["evidence"]["reason"] == "crash"
    assert fine.status_code == 200 and fine.text == _cli_json(FAILING)
    assert faulty.leftovers() == []


def _until(condition: Any) -> None:
    """Wait for ``condition()`` (no deadline here: the server's own time limit ends it)."""
    while not condition():
        time.sleep(0.05)


def test_page_progress_tells_queued_then_running(faulty: Running) -> None:
    hang = [("files", ("HANG.docx", (WORD / FAILING).read_bytes()))]
    first_id, second_id = "a" * 32, "b" * 32

    def page(progress: str) -> httpx.Response:
        with faulty.client() as c:
            return c.post("/ui/check", files=hang, data={"progress": progress})

    def state(progress: str) -> dict[str, Any]:
        answer: dict[str, Any] = httpx.get(f"{faulty.url}/ui/progress/{progress}").json()
        return answer

    with concurrent.futures.ThreadPoolExecutor(2) as ex:
        first = ex.submit(page, first_id)
        _until(lambda: state(first_id)["state"] == "running")
        assert state(first_id)["limit"] == 5
        second = ex.submit(page, second_id)
        _until(lambda: state(second_id)["state"] != "unknown")
        assert state(second_id) == {"state": "queued", "ahead": 0}
        _until(lambda: state(second_id)["state"] == "running")  # the first hit its limit
        answers = [first.result(), second.result()]
    assert state(first_id) == {"state": "unknown"} == state(second_id)
    for r in answers:
        assert r.status_code == 200
        assert 'class="card verdict fail"' in r.text and "HANG.docx" in r.text
        assert 'data-rule="GK000"' in r.text
    assert faulty.leftovers() == []


def test_token_required_off_loopback_and_checked_and_keep(tmp_path: Path) -> None:
    from gkcheck.cli import main

    assert main(["serve", "--host", "0.0.0.0", "--port", "1"]) == 2
    settings = Settings(
        workers=1, queue=0, timeout=60, plugins=False, token="s3cret", keep=tmp_path / "kept"
    )
    with running(settings) as s, s.client() as c:
        assert c.get("/healthz").status_code == 200
        denied = c.get("/api/v1/rules")
        assert denied.status_code == 401 and denied.headers["WWW-Authenticate"] == "Bearer"
        assert c.get("/api/v1/rules", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/api/v1/rules", headers={"Authorization": "Bearer s3cret"}).status_code == 200
        page = c.get("/", follow_redirects=False)
        assert page.status_code == 303 and page.headers["location"] == "/login"
        assert c.post("/login", data={"token": "nope"}).status_code == 401
        ok = c.post("/login", data={"token": "s3cret"}, follow_redirects=False)
        assert ok.status_code == 303 and "gkcheck_session" in ok.cookies
        assert c.get("/").status_code == 200  # the cookie now opens the page
        assert not (tmp_path / "kept").exists()  # nothing stored until an answer is given
        answer = c.post(
            "/api/v1/check",
            files=_upload(PASSING),
            headers={"Authorization": "Bearer s3cret"},
        )
    assert answer.status_code == 200
    (kept,) = (tmp_path / "kept").iterdir()
    assert kept.read_text(encoding="utf-8") == answer.text


def test_folders_of_dead_servers_are_swept(tmp_path: Path) -> None:
    from gkcheck.serve.app import DIR_PREFIX, _sweep_stale

    gone = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    dead = tmp_path / f"{DIR_PREFIX}{int(gone.stdout)}-abc"
    (dead / "req" / "in").mkdir(parents=True)
    (dead / "req" / "in" / "left.docx").write_bytes(b"x")
    alive = tmp_path / f"{DIR_PREFIX}{os.getpid()}-def"
    alive.mkdir()
    other = tmp_path / "not-ours"
    other.mkdir()
    _sweep_stale(tmp_path)
    assert not dead.exists() and alive.exists() and other.exists()


def test_submission_mode_answers_the_cli_json_for_the_folder(
    server: Running, tmp_path: Path
) -> None:
    """Several files as one unit's folder, through the whole pipeline (banner OCR included)."""
    name = "区教育局-0420-政策解读"
    folder = tmp_path / name
    folder.mkdir()
    (folder / "新闻稿.docx").write_bytes((WORD / FAILING).read_bytes())
    photo = ROOT / "samples" / "banner" / "104-year-wrong-cloth-1l.jpg"
    (folder / "现场照片1.jpg").write_bytes(photo.read_bytes())
    files = [("files", (p.name, p.read_bytes())) for p in sorted(folder.iterdir())]
    with server.client() as c:
        r = c.post("/api/v1/check", files=files, data={"mode": "submission", "name": name})
    assert r.status_code == 200
    assert r.text == _cli_json(name, cwd=tmp_path)
    (result,) = r.json()["results"]
    assert result["path"] == name and result["kind"] == "submission"
    assert (
        result["banner"]["text"] == "雨花区应急局2021年“政务公开主题日”活动"
    )  # samples/banner/expected.json
    assert "GK304" in {f["rule"] for f in result["findings"]}
    assert server.leftovers() == []
