"""Hostile templates in a meeting folder: no code runs, nothing outside is read, every render is bounded.

Each attack goes through ``drafting build`` on a real meeting folder whose
``templates/`` holds it, and must end with exit status 2, a Chinese message
naming the template, no traceback, no output file and no other effect.
"""

from __future__ import annotations

import json
import pickle
import re
import shutil
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting.cli import cli
from drafting.errors import TemplateError
from drafting.folder import load_meeting_folder
from drafting.markup import parse_markup
from drafting.templating import limits, make_environment, render_template
from drafting.templating.plain import UserText, to_plain

SMALL = Path(__file__).parent / "fixtures" / "speech" / "small_meeting"
CJK = re.compile(r"[\u4e00-\u9fff]")


def meeting_with(tmp_path: Path, templates: dict[str, str]) -> Path:
    folder = tmp_path / "会议"
    shutil.copytree(SMALL, folder)
    for name, text in templates.items():
        path = folder / "templates" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return folder


def build(folder: Path) -> "object":
    return CliRunner().invoke(cli, ["build", str(folder), "--only", "speech"], catch_exceptions=False)


def assert_refused(folder: Path, template: str = "speech.gw.j2") -> str:
    """Exit 2, one Chinese message naming ``template``, no traceback, nothing written; returns the message."""
    result = build(folder)
    output = result.output
    assert result.exit_code == 2, output
    assert output.startswith("错误：") and template in output, output
    message = output.split("：", 2)[-1]
    assert CJK.search(message), output
    assert "Traceback" not in output and "内部错误" not in output
    assert not (folder / "输出").exists()
    return output


# -- code execution ----------------------------------------------------------


class _WritesMarker:
    """Unpickling this writes the marker file (a stand-in for any shell command)."""

    def __init__(self, marker: Path) -> None:
        self.marker = marker

    def __reduce__(self):  # noqa: ANN204 - pickle protocol
        return (exec, (f"open({str(self.marker)!r}, 'w').write('pwned')",))


def pickle_text(marker: Path) -> str:
    payload = pickle.dumps(_WritesMarker(marker), protocol=0).decode("ascii")
    assert pickle.loads(payload.encode("ascii")) is None and marker.exists()  # the payload really works
    marker.unlink()
    return payload


def test_pickle_through_parse_raw_does_not_run(tmp_path: Path) -> None:
    marker = tmp_path / "marker.txt"
    literal = json.dumps(pickle_text(marker))
    folder = meeting_with(
        tmp_path, {"speech.gw.j2": f'::title 标题\n{{{{ meeting.parse_raw({literal}, proto="pickle", allow_pickle=True) }}}}\n'}
    )
    assert "parse_raw" in assert_refused(folder)
    assert not marker.exists()


@pytest.mark.parametrize("owner", ["meeting", "meeting.speaker", "figures", "meeting.speech.sections[0]"])
def test_pickle_through_parse_file_does_not_run(tmp_path: Path, owner: str) -> None:
    marker = tmp_path / "marker.txt"
    payload = tmp_path / "payload.pkl"
    payload.write_text(pickle_text(marker), encoding="ascii")
    template = f'{{{{ {owner}.parse_file({json.dumps(str(payload))}, proto="pickle", allow_pickle=True) }}}}\n'
    assert_refused(meeting_with(tmp_path, {"speech.gw.j2": template}))
    assert not marker.exists()


ESCAPES = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ meeting.__class__.__init__.__globals__ }}",
    "{{ meeting.__class__.__mro__ }}",
    "{{ (meeting|attr('__class__')).__subclasses__() }}",
    "{{ ''|attr('__class__')|attr('__mro__') }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ namespace(a=1).__class__ }}",
    "{{ lipsum.__globals__['os'].popen('id').read() }}",
    "{{ lipsum(10) }}",
    "{{ range.__self__ }}",
    "{{ ''.join.__self__.__class__ }}",
    "{{ '{0.__class__}'.format(meeting) }}",
    "{{ '{0}'.format(meeting) }}",
    "{{ '{name}'.format_map(meeting) }}",
    "{{ '%s'|format(meeting) }}",
    "{{ '%s' % meeting }}",
    "{{ meeting.name.format }}",
    "{{ meeting.name.encode('utf-8') }}",
    "{{ self.__init__.__globals__ }}",
    "{{ self._TemplateReference__context }}",
    "{{ config.items() }}",
    "{{ request.application.__globals__ }}",
    "{{ dict.mro() }}",
    "{{ meeting.mro() }}",
    "{{ dict.fromkeys([1]) }}",
    "{{ meeting.model_dump() }}",
    "{{ meeting.model_dump_json() }}",
    "{{ meeting.model_validate({}) }}",
    "{{ meeting.model_copy(update={'name': 'x'}) }}",
    "{{ meeting.model_fields }}",
    "{{ meeting.speaker.model_construct() }}",
    "{{ meeting.dict() }}",
    "{{ meeting.copy(update={'name': 'x'}) }}",
    "{{ meeting.json() }}",
    "{{ meeting.schema() }}",
    "{{ meeting.update({'name': 'x'}) }}",
    "{{ meeting.pop('name') }}",
    "{{ meeting.speech.sections.append(1) }}",
    "{{ meeting.speech.sections.clear() }}",
    "{% for x in [1] %}{{ loop.__class__ }}{% endfor %}",
    "{% for x in [1] %}{{ loop._iterator }}{% endfor %}",
    "{{ figures.by_level.items.__self__ }}",
    "{{ meeting.date.replace(year=1) }}",
    "{{ meeting.date.__class__.today() }}",
    "{{ meeting.date.strftime('%Y') }}",
    "{{ figures.completed.as_tuple() }}",
    "{{ (1).__class__ }}",
    "{{ meeting.name|attr('format') }}",
    "{{ meeting.name|center(10) }}",
    "{{ meeting|tojson }}",
    "{{ meeting|pprint }}",
    "{{ meeting|xmlattr }}",
]


@pytest.mark.parametrize("attack", ESCAPES)
def test_escape_attempt_is_refused(tmp_path: Path, attack: str) -> None:
    assert_refused(meeting_with(tmp_path, {"speech.gw.j2": f"::title 标题\n{attack}\n"}))


def test_escape_attempt_in_an_included_template_names_that_template(tmp_path: Path) -> None:
    folder = meeting_with(tmp_path, {"speech/head.gw.j2": "::title 标题\n{{ meeting.model_dump() }}\n"})
    assert_refused(folder, "head.gw.j2")


# -- bounded time, text and nesting --------------------------------------------

BOMBS = {
    "nested loops": ("{% for i in range(100000) %}{% for j in range(100000) %}x{% endfor %}{% endfor %}", "循环"),
    "quiet nested loops": ("{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}", "循环"),
    "huge power": ("{{ 10**(10**10) }}", "乘方"),
    "power of a power": ("{{ (2**3000) ** 2 }}", "乘方"),
    "huge product": ("{% set n = 10**300 %}{{ n * n * n * n }}", "乘法"),
    "text repetition": ("{{ 'x' * 10**10 }}", "重复"),
    "list repetition": ("{{ [1, 2] * 10**9 }}", "重复"),
    "repetition on the right": ("{{ 10**10 * 'x' }}", "重复"),
    "doubling by concatenation": (
        "{% set ns = namespace(s='x') %}{% for i in range(60) %}{% set ns.s = ns.s ~ ns.s %}{% endfor %}{{ ns.s|length }}",
        "拼接",
    ),
    "doubling by addition": (
        "{% set ns = namespace(s=['x']) %}{% for i in range(60) %}{% set ns.s = ns.s + ns.s %}{% endfor %}{{ ns.s|length }}",
        "相加",
    ),
    "output flood": ("{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}", "渲染结果超过"),
    "literal flood": ("{% for i in range(100000) %}" + "字" * 1000 + "{% endfor %}", "渲染结果超过"),
    "captured flood": (
        "{% set s %}{% for i in range(100000) %}{{ 'x' * 1000 }}{% endfor %}{% endset %}{{ s|length }}",
        "渲染结果超过",
    ),
    "replace bomb": ("{{ ('x' * 1000)|replace('', 'y' * 100000) }}", "替换"),
    "str.replace bomb": ("{{ ('x' * 1000).replace('x', 'y' * 100000) }}", "替换"),
    "join bomb": ("{{ (['x' * 10000] * 10000)|join }}", "连接"),
    "str.join bomb": ("{{ '-'.join(['x' * 10000] * 10000) }}", "连接"),
    "percent formatting": ("{{ '%1000000000d' % 1 }}", "%"),
    "huge range": ("{{ range(10**12)|list|length }}", "range"),
    "sum of lists": ("{{ ([[1] * 100000] * 100000)|sum(start=[]) }}", "sum"),
}


@pytest.mark.parametrize("name", list(BOMBS))
def test_bomb_ends_with_a_chinese_message(tmp_path: Path, name: str) -> None:
    attack, words = BOMBS[name]
    output = assert_refused(meeting_with(tmp_path, {"speech.gw.j2": f"::title 标题\n{attack}\n"}))
    assert words in output


RECURSION = {
    "self include": {"speech.gw.j2": '::title 标题\n{% include "speech.gw.j2" %}\n'},
    "mutual include": {
        "speech.gw.j2": '{% include "a.gw.j2" %}\n',
        "a.gw.j2": '{% include "b.gw.j2" %}\n',
        "b.gw.j2": '{% include "a.gw.j2" %}\n',
    },
    "extends loop": {
        "speech.gw.j2": '{% extends "a.gw.j2" %}\n',
        "a.gw.j2": '{% extends "b.gw.j2" %}\n',
        "b.gw.j2": '{% extends "a.gw.j2" %}\n',
    },
    "import loop": {"speech.gw.j2": '{% import "speech.gw.j2" as me %}\n'},
    "macro recursion": {"speech.gw.j2": "{% macro f(n) %}{{ f(n + 1) }}{% endmacro %}{{ f(0) }}\n"},
    "recursive loop": {"speech.gw.j2": "{% for x in [1] recursive %}{{ loop([x]) }}{% endfor %}\n"},
}


@pytest.mark.parametrize("name", list(RECURSION))
def test_template_recursion_ends_with_a_chinese_message(tmp_path: Path, name: str) -> None:
    output = assert_refused(meeting_with(tmp_path, RECURSION[name]), ".gw.j2")
    assert "嵌套过深" in output


def test_render_time_is_limited(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(limits, "MAX_RENDER_SECONDS", 0.0)
    env = make_environment([tmp_path])
    (tmp_path / "t.j2").write_text("{% for i in range(1000) %}{{ i }}{% endfor %}", encoding="utf-8")
    with pytest.raises(TemplateError, match="秒"):
        render_template(env, "t.j2", {})


def test_oversized_template_file_is_refused(tmp_path: Path) -> None:
    big = "字" * (limits.MAX_TEMPLATE_BYTES // 3 + 1)
    output = assert_refused(meeting_with(tmp_path, {"speech.gw.j2": big}))
    assert "MB" in output


def test_template_saved_in_gbk_gets_a_chinese_message_naming_it(tmp_path: Path) -> None:
    folder = meeting_with(tmp_path, {})
    (folder / "templates").mkdir()
    (folder / "templates" / "speech.gw.j2").write_bytes("::title 标题\n正文\n".encode("gbk"))
    output = assert_refused(folder)
    assert "UTF-8" in output and "另存为" in output


# -- what templates may still do -------------------------------------------------

HONEST = """\
{% import "macros.gw.j2" as m %}
{% set ns = namespace(total=0) %}
{% for s in meeting.speech.sections %}{% set ns.total = ns.total + 1 %}{% endfor %}
{{ meeting.name|trim }}；{{ meeting.speech_title }}；{{ meeting.letters_year }}；{{ meeting.scope_word }}
{{ m.pair(meeting.speaker.name, meeting.speaker.title) }}；{{ ns.total }}部分
{{ meeting.date.year }}-{{ meeting.date.month }}；{{ meeting.date|cn_date }}
{% set c = cycler("甲", "乙") %}{% set j = joiner("、") %}{% for i in range(3) %}{{ j() }}{{ c.next() }}{{ loop.index }}{% endfor %}{{ "" }}
{{ "ab".upper() ~ "-" * 3 ~ 2 ** 10 }}；{{ ["x", "y"]|join("/") }}；{{ "甲乙"|replace("乙", "丙") }}
{% for k, v in dict(a=1).items() %}{{ k }}={{ v }}{% endfor %}；{{ figures.project_count }}；{{ figures.gap is none }}
{% for g in meeting.speech.sections|groupby("role") %}{{ g.grouper }}{{ g.list|length }}{% endfor %}{{ "" }}
"""


def test_honest_templates_keep_every_everyday_feature(tmp_path: Path) -> None:
    (tmp_path / "t.gw.j2").write_text(HONEST, encoding="utf-8")
    (tmp_path / "macros.gw.j2").write_text("{% macro pair(a, b) %}{{ b }}{{ a }}{% endmacro %}", encoding="utf-8")
    folder = load_meeting_folder(SMALL)
    from drafting.figures import compute_figures

    context = {"meeting": folder.meeting, "figures": compute_figures(folder.ledger.projects, folder.meeting.date)}
    lines = render_template(make_environment([tmp_path]), "t.gw.j2", context).splitlines()
    assert lines == [
        "全区项目建设调度会；在全区项目建设调度会上的讲话；2026；全区",
        "区政府副区长王某某；3部分",
        "2026-3；2026年3月6日",
        "甲1、乙2、甲3",
        "AB---1024；x/y；甲丙",
        f"a=1；{len(folder.ledger.projects)}；False",
        "guarantee1what1why1",
    ]


def test_context_becomes_plain_data_with_computed_properties() -> None:
    folder = load_meeting_folder(SMALL)
    plain = to_plain({"meeting": folder.meeting, "folder": folder})
    meeting = plain["meeting"]
    assert type(meeting) is dict and meeting["letters_year"] == 2026 and meeting["speech_title"].startswith("在")
    assert type(meeting["speaker"]) is dict and isinstance(meeting["speaker"]["name"], UserText)

    def walk(value: object) -> None:
        assert type(value) in {dict, list, tuple, str, UserText, int, float, bool, type(None)} or type(value).__name__ in {
            "Decimal",
            "date",
        }, type(value)
        if isinstance(value, dict):
            for key, item in value.items():
                walk(key)
                walk(item)
        elif isinstance(value, (list, tuple)):
            for item in value:
                walk(item)

    walk(plain)


def test_shared_data_is_converted_once_and_cycles_are_refused() -> None:
    shared = ["甲"] * 10
    nested: list = shared
    for _ in range(30):  # 10**30 leaves if expanded
        nested = [nested] * 10
    converted = to_plain({"a": shared, "b": shared})
    assert converted["a"] is converted["b"] and converted["a"] == ["甲"] * 10
    bomb = to_plain(nested)  # finishes: every shared list is converted once
    assert bomb[0] is bomb[9] and bomb[0][0] is bomb[9][9]
    loop: list = []
    loop.append(loop)
    with pytest.raises(ValueError, match="循环引用"):
        to_plain(loop)


# -- user text never becomes structure ------------------------------------------


def test_line_breaks_in_values_do_not_start_markup_lines(tmp_path: Path) -> None:
    (tmp_path / "t.gw.j2").write_text("::title {{ name }}\n正文：{{ name }}。\n", encoding="utf-8")
    text = render_template(make_environment([tmp_path]), "t.gw.j2", {"name": "全区会议\n# 注入标题\n- 注入列举\u2028::pagebreak"})
    document = parse_markup(text)
    assert len(text.splitlines()) == 2
    assert [type(b).__name__ for b in document.blocks] == ["Title", "Paragraph"]


def test_value_at_the_start_of_a_line_is_text_not_markup(tmp_path: Path) -> None:
    template = "{{ a }}\n\n{{ empty }}{{ b }}\n\n  {{ c }}\n\n{{ '' ~ a ~ '。' }}\n\n{{ a|trim }}\n\n{{ made }} 真列举\n"
    (tmp_path / "t.gw.j2").write_text(template + "{% set h = '# 模板自己的标题' %}\n{{ h }}\n", encoding="utf-8")
    context = {"a": "# 不是标题", "empty": "", "b": "- 不是列举", "c": "::pagebreak", "made": "x"}
    env = make_environment([tmp_path])
    text = render_template(env, "t.gw.j2", {**context, "made": "-"})
    blocks = parse_markup(text).blocks
    kinds = [type(b).__name__ for b in blocks]
    assert kinds == ["Paragraph"] * 6 + ["Heading"]
    assert [b.text for b in blocks[:5]] == ["# 不是标题", "- 不是列举", "::pagebreak", "# 不是标题。", "# 不是标题"]
    assert blocks[-1].text == "模板自己的标题"  # text the template writes itself is still markup


def test_meeting_name_with_a_heading_does_not_add_a_heading_to_the_speech(tmp_path: Path) -> None:
    folder = meeting_with(tmp_path, {})
    yaml_path = folder / "meeting.yaml"
    text = yaml_path.read_text(encoding="utf-8")
    yaml_path.write_text(text.replace("name: 全区项目建设调度会", 'name: "全区项目建设调度会\\n# 注入标题\\n- 注入列举"'), encoding="utf-8")
    result = build(folder)
    assert result.exit_code == 0, result.output
    import docx

    document = docx.Document(str(folder / "输出" / "讲话稿.docx"))
    texts = [p.text for p in document.paragraphs]
    assert not any(t.strip().endswith("注入标题") and len(t) < 12 for t in texts)
    assert any("全区项目建设调度会# 注入标题- 注入列举" in t for t in texts)
