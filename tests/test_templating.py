"""The sandboxed template environment: lookup order, line-oriented output, located Chinese errors."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from jinja2.sandbox import SandboxedEnvironment

from drafting.errors import TemplateError
from drafting.markup import parse_markup
from drafting.templating import FILTERS, make_environment, render_template

FIXTURES = Path(__file__).parent / "fixtures" / "templating"
BUILTIN = FIXTURES / "builtin"
OVERRIDE = FIXTURES / "override"
ERRORS = FIXTURES / "errors"

SPEECH_CONTEXT = {
    "title": "在全区重点项目建设推进会上的讲话",
    "speaker": "张某某",
    "date": dt.date(2026, 3, 6),
    "sections": [
        {"title": "提高站位", "points": ["要认识到……", "要看到……"]},
        {"title": "突出重点", "points": ["抓开工。"]},
        {"title": "强化保障", "points": ["抓要素。"]},
    ],
}


def line_of(path: Path, marker: str) -> int:
    """1-based line of the first line of a fixture containing ``marker``."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if marker in line:
            return number
    raise AssertionError(f"{marker!r} not in {path}")


def render_error(name: str, context: dict | None = None) -> TemplateError:
    env = make_environment([ERRORS])
    with pytest.raises(TemplateError) as info:
        render_template(env, name, context or {})
    return info.value


# -- environment ------------------------------------------------------------


def test_environment_is_sandboxed_strict_and_has_every_filter() -> None:
    env = make_environment([BUILTIN])
    assert isinstance(env, SandboxedEnvironment)
    assert not env.autoescape
    for name, function in FILTERS.items():
        assert env.filters[name].__wrapped__ is function  # wrapped to count against the render budget


def test_earlier_search_path_overrides_builtin_template_of_same_name() -> None:
    env = make_environment([OVERRIDE, BUILTIN])
    text = render_template(env, "讲话.gw.j2", SPEECH_CONTEXT)
    assert text.startswith("::title 本次会议自己的讲话模板\n")


def test_template_missing_from_first_path_falls_back_to_builtin() -> None:
    env = make_environment([OVERRIDE, BUILTIN])
    text = render_template(env, "通报.gw.j2", {"count": 52, "done": 12.5, "ratio": 0.8534})
    assert "全区52个项目完成投资12.5亿元，占年度计划的85.3%。" in text


def test_missing_search_directory_is_skipped(tmp_path: Path) -> None:
    env = make_environment([tmp_path / "templates", BUILTIN])
    text = render_template(env, "通报.gw.j2", {"count": 1, "done": 3, "ratio": 1})
    assert "完成投资3亿元" in text


def test_block_tags_leave_no_blank_lines_or_indent_and_markup_parses() -> None:
    env = make_environment([BUILTIN])
    text = render_template(env, "讲话.gw.j2", SPEECH_CONTEXT)
    lines = text.splitlines()
    assert "::byline （张某某  2026年3月6日）" in lines
    assert lines[lines.index("# 提高站位") + 1] == "- 要认识到……"
    assert all(line == line.lstrip() for line in lines)
    assert text.endswith("\n")  # keep_trailing_newline
    document = parse_markup(text, source="讲话.gw.j2")
    assert [h.full_text for h in document.headings()] == ["一、提高站位", "二、突出重点", "三、强化保障"]
    assert "下面，我讲三点意见：" in [getattr(b, "text", "") for b in document.blocks]


def test_no_autoescaping_of_markup_characters(tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text("{{ text }}", encoding="utf-8")
    env = make_environment([tmp_path])
    assert render_template(env, "t.j2", {"text": "<甲&乙> \"丙\""}) == "<甲&乙> \"丙\""


# -- sandbox ----------------------------------------------------------------


def test_dunder_class_is_refused_with_location() -> None:
    error = render_error("unsafe_class.j2")
    assert "__class__" in error.message
    assert "不安全" in error.message
    assert Path(error.location.file).name == "unsafe_class.j2"
    assert error.location.line == line_of(ERRORS / "unsafe_class.j2", "__class__")


def test_cycler_globals_escape_is_refused() -> None:
    error = render_error("unsafe_globals.j2")
    assert "不安全" in error.message
    assert "__init__" in error.message
    assert error.location.line == line_of(ERRORS / "unsafe_globals.j2", "__globals__")


def test_mro_of_a_type_is_refused() -> None:
    error = render_error("unsafe_mro.j2")
    assert "mro" in error.message
    assert "不安全" in error.message


# -- strict undefined ---------------------------------------------------------


def test_undefined_variable_names_variable_template_and_line() -> None:
    error = render_error("undefined.j2", {"title": "测试"})
    assert "“organizer”未定义" in error.message
    assert Path(error.location.file).name == "undefined.j2"
    assert error.location.line == line_of(ERRORS / "undefined.j2", "organizer")
    assert str(error).startswith("undefined.j2 第3行：")


def test_missing_key_of_a_mapping_names_the_key() -> None:
    error = render_error("attribute.j2", {"meeting": {"name": "推进会"}})
    assert "“venue”未定义" in error.message
    assert error.location.line == line_of(ERRORS / "attribute.j2", "venue")


def test_error_in_included_template_points_into_that_template() -> None:
    error = render_error("include_bad.j2", {"title": "测试"})
    assert Path(error.location.file).name == "undefined.j2"
    assert error.location.line == line_of(ERRORS / "undefined.j2", "organizer")


# -- syntax and lookup ----------------------------------------------------------


def test_syntax_error_reports_line_in_chinese() -> None:
    error = render_error("syntax.j2", {"items": []})
    assert error.message.startswith("模板语法错误")
    assert Path(error.location.file).name == "syntax.j2"
    assert error.location.line == line_of(ERRORS / "syntax.j2", "{{ item }")


def test_unclosed_block_is_a_syntax_error() -> None:
    error = render_error("unclosed.j2")
    assert "模板意外结束：“if”块缺少结束标签 endif" in error.message
    assert Path(error.location.file).name == "unclosed.j2"


def test_unknown_filter_is_named() -> None:
    error = render_error("unknown_filter.j2")
    assert "“no_such_filter”" in error.message
    assert error.location.line == line_of(ERRORS / "unknown_filter.j2", "no_such_filter")


def test_missing_template_names_it_and_the_search_paths() -> None:
    error = render_error("不存在.j2")
    assert "找不到模板“不存在.j2”" in error.message
    assert str(ERRORS) in error.message
    assert error.location.file == "不存在.j2"


def test_missing_included_template_names_the_including_line() -> None:
    error = render_error("include_missing.j2")
    assert "“没有这个.j2”" in error.message
    assert Path(error.location.file).name == "include_missing.j2"
    assert error.location.line == line_of(ERRORS / "include_missing.j2", "include")


# -- filter failures ------------------------------------------------------------


def test_value_error_from_filter_names_template_and_line() -> None:
    error = render_error("filter_error.j2", {"fraction": 2.5})
    assert "整数" in error.message  # the filter's own Chinese explanation
    assert Path(error.location.file).name == "filter_error.j2"
    assert error.location.line == line_of(ERRORS / "filter_error.j2", "fraction")
    assert isinstance(error.__cause__, ValueError)


def test_template_saved_with_bom_renders_without_it(tmp_path: Path) -> None:
    (tmp_path / "bom.j2").write_bytes("::title {{ title }}\n".encode("utf-8-sig"))
    env = make_environment([tmp_path])
    text = render_template(env, "bom.j2", {"title": "通报"})
    assert text == "::title 通报\n"
    assert parse_markup("\ufeff" + text).blocks[0].lines == ["通报"]


def test_default_search_paths_put_the_meeting_folder_first(tmp_path: Path) -> None:
    from drafting.resources import templates_dir
    from drafting.templating import default_search_paths

    assert default_search_paths(tmp_path / "templates") == [tmp_path / "templates", templates_dir()]
    assert default_search_paths() == [templates_dir()]


def test_missing_index_is_reported(tmp_path: Path) -> None:
    (tmp_path / "t.j2").write_text("第一行\n{{ items[3] }}\n", encoding="utf-8")
    env = make_environment([tmp_path])
    with pytest.raises(TemplateError) as info:
        render_template(env, "t.j2", {"items": [1]})
    assert "下标为3" in info.value.message
    assert info.value.location.line == 2
