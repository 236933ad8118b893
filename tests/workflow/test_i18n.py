"""Chinese all through: help, usage and configuration errors from the catalogues, kept in step."""

from __future__ import annotations

import subprocess
import sys
import tomllib
from importlib import resources
from pathlib import Path

import pytest
from tests.conftest import ROOT

from gkcheck.cli import main
from gkcheck.errors import ConfigError
from gkcheck.ui import env_lang, say

LANGS = ("zh", "en")


def _catalogue(lang: str) -> dict:  # type: ignore[type-arg]
    text = (resources.files("gkcheck") / "i18n" / f"{lang}.toml").read_text(encoding="utf-8")
    return tomllib.loads(text)


def _keys(table: dict, prefix: str = "") -> set[str]:  # type: ignore[type-arg]
    out: set[str] = set()
    for key, value in table.items():
        out |= _keys(value, f"{prefix}{key}.") if isinstance(value, dict) else {prefix + key}
    return out


def test_every_message_exists_in_both_languages() -> None:
    zh, en = (_keys(_catalogue(lang)) for lang in LANGS)
    assert not zh - en, f"only in zh.toml: {sorted(zh - en)}"
    assert not en - zh, f"only in en.toml: {sorted(en - zh)}"


def test_placeholders_agree_between_languages() -> None:
    import string

    zh, en = (_catalogue(lang) for lang in LANGS)
    for table, keys in zh.items():
        for key, text in keys.items():
            if not isinstance(text, str):
                continue
            names = {f[1] for f in string.Formatter().parse(text) if f[1]}
            other = {f[1] for f in string.Formatter().parse(en[table][key]) if f[1]}
            assert names == other, (table, key, names, other)


def _help(env_lang_value: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(ROOT / "src"), "LANG": env_lang_value}
    return subprocess.run(
        [sys.executable, "-m", "gkcheck", *args], capture_output=True, text=True,
        timeout=120, env=env, check=False,
    )


def test_check_help_is_chinese_under_zh_cn_and_english_on_request() -> None:
    zh = _help("zh_CN.UTF-8", "check", "--help")
    assert zh.returncode == 0
    assert zh.stdout.startswith("用法：gkcheck check")
    for text in ("位置参数", "选项", say("fail_level", "zh"), say("format", "zh"), say("waivers", "zh")):
        assert text in zh.stdout
    assert "show this help" not in zh.stdout
    en = _help("zh_CN.UTF-8", "check", "--lang", "en", "--help")
    assert en.stdout.startswith("usage: gkcheck check") and say("exit_zero", "en") in en.stdout


SUBCOMMANDS = (
    ("batch",), ("logo",), ("banner",), ("schedule",), ("waive",), ("rules",), ("serve",),
    ("check",), ("config",), (),
)


def _help_texts(lang: str, words: tuple[str, ...]) -> list[str]:
    """Every help string, description and group title of a sub-command's parser."""
    import argparse

    from gkcheck.cli import _load_extras, _parser

    _load_extras()
    parser = _parser(lang)
    for word in words:
        action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
        parser = action.choices[word]
    texts = [parser.description or ""]
    texts += [g.title or "" for g in parser._action_groups]
    texts += [a.help for a in parser._actions if a.help and a.help != argparse.SUPPRESS]
    return [t for t in texts if t]


@pytest.mark.parametrize("words", SUBCOMMANDS, ids=lambda w: " ".join(w) or "gkcheck")
def test_every_help_text_comes_from_the_catalogue(words: tuple[str, ...]) -> None:
    import re

    zh, en = _help_texts("zh", words), _help_texts("en", words)
    assert len(zh) == len(en) >= 3
    for text in zh:  # Chinese, not English: no run of three English words outside code
        prose = re.sub(r"gkcheck( [a-z]+)+|[`$][^`\s]*|--[\w-]+|\b[A-Z_]{2,}\b|\w+\.(?:toml|md|jsonl|json|xlsx|html|png)", "", text)
        assert re.search(r"[\u4e00-\u9fff]", text), text
        assert not re.search(r"\b[a-z]{2,} [a-z]{2,} [a-z]{2,}\b", prose), text
    for text in en:
        assert not re.search(r"[\u4e00-\u9fff]{3}", text.replace("政务公开主题日", "").replace("会标", "")), text


def test_help_texts_are_written_in_only_when_help_may_be_printed(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # a parser without help texts (most command lines) parses every command line as the one
    # with them; -h, -qh, --help and its abbreviations still print help in the language asked
    from gkcheck.cli import _load_extras, _parser, wants_help

    _load_extras()
    lines = [
        ["logo", "--format", "json", "-j", "2", "a.jpg"],
        ["check", "--lang", "en", "--select", "GK101", "-q", "x"],
        ["batch", "in", "--out", "out", "--no-progress"],
        ["rules", "GK101", "--format", "json"],
    ]
    for argv in lines:
        assert not wants_help(argv)
        assert vars(_parser("zh", texts=False).parse_args(argv)) == vars(
            _parser("zh").parse_args(argv)
        )
    for argv in (["-h"], ["logo", "-h"], ["check", "-qh"], ["logo", "--hel"], ["--help"]):
        assert wants_help(argv), argv
    assert not wants_help(["logo", "--", "-h"]) and not wants_help(["logo", "--logo", "x"])
    for argv, words in (
        (["logo", "-h"], "多张照片同时检查"),
        (["logo", "--lang", "en", "--hel"], "threads to use"),
        (["check", "-qh"], "只输出检查发现"),
    ):
        assert main(argv) == 0
        assert words in capsys.readouterr().out, argv


def test_subcommand_errors_are_chinese_and_english_on_request(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = str(tmp_path / "none")
    cases = [
        (["batch", missing, "--out", str(tmp_path / "o")], "不是文件夹", "not a folder"),
        (["batch", str(tmp_path), "--out", str(tmp_path / "o"), "-j", "x"], "不是数字", "not a number"),
        (["schedule", missing], "不是文件夹", "not a folder"),
        (["waive", missing, "GK101", "--reason", "r", "--reviewer", "v"], "找不到文件或文件夹", "no such file"),
        (["banner"], "请给出会标文字", "give a TEXT"),
        (["logo", "template", "x.jpg"], "用法：gkcheck logo template", "usage: gkcheck logo template"),
        (["serve", "--host", "0.0.0.0"], "可从其他机器访问", "reachable from other machines"),
        (["check", "--as-of", "2023", "x"], "不是日期", "not a date"),
        (["batch"], "缺少必需的参数：DIR, --out", "the following arguments are required"),
    ]
    for argv, zh, en in cases:
        assert main(argv) == 2, argv
        err = capsys.readouterr().err
        assert zh in err and "Traceback" not in err, (argv, err)
        assert main([*argv[:1], "--lang", "en", *argv[1:]]) == 2, argv
        err = capsys.readouterr().err
        assert en in err, (argv, err)


def test_the_batch_lock_message_is_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from gkcheck.batch.state import locked

    (tmp_path / "in").mkdir()
    with locked(tmp_path / "out"):
        assert main(["batch", str(tmp_path / "in"), "--out", str(tmp_path / "out")]) == 2
    assert "另一个 gkcheck batch 正在写入" in capsys.readouterr().err


def test_usage_and_config_errors_are_chinese(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["check"]) == 2
    assert "缺少必需的参数：PATH" in capsys.readouterr().err
    assert main(["check", "--fail-level", "nope", "x"]) == 2
    assert "参数 --fail-level 的值 'nope' 无效" in capsys.readouterr().err
    assert main(["check", str(tmp_path / "none.docx")]) == 2
    assert "找不到文件或文件夹" in capsys.readouterr().err
    cfg = tmp_path / "gkcheck.toml"
    cfg.write_text('year = "二〇二三"\n[rules]\nselect = ["GK1O1"]\n', encoding="utf-8")
    docx = str(ROOT / "samples" / "word" / "r001-inserted-only-twice.docx")
    assert main(["check", "--config", str(cfg), docx]) == 2
    assert "year: 必须是年份，如 2023" in capsys.readouterr().err
    cfg.write_text('[rules]\nselect = ["GK1O1"]\n', encoding="utf-8")
    assert main(["check", "--no-plugins", "--config", str(cfg), docx]) == 2
    err = capsys.readouterr().err
    assert "未知的规则 'GK1O1'，是否是 GK101" in err
    assert main(["check", "--lang", "en", "--no-plugins", "--config", str(cfg), docx]) == 2
    assert "unknown rule 'GK1O1'; did you mean GK101" in capsys.readouterr().err


def test_environment_chooses_the_interface_language(monkeypatch: pytest.MonkeyPatch) -> None:
    for var in ("GKCHECK_LANG", "LC_ALL", "LC_MESSAGES", "LANG"):
        monkeypatch.delenv(var, raising=False)
    assert env_lang() == "zh"
    monkeypatch.setenv("LANG", "en_US.UTF-8")
    assert env_lang() == "en"
    monkeypatch.setenv("LC_ALL", "zh_CN.UTF-8")
    assert env_lang() == "zh"
    monkeypatch.setenv("LC_ALL", "C.UTF-8")
    assert env_lang() == "en"  # C chooses nothing; LANG still says English
    monkeypatch.setenv("GKCHECK_LANG", "zh")
    assert env_lang() == "zh"  # gkcheck's own setting wins over the desktop's


def test_config_errors_are_worded_where_shown() -> None:
    err = ConfigError("lang", "err_number", "x.toml")
    assert err.text("zh") == "x.toml: lang: 必须是数字"
    assert str(err) == err.text("en") == "x.toml: lang: must be a number"
    assert err.problem == "must be a number"


def test_unreadable_reasons_are_chinese_and_evidence_keeps_the_original(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json

    bad = ROOT / "samples" / "bad"
    files = [str(bad / n) for n in ("corrupt.docx", "encrypted.docx", "entities.docx", "renamed-text.docx")]
    assert main(["check", "--no-plugins", "--no-ocr", "--format", "json", *files]) == 1
    results = json.loads(capsys.readouterr().out)["results"]
    messages = [f["message"] for r in results for f in r["findings"] if f["rule"] == "GK000"]
    assert len(messages) == 4
    for message in messages:  # no English words left in the Chinese message
        assert not any(w in message for w in ("zip archive", "password", "declares", "looks like")), message
    assert "不是有效的 zip 格式" in messages[0] and "内容看起来是纯文本" in messages[3]
    details = [f["evidence"].get("detail", "") for r in results for f in r["findings"]]
    assert any(d.startswith("not a valid zip archive") for d in details)  # the contract keeps it


def test_every_bad_file_is_worded_in_chinese_from_the_catalogue(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import json
    import re

    bad = ROOT / "samples" / "bad"
    files = sorted(str(p) for p in bad.iterdir() if p.suffix in (".docx", ".pdf"))
    assert main(["check", "--no-plugins", "--no-ocr", "--format", "json", *files]) == 1
    results = json.loads(capsys.readouterr().out)["results"]
    findings = [f for r in results for f in r["findings"] if f["rule"] in ("GK000", "GK001")]
    assert len(findings) == len(files)
    for f in findings:  # no English sentence left in a Chinese message
        prose = re.sub(r"[\w.-]+\.(docx|pdf|xml)|word/[\w./]+|\.docx|\d+", "", f["message"])
        assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{2,}", prose), f["message"]
        assert f["key"] in ("unreadable", "unsupported") and "params" in f


def test_a_stored_finding_is_worded_again_in_the_other_language(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Findings carry their message key and language-free parameters (the JSON contract)."""
    import json

    from gkcheck.api import engine_for
    from gkcheck.batch.records import result_from_dict
    from gkcheck.config import load_config

    sub = ROOT / "samples" / "submissions" / "区交通运输局-0505-源头企业安全监管座谈"
    bad = ROOT / "samples" / "bad"
    inputs = [str(sub), str(bad / "corrupt.docx"), str(bad / "word97.docx"), str(bad / "renamed-text.docx")]
    out = {}
    for lang in LANGS:
        assert main(["check", "--no-plugins", "--no-ocr", "--lang", lang, "--format", "json", *inputs]) in (0, 1)
        out[lang] = json.loads(capsys.readouterr().out)["results"]
    assert [f["message"] for r in out["zh"] for f in r["findings"]] != [
        f["message"] for r in out["en"] for f in r["findings"]
    ]
    cfg = load_config(None)
    rules = engine_for(cfg, lang="en", plugins=False).registry.rules
    for zh, en in zip(out["zh"], out["en"], strict=True):
        again = result_from_dict(zh)
        worded = [
            f.rendered("en", rules[f.rule].template, cfg.message_context()).to_json()
            for f in again.findings
        ]
        for mine, fresh in zip(worded, en["findings"], strict=True):
            assert (mine["message"], mine.get("hint"), mine.get("evidence")) == (
                fresh["message"], fresh.get("hint"), fresh.get("evidence")
            )
    messages = [f["message"] for r in out["zh"] for f in r["findings"]]
    assert len(messages) >= 6


def test_no_english_prose_in_chinese_findings(capsys: pytest.CaptureFixture[str]) -> None:
    """Reasons, places and details in a Chinese review are Chinese (code and names aside)."""
    import json
    import re

    inputs = [
        ROOT / "samples" / "pdf" / "scan" / "r003-all-true-table-1x1.pdf",
        ROOT / "samples" / "submissions" / "区交通运输局-0505-源头企业安全监管座谈",
        ROOT / "samples" / "bad" / "bomb.docx",
        ROOT / "samples" / "bad" / "entities.docx",
    ]
    assert main(["check", "--no-plugins", "--no-ocr", "--format", "json", *map(str, inputs)]) == 1
    results = json.loads(capsys.readouterr().out)["results"]
    texts = [t for r in results for f in r["findings"] for t in (f["message"], f.get("hint") or "")]
    assert len(texts) >= 16
    for text in texts:
        prose = re.sub(r"--[\w-]+|\w+ = \w+|[\w./-]+\.(docx|pdf|xml|toml|mp4)|OCR|LOGO|word/\S+", "", text)
        assert not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", prose), text


def test_zip_problems_are_worded_in_the_review_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import json
    import zipfile

    archive = tmp_path / "区教育局-材料.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as z:
        z.write(ROOT / "samples" / "word" / "r001-inserted-only-twice.docx", "新闻稿.docx")
        z.writestr("附件.docx", b"\0" * (6 * 1024 * 1024))  # a ratio no real document has
    for lang, words in (("zh", "压缩比"), ("en", "compression ratio")):
        main(["check", "--no-plugins", "--no-ocr", "--lang", lang, "--format", "json", str(archive)])
        result = json.loads(capsys.readouterr().out)["results"][0]
        (gk000,) = [f for f in result["findings"] if f["rule"] == "GK000"]
        assert words in gk000["message"], gk000
        assert gk000["evidence"]["detail"].startswith("compression ratio")  # English evidence
