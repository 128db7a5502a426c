"""Meeting kinds: each example builds a complete draft that passes its own review checks; 会议通知; 会议纪要; phrase-bank variants."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from drafting import resources
from drafting.build import REVIEW_RULES
from drafting.documents.speech import load_phrases
from drafting.check.config import CheckConfig
from drafting.check.engine import check_draft
from drafting.check.names import meeting_names
from drafting.folder import load_meeting_folder
from drafting.cli import cli
from drafting.compare import compare_files
from drafting.document import Attachment, Heading, Paragraph, Roster, Signature, Title
from drafting.kinds import KINDS
from drafting.compare import text_sentences
from drafting.phrasebank import choose, resolve
from drafting.readers import load_draft

OUTPUT_FILES = {"speech": "讲话稿.docx", "call": "会议通知.docx", "minutes": "会议纪要.docx"}


def run(*args: str):
    return CliRunner().invoke(cli, list(args), catch_exceptions=False)


def texts(blocks) -> list[str]:
    out = []
    for block in blocks:
        if isinstance(block, Heading):
            out.append(block.full_text)
        elif isinstance(block, (Paragraph, Title)):
            out.append(block.text)
    return out


@pytest.fixture(scope="module", params=list(KINDS))
def built(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path, str]:
    kind = request.param
    folder = tmp_path_factory.mktemp("kinds") / kind
    assert run("example", str(folder), "--kind", kind).exit_code == 0
    result = run("build", str(folder), "--only", "speech,call,minutes")
    assert result.exit_code == 0, result.output
    return kind, folder, result.output


def test_example_names_its_kind(built: tuple[str, Path, str]) -> None:
    kind, folder, _ = built
    assert f"kind: {kind}" in (folder / "meeting.yaml").read_text(encoding="utf-8")


@pytest.mark.parametrize("document", list(OUTPUT_FILES))
def test_each_kind_builds_drafts_without_review_findings(built: tuple[str, Path, str], document: str) -> None:
    kind, folder, output = built
    assert "审稿时会被退回" not in output
    draft = load_draft(folder / "输出" / OUTPUT_FILES[document])
    meeting = load_meeting_folder(folder)
    names = meeting_names(meeting.meeting, meeting.ledger, meeting.priorities)  # the example's 某某区 is no blank
    report = check_draft(draft, CheckConfig(select=REVIEW_RULES, keyword_count=0, known_names=names))
    assert report.findings == [], [f.message for f in report.findings]
    body = "".join(texts(draft.document.blocks))
    assert "{{" not in body and "None" not in body


def test_speech_structure_per_kind(built: tuple[str, Path, str]) -> None:
    kind, folder, _ = built
    document = load_draft(folder / "输出" / "讲话稿.docx").document
    level1 = [b for b in document.blocks if isinstance(b, Heading) and b.level == 1]
    body = "".join(texts(document.blocks))
    from drafting.numbering import cn_count

    if kind == "调度会":
        assert f"下面，我再强调{cn_count(len(level1))}点：" in body
        assert not body.startswith("同志们")  # a short speech goes straight in
    else:
        assert f"讲{cn_count(len(level1))}点意见：" in body
        assert body.endswith("！")
    attachments = [b for b in document.blocks if isinstance(b, Attachment)]
    if kind == "总结表彰会":
        assert "先进集体4个" in body and "先进个人5名" in body
        (honors,) = attachments
        names = "".join(texts(honors.blocks))
        assert "重点项目建设先进集体（4个）" in names and "李某某、王某某、赵某某、陈某某、刘某某" in names
    else:
        assert attachments == []


def test_call_says_when_where_who_and_whom_to_ask(built: tuple[str, Path, str]) -> None:
    kind, folder, _ = built
    document = load_draft(folder / "输出" / "会议通知.docx").document
    headings = [b.text for b in document.blocks if isinstance(b, Heading) and b.level == 1]
    assert headings[:2] == ["会议时间", "会议地点"] and "有关要求" in headings and headings[-1] == "联系方式"
    body = "".join(texts(document.blocks))
    assert "联系人：王某某，联系电话：0000-1234567。" in body
    assert any(isinstance(b, Signature) and b.lines == ["某某区人民政府"] for b in document.blocks)


def test_minutes_have_the_mark_and_attendees(built: tuple[str, Path, str]) -> None:
    kind, folder, _ = built
    document = load_draft(folder / "输出" / "会议纪要.docx").document
    paragraphs = texts(document.blocks)
    assert any(t.endswith("纪要") for t in paragraphs[:3])
    roster = document.blocks[-1]
    assert isinstance(roster, Roster) and roster.label == "出席" and roster.text  # read back as the 出席 line
    assert not any(isinstance(b, Signature) for b in document.blocks)  # a 纪要 is not signed


def test_unknown_kind_is_refused_in_chinese(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    assert run("example", str(folder)).exit_code == 0
    meeting = folder / "meeting.yaml"
    meeting.write_text(meeting.read_text(encoding="utf-8").replace("kind: 推进会", "kind: 座谈会"), encoding="utf-8")
    result = run("build", str(folder))
    assert result.exit_code == 2
    assert "meeting.yaml" in result.output and "kind" in result.output
    assert all(k in result.output for k in KINDS) and "Traceback" not in result.output
    assert not (folder / "输出").exists()


def test_commendation_without_honors_is_refused(tmp_path: Path) -> None:
    folder = tmp_path / "会议"
    assert run("example", str(folder), "--kind", "总结表彰会").exit_code == 0
    meeting = folder / "meeting.yaml"
    text = meeting.read_text(encoding="utf-8")
    start, end = text.index("honors:"), text.index("speech:")
    meeting.write_text(text[:start] + text[end:], encoding="utf-8")
    result = run("build", str(folder))
    assert result.exit_code == 2 and "表彰名单" in result.output


def test_variant_choice_is_deterministic_and_avoids_a_previous_draft() -> None:
    options = ["项目是经济工作的生命线，必须摆在突出位置。", "抓发展必须抓项目，这一点任何时候都不能动摇。", "投资看项目，后劲在项目。"]
    picks = {choose(options, f"会议{i}", "sections.why") for i in range(40)}
    assert picks == set(options)  # the seed spreads the choice
    assert choose(options, "会议7", "sections.why") == choose(options, "会议7", "sections.why")
    first = choose(options, "会议7", "sections.why")
    # the previous draft said the chosen phrase nearly word for word: another one is taken
    previous = text_sentences([first.replace("必须", "务必")])
    second = choose(options, "会议7", "sections.why", avoid=previous)
    assert second != first and second in options
    # every option repeated: fall back to the usual choice rather than fail
    assert choose(options, "会议7", "sections.why", avoid=text_sentences(options)) == first
    bank = {"a": {"choose": [["甲段。", "乙段。"], ["丙段。"]]}, "b": ["列表不是选项"]}
    resolved = resolve(bank, "会议7")
    assert resolved["a"] in (["甲段。", "乙段。"], ["丙段。"]) and resolved["b"] == ["列表不是选项"]


def test_build_previous_steers_the_phrase_bank(tmp_path: Path) -> None:
    folder = tmp_path / "动员会"
    assert run("example", str(folder), "--kind", "动员部署会").exit_code == 0
    assert run("build", str(folder), "--only", "speech", "-o", str(tmp_path / "第一稿")).exit_code == 0
    first = tmp_path / "第一稿" / "讲话稿.docx"
    result = run("build", str(folder), "--only", "speech", "-o", str(tmp_path / "第二稿"), "--previous", str(first))
    assert result.exit_code == 0, result.output
    second = tmp_path / "第二稿" / "讲话稿.docx"
    again = compare_files(first, second)
    stances = load_phrases(resources.corpus_dir() / "phrases" / "speech_mobilize.yaml")["opening"]["stance"]["choose"]
    first_text = "".join(texts(load_draft(first).document.blocks))
    second_text = "".join(texts(load_draft(second).document.blocks))
    (used,) = [s for s in stances if s in first_text]
    assert used not in second_text and any(s in second_text for s in stances if s != used)
    # the meeting's own paragraphs stay, so the new draft still repeats part of the old one
    assert "今年是“十五五”开局起步之年" in second_text
    assert 0 < again.share < 1


def test_new_documents_render_through_libreoffice_with_their_own_text(tmp_path: Path) -> None:
    from rendering import docx_to_pdfs, pdf_pages_text

    folder = tmp_path / "表彰会"
    assert run("example", str(folder), "--kind", "总结表彰会").exit_code == 0
    assert run("build", str(folder), "--only", "speech,call,minutes").exit_code == 0
    paths = [folder / "输出" / name for name in ("讲话稿.docx", "会议通知.docx", "会议纪要.docx")]
    pdfs = docx_to_pdfs(paths, tmp_path / "pdf")
    for path, pdf in zip(paths, pdfs):
        pages = [re.sub(r"—\s*\d+\s*—\s*$", "", page.strip()) for page in pdf_pages_text(pdf)]  # page numbers
        rendered = "".join(pages).replace(" ", "").replace("\n", "")
        for text in texts(load_draft(path).document.blocks):
            assert text.replace(" ", "") in rendered, (path.name, text)
    speech_pages = pdf_pages_text(pdfs[0])
    assert "表彰名单" in speech_pages[-1] and "李某某" in speech_pages[-1]  # the list starts a page of its own
    assert "某某区人民政府会议纪要" in pdf_pages_text(pdfs[2])[0].replace(" ", "")


def test_example_refuses_an_unknown_kind_in_chinese(tmp_path: Path) -> None:
    result = run("example", str(tmp_path / "会议"), "--kind", "座谈会")
    assert result.exit_code == 2
    assert "未知的会议种类“座谈会”" in result.output and "动员部署会" in result.output and "is not one of" not in result.output
    assert not (tmp_path / "会议").exists()
