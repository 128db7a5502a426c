"""Compiled built-in and library templates come from the user cache: same output, same sandbox, edits seen, meeting templates never cached."""

from __future__ import annotations

import hashlib
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting.cli import cli
from drafting.errors import TemplateError
from drafting.templating import limits, make_environment, render_template
from drafting.templating.bytecode import PREFIX

SMALL = Path(__file__).parent / "fixtures" / "speech" / "small_meeting"

HONEST = """::title {{ title }}
{% for item in items %}
{{ loop.index }}. {{ item|upper }}{{ '，' if not loop.last else '。' }}
{% endfor %}
{% set ns = namespace(n=0) %}{% for i in range(5) %}{% set ns.n = ns.n + i %}{% endfor %}合计{{ ns.n }}
"""


@pytest.fixture()
def library(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    user = tmp_path / "库"
    user.mkdir()
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(user))
    return user


def _cache_files(tmp_path: Path) -> list[Path]:
    return sorted((tmp_path / "cache" / "drafting").glob(PREFIX + "*/*.j2c"))


def _no_compiling(env: object, monkeypatch: pytest.MonkeyPatch) -> None:
    def compile(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    monkeypatch.setattr(env, "compile", compile)


def test_library_template_is_compiled_once_and_renders_the_same(library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (library / "t.gw.j2").write_text(HONEST, encoding="utf-8")
    context = {"title": "标题", "items": ["ab", "cd"]}
    first = render_template(make_environment([library]), "t.gw.j2", context)
    assert first == "::title 标题\n1. AB，\n2. CD。\n合计10\n"
    assert len(_cache_files(tmp_path)) == 1
    env = make_environment([library])
    _no_compiling(env, monkeypatch)
    assert render_template(env, "t.gw.j2", context) == first


def test_edited_library_template_is_compiled_again(library: Path, tmp_path: Path) -> None:
    path = library / "t.gw.j2"
    path.write_text("第一版{{ x }}\n", encoding="utf-8")
    assert render_template(make_environment([library]), "t.gw.j2", {"x": 1}) == "第一版1\n"
    [cached] = _cache_files(tmp_path)
    before = cached.read_bytes()
    path.write_text("第二版{{ x }}\n", encoding="utf-8")
    assert render_template(make_environment([library]), "t.gw.j2", {"x": 1}) == "第二版1\n"
    assert cached.read_bytes() != before  # replaced by the new code


@pytest.mark.parametrize(
    ("attack", "words"),
    [
        ("{{ ''.__class__.__mro__ }}", "不允许"),
        ("{{ (meeting|attr('__class__')) }}", "不允许"),
        ("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", "渲染结果超过"),
        ("{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}", "拼接"),
        ("{{ 10**(10**10) }}", "乘方"),
    ],
)
def test_sandbox_and_limits_apply_to_cached_templates(
    library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, attack: str, words: str
) -> None:
    (library / "t.gw.j2").write_text(attack + "\n", encoding="utf-8")
    with pytest.raises(TemplateError, match=words):
        render_template(make_environment([library]), "t.gw.j2", {"meeting": {"name": "会"}})
    assert len(_cache_files(tmp_path)) == 1
    env = make_environment([library])
    _no_compiling(env, monkeypatch)
    with pytest.raises(TemplateError, match=words):
        render_template(env, "t.gw.j2", {"meeting": {"name": "会"}})


def test_loop_budget_applies_to_cached_templates(library: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (library / "t.gw.j2").write_text("{% for i in range(20) %}{{ i }}{% endfor %}\n", encoding="utf-8")
    render_template(make_environment([library]), "t.gw.j2", {})
    monkeypatch.setattr(limits, "MAX_LOOP_ITERATIONS", 10)
    env = make_environment([library])
    _no_compiling(env, monkeypatch)
    with pytest.raises(TemplateError, match="循环"):
        render_template(env, "t.gw.j2", {})


def test_meeting_templates_are_never_cached(library: Path, tmp_path: Path) -> None:
    meeting = tmp_path / "会议" / "templates"
    meeting.mkdir(parents=True)
    (meeting / "t.gw.j2").write_text("会议自己的{{ x }}\n", encoding="utf-8")
    (library / "lib.gw.j2").write_text("库里的\n", encoding="utf-8")
    env = make_environment([meeting, library])
    assert render_template(env, "t.gw.j2", {"x": 1}) == "会议自己的1\n"
    assert _cache_files(tmp_path) == []
    assert render_template(env, "lib.gw.j2", {}) == "库里的\n"
    assert len(_cache_files(tmp_path)) == 1


def test_damaged_cache_file_is_compiled_again(library: Path, tmp_path: Path) -> None:
    (library / "t.gw.j2").write_text(HONEST, encoding="utf-8")
    context = {"title": "标题", "items": ["ab"]}
    expected = render_template(make_environment([library]), "t.gw.j2", context)
    [cached] = _cache_files(tmp_path)
    for damage in (b"", b"j2garbage", cached.read_bytes()[:40], b"\x80\x04not a pickle at all"):
        cached.write_bytes(damage)
        assert render_template(make_environment([library]), "t.gw.j2", context) == expected
        assert cached.read_bytes() not in (damage,)


def test_unwritable_cache_still_renders(library: Path, tmp_path: Path) -> None:
    (tmp_path / "cache").write_text("a file where the cache folder would be", encoding="utf-8")
    (library / "t.gw.j2").write_text("正文{{ x }}\n", encoding="utf-8")
    assert render_template(make_environment([library]), "t.gw.j2", {"x": 2}) == "正文2\n"


def test_speech_is_the_same_with_a_cold_and_a_warm_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    digests = []
    for run in range(2):
        folder = tmp_path / f"会议{run}"
        shutil.copytree(SMALL, folder)
        result = CliRunner().invoke(cli, ["build", str(folder), "--only", "speech"], catch_exceptions=False)
        assert result.exit_code == 0, result.output
        digests.append(hashlib.sha256((folder / "输出" / "讲话稿.docx").read_bytes()).hexdigest())
        assert _cache_files(tmp_path)  # the built-in speech templates were cached by the first run
    assert digests[0] == digests[1]
