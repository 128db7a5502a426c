"""The web page and API through Starlette's TestClient: every route, and hostile requests."""

from __future__ import annotations

import hashlib
import io
import json
import re
import stat
import threading
import time
import zipfile
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner
from openpyxl import load_workbook
from starlette.testclient import TestClient

from drafting.cli import cli
from drafting.cli import cli as cli_command
from drafting.example import write_example
from drafting.web.app import create_app
from drafting.web.uploads import Limits

BASE = "http://127.0.0.1:8765"
HTML = {"accept": "text/html"}
FLAWED = "关于XX工作的讲话\n\n同志们：\n\n今年要继续打赢脱贫攻坚战，确保完成XX个项目。\n\n今年要继续打赢脱贫攻坚战，确保完成XX个项目。\n"


def make_client(workspace: Path, **options: object) -> TestClient:
    return TestClient(create_app(workspace, **options), base_url=BASE)  # type: ignore[arg-type]


@pytest.fixture()
def client(tmp_path: Path):
    with make_client(tmp_path / "ws") as c:
        yield c


def csrf(client: TestClient) -> str:
    client.get("/", headers=HTML)
    token = client.cookies.get("drafting_csrf")
    assert token
    return token


def example_zip(tmp_path: Path, edit=None, top: str = "会议") -> bytes:
    folder = tmp_path / "src" / top
    write_example(folder)
    if edit:
        edit(folder)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(folder.rglob("*")):
            zf.write(path, path.relative_to(folder.parent).as_posix())
    return buffer.getvalue()


def cli_error(args: list[str], cwd: Path) -> str:
    """The message the CLI prints (without its 错误： prefix) and exit status 2."""
    import os

    old = os.getcwd()
    os.chdir(cwd)
    try:
        result = CliRunner().invoke(cli, args)
    finally:
        os.chdir(old)
    assert result.exit_code == 2, result.output
    return result.output.strip().removeprefix("错误：")


def break_ledger(folder: Path) -> None:
    book = load_workbook(folder / "projects.xlsx")
    sheet = book.active
    column = next(c.column for c in sheet[1] if c.value == "总投资（亿元）")
    sheet.cell(row=3, column=column).value = "很多"
    book.save(folder / "projects.xlsx")


def wait_build(client: TestClient, url: str) -> dict:
    for _ in range(600):
        status = client.get(url + "/status").json()
        if status["state"] in ("done", "failed"):
            return status
        time.sleep(0.1)
    raise AssertionError("build did not finish")


# Pages


def test_every_page_renders_in_chinese(client: TestClient) -> None:
    for url, heading in (("/", "推进会公文起草与核稿"), ("/meetings", "会议"), ("/build", "生成公文"), ("/check", "核稿"), ("/templates", "模板")):
        response = client.get(url, headers=HTML)
        assert response.status_code == 200, url
        assert f"<h1>{heading}" in response.text
        assert 'lang="zh-CN"' in response.text
        assert "default-src 'self'" in response.headers["content-security-policy"]
    assert client.get("/static/style.css").status_code == 200
    assert client.get("/static/app.js").status_code == 200
    assert client.get("/nothing", headers=HTML).status_code == 404


def test_csrf_cookie_is_samesite_strict_and_httponly(client: TestClient) -> None:
    response = client.get("/", headers=HTML)
    cookie = response.headers["set-cookie"]
    assert cookie.startswith("drafting_csrf=") and "HttpOnly" in cookie and "SameSite=strict" in cookie


def test_example_meeting_is_created_listed_and_built(client: TestClient, tmp_path: Path) -> None:
    token = csrf(client)
    response = client.post("/meetings/new", data={"kind": "example", "name": "春季会议", "csrf": token}, follow_redirects=False)
    assert response.status_code == 303 and response.headers["location"] == "/meetings/%E6%98%A5%E5%AD%A3%E4%BC%9A%E8%AE%AE"
    folder = tmp_path / "ws" / "春季会议"
    assert (folder / "meeting.yaml").is_file() and (folder / "projects.xlsx").is_file()
    assert "春季会议" in client.get("/meetings", headers=HTML).text
    page = client.get("/meetings/春季会议", headers=HTML).text
    assert "会议资料齐全、无误" in page and 'value="全区重点项目建设推进会"' in page

    response = client.post("/build", data={"meeting": "春季会议", "csrf": token, "only": ["speech", "notice"]}, follow_redirects=False)
    assert response.status_code == 303
    url = response.headers["location"]
    status = wait_build(client, url)
    assert status["state"] == "done" and status["done"] == status["total"] == 3  # two files and the manifest
    page = client.get(url, headers=HTML).text
    assert "已生成 2 个文件" in page and "讲话稿重点工作覆盖情况" in page
    links = re.findall(r'href="(/builds/[^"/]+/files/\d+)"', page)
    assert len(links) == 2
    speech = client.get(links[0])
    assert speech.status_code == 200 and "filename*=utf-8''" in speech.headers["content-disposition"]
    assert speech.headers["x-content-type-options"] == "nosniff"
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(speech.content)).paragraphs)
    assert "在全区重点项目建设推进会上的讲话" in text
    assert (folder / "输出" / "讲话稿.docx").read_bytes() == speech.content
    everything = zipfile.ZipFile(io.BytesIO(client.get(url + "/all.zip").content))
    assert sorted(everything.namelist()) == ["manifest.json", "讲话稿.docx", "进度通报.docx"]


def test_rebuild_on_the_page_reports_stale_pdfs_in_the_clis_words(client: TestClient, tmp_path: Path) -> None:
    token = csrf(client)
    client.post("/meetings/new", data={"kind": "example", "name": "会", "csrf": token})
    options = {"meeting": "会", "csrf": token, "only": ["speech", "notice"]}
    first = client.post("/build", data=options, follow_redirects=False).headers["location"]
    assert wait_build(client, first)["state"] == "done"
    assert "PDF" not in client.get(first, headers=HTML).text.split("<table")[0]  # nothing stale on a first build
    out = tmp_path / "ws" / "会" / "输出"
    speech_pdf, notice_pdf = out / "讲话稿.pdf", out / "进度通报.pdf"
    speech_pdf.write_bytes(b"%PDF-1.7\n% the old speech\n%%EOF\n")  # as an earlier build --pdf wrote it
    notice_pdf.write_bytes(b"%PDF-1.7\n% the old notice, annotated\n%%EOF\n")  # not known to drafting
    entries = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    speech = next(e for e in entries if e["kind"] == "speech")
    speech["pdf"], speech["pdf_sha256"] = "讲话稿.pdf", hashlib.sha256(speech_pdf.read_bytes()).hexdigest()
    (out / "manifest.json").write_text(json.dumps(entries, ensure_ascii=False), encoding="utf-8")

    second = client.post("/build", data=options, follow_redirects=False).headers["location"]
    assert wait_build(client, second)["state"] == "done"
    assert not speech_pdf.exists() and notice_pdf.is_file()  # the page's build never deletes the user's bytes
    notes = re.findall(r'<p class="warn">([^<]*)</p>', client.get(second, headers=HTML).text)
    assert notes == [
        "已删除与重新生成的 Word 文件不再一致的 1 个旧 PDF（需要 PDF 时请勾选“同时生成 PDF”重新生成）：讲话稿.pdf",
        "注意：以下 1 个 PDF 是旧稿，与重新生成的 Word 文件已不一致（修改过或无法确认由本工具生成，予以保留），"
        "请勿打印；可自行删除，或勾选“同时生成 PDF”重新生成：进度通报.pdf",
    ]
    # the CLI says the same, but names its --pdf flag
    cli = CliRunner().invoke(cli_command, ["build", str(tmp_path / "ws" / "会"), "--only", "speech,notice", "--force"])
    assert cli.exit_code == 0, cli.output
    assert notes[1].replace("勾选“同时生成 PDF”重新生成", "加 --pdf 重新生成").replace("：进度通报.pdf", "：\n  进度通报.pdf") in cli.output


def test_second_build_of_a_meeting_waits_for_the_first(client: TestClient, tmp_path: Path) -> None:
    token = csrf(client)
    client.post("/meetings/new", data={"kind": "example", "name": "会", "csrf": token})
    server = client.app.state.server  # type: ignore[attr-defined]
    lock = server.workspace.lock(tmp_path / "ws" / "会")
    with lock:  # as if another build of this meeting were running
        url = client.post("/build", data={"meeting": "会", "csrf": token, "only": "notice"}, follow_redirects=False).headers["location"]
        for _ in range(5):
            assert client.get(url + "/status").json()["state"] == "waiting"
        assert "等待同一会议的上一次生成结束" in client.get(url, headers=HTML).text
        assert not (tmp_path / "ws" / "会" / "输出").exists()
    assert wait_build(client, url)["state"] == "done"


def test_build_form_refuses_bad_options_with_the_cli_message(client: TestClient) -> None:
    token = csrf(client)
    client.post("/meetings/new", data={"kind": "example", "name": "会", "csrf": token})
    response = client.post("/build", data={"meeting": "会", "csrf": token, "as_of": "2026-02-30"}, headers=HTML)
    assert response.status_code == 400
    assert "参数 --as-of 的值无效" in response.text
    response = client.post("/build", data={"meeting": "../etc", "csrf": token}, headers=HTML)
    assert response.status_code == 400 and "没有这个会议" in response.text


def test_meeting_form_puts_each_message_next_to_its_field(client: TestClient, tmp_path: Path) -> None:
    token = csrf(client)
    client.post("/meetings/new", data={"kind": "example", "name": "会", "csrf": token})
    path = tmp_path / "ws" / "会" / "meeting.yaml"
    before = path.read_text(encoding="utf-8")
    page = client.get("/meetings/会", headers=HTML).text
    rest = re.search(r'<textarea id="f-rest"[^>]*>(.*?)</textarea>', page, re.S).group(1)
    import html

    rest = html.unescape(rest)
    assert "speech:" in rest and "meeting:" not in rest
    values = {
        "meeting.name": "全区项目推进会",
        "meeting.date": "2026-13-06",
        "meeting.organizer": "某某区人民政府",
        "meeting.speaker.name": "",
        "meeting.speaker.title": "区长",
        "meeting.audience": "各街道\n各部门",
    }
    response = client.post("/meetings/会/form", data={**values, "rest": rest.replace("role: why", "role: 为什么"), "csrf": token}, headers=HTML)
    assert response.status_code == 400
    fields = dict(re.findall(r'<div class="field-error" data-field="([^"]+)"><p>(.*?)</p>', response.text))
    assert "无法识别的日期“2026-13-06”：月份应为1至12" in fields["meeting.date"]
    assert "“meeting.speaker.name”" in fields["meeting.speaker.name"]
    assert "应为以下之一：why、what、how、guarantee" in html.unescape(fields["rest"])
    assert path.read_text(encoding="utf-8") == before  # nothing saved

    response = client.post("/meetings/会/form", data={**values, "meeting.date": "2026-04-01", "meeting.speaker.name": "王某", "rest": rest, "csrf": token}, follow_redirects=False)
    assert response.status_code == 303
    saved = path.read_text(encoding="utf-8")
    assert "全区项目推进会" in saved and "王某" in saved and "各部门" in saved and "role: why" in saved
    assert "# large_type: true" in saved  # comments of the rest are kept


def test_meeting_page_shows_ledger_problems_beside_the_files(client: TestClient, tmp_path: Path) -> None:
    token = csrf(client)
    client.post("/meetings/new", data={"kind": "example", "name": "会", "csrf": token})
    folder = tmp_path / "ws" / "会"
    break_ledger(folder)
    expected = cli_error(["build", "会"], tmp_path / "ws")
    page = client.get("/meetings/会", headers=HTML).text
    files = re.search(r'<div class="field-error" data-field="files"><p>(.*?)</p>', page).group(1)
    assert files == expected
    assert "这个会议还有 1 处需要修改" in page


def test_meeting_is_not_changed_while_it_builds(client: TestClient, tmp_path: Path) -> None:
    token = csrf(client)
    client.post("/meetings/new", data={"kind": "example", "name": "会", "csrf": token})
    folder = tmp_path / "ws" / "会"
    before = (folder / "meeting.yaml").read_bytes()
    page = client.get("/meetings/会", headers=HTML).text
    import html

    rest = html.unescape(re.search(r'<textarea id="f-rest"[^>]*>(.*?)</textarea>', page, re.S).group(1))
    fields = {"meeting.name": "新名称", "meeting.date": "2026-03-06", "meeting.organizer": "某某区人民政府", "meeting.speaker.name": "张某某", "meeting.speaker.title": "区长"}
    with client.app.state.server.workspace.lock(folder):  # type: ignore[attr-defined]
        response = client.post("/meetings/会/form", data={**fields, "rest": rest, "csrf": token}, headers=HTML)
        assert response.status_code == 409 and "该会议正在生成文件" in response.text
        response = client.post("/meetings/会/upload", data={"role": "priorities", "csrf": token}, files={"file": ("p.yaml", b"priorities: []\n")}, headers=HTML)
        assert response.status_code == 400 and "该会议正在生成文件" in response.text
    assert (folder / "meeting.yaml").read_bytes() == before


def test_meeting_upload_replaces_a_file_only_when_it_is_valid(client: TestClient, tmp_path: Path) -> None:
    token = csrf(client)
    client.post("/meetings/new", data={"kind": "example", "name": "会", "csrf": token})
    folder = tmp_path / "ws" / "会"
    other = tmp_path / "other"
    write_example(other)
    break_ledger(other)
    before = (folder / "projects.xlsx").read_bytes()
    response = client.post(
        "/meetings/会/upload",
        data={"role": "ledger", "csrf": token},
        files={"file": ("台账.xlsx", (other / "projects.xlsx").read_bytes())},
        headers=HTML,
    )
    assert response.status_code == 400
    assert "总投资（亿元）" in response.text and "第3行" in response.text
    assert (folder / "projects.xlsx").read_bytes() == before
    priorities = "priorities:\n  - name: 招商引资\n"
    response = client.post(
        "/meetings/会/upload", data={"role": "priorities", "csrf": token}, files={"file": ("../../p.yaml", priorities.encode())}, follow_redirects=False
    )
    assert response.status_code == 303
    assert (folder / "priorities.yaml").read_text(encoding="utf-8") == priorities
    assert not (tmp_path / "p.yaml").exists()


def test_front_page_ledger_upload_makes_a_meeting(client: TestClient, tmp_path: Path) -> None:
    token = csrf(client)
    source = tmp_path / "src"
    write_example(source)
    response = client.post(
        "/meetings/new?from=/",
        data={"kind": "upload", "csrf": token},
        files={"file": ("二季度台账.xlsx", (source / "projects.xlsx").read_bytes())},
        follow_redirects=False,
    )
    assert response.status_code == 303
    assert (tmp_path / "ws" / "二季度台账" / "projects.xlsx").read_bytes() == (source / "projects.xlsx").read_bytes()
    break_ledger(source)
    response = client.post(
        "/meetings/new?from=/",
        data={"kind": "upload", "csrf": token, "name": "坏"},
        files={"file": ("台账.xlsx", (source / "projects.xlsx").read_bytes())},
        headers=HTML,
    )
    assert response.status_code == 400 and "第3行" in response.text
    assert not (tmp_path / "ws" / "坏").exists()
    assert [p.name for p in (tmp_path / "ws").iterdir()] == ["二季度台账"]  # no staging left behind


def test_zip_upload_on_the_page_makes_a_meeting(client: TestClient, tmp_path: Path) -> None:
    token = csrf(client)
    data = example_zip(tmp_path, top="县会议")
    response = client.post("/meetings/new", data={"kind": "upload", "csrf": token}, files={"file": ("x.zip", data)}, follow_redirects=False)
    assert response.status_code == 303
    assert (tmp_path / "ws" / "县会议" / "meeting.yaml").is_file()


def test_zip_from_windows_with_gbk_names_keeps_the_chinese_names(client: TestClient, tmp_path: Path) -> None:
    source = tmp_path / "src"
    write_example(source)

    class GbkName(zipfile.ZipInfo):  # Windows' own zip tool: GBK bytes and no UTF-8 flag
        def _encodeFilenameFlags(self):  # noqa: N802 - zipfile's hook
            return self.filename.encode("gbk"), self.flag_bits

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for path in sorted(source.iterdir()):
            zf.writestr(GbkName(f"县里的会议/{path.name}"), path.read_bytes())
    assert not zipfile.ZipFile(io.BytesIO(buffer.getvalue())).infolist()[0].flag_bits & 0x800
    token = csrf(client)
    response = client.post("/meetings/new", data={"kind": "upload", "csrf": token}, files={"file": ("m.zip", buffer.getvalue())}, follow_redirects=False)
    assert response.status_code == 303
    assert (tmp_path / "ws" / "县里的会议" / "projects.xlsx").is_file()


# 核稿


def test_check_page_groups_findings_and_highlights_the_words(client: TestClient, tmp_path: Path) -> None:
    token = csrf(client)
    document = docx.Document()
    for line in FLAWED.split("\n\n"):
        document.add_paragraph(line.strip())
    buffer = io.BytesIO()
    document.save(buffer)
    response = client.post("/check", data={"csrf": token}, files={"file": ("初稿.docx", buffer.getvalue())}, headers=HTML)
    assert response.status_code == 200
    page = response.text
    groups = re.findall(r'<div class="rule-group" data-rule="([^"]+)">', page)
    assert {"placeholder", "outdated-term", "repeat"} <= set(groups)
    assert "<mark>打赢脱贫攻坚战</mark>" in page and "<mark>XX</mark>" in page
    link = re.search(r'href="(/checks/[^"]+/annotated)"', page).group(1)
    annotated = client.get(link)
    assert annotated.status_code == 200
    comments = docx.Document(io.BytesIO(annotated.content)).comments
    assert any("打赢脱贫攻坚战" in c.text for c in comments)


def test_check_page_can_use_a_meetings_priorities(client: TestClient) -> None:
    token = csrf(client)
    client.post("/meetings/new", data={"kind": "example", "name": "会", "csrf": token})
    response = client.post("/check", data={"csrf": token, "meeting": "会"}, files={"file": ("稿.txt", FLAWED.encode())}, headers=HTML)
    assert response.status_code == 200 and "重点工作覆盖情况" in response.text


def test_check_page_bad_file_says_why(client: TestClient) -> None:
    token = csrf(client)
    response = client.post("/check", data={"csrf": token}, files={"file": ("稿.pdf", b"%PDF")}, headers=HTML)
    assert response.status_code == 400 and "不支持的文件类型“.pdf”" in response.text


# 模板


def test_templates_page_shows_sources_and_replaces_one(client: TestClient, tmp_path: Path) -> None:
    token = csrf(client)
    client.post("/meetings/new", data={"kind": "example", "name": "会", "csrf": token})
    page = client.get("/templates?meeting=会", headers=HTML).text
    assert "<code>speech.gw.j2</code>" in page and "本会议 templates/" not in page
    original = client.get("/templates/download", params={"meeting": "会", "name": "notice/closing.gw.j2"})
    assert original.status_code == 200 and original.content
    changed = original.content + "\n".encode()
    response = client.post(
        "/templates/change",
        data={"csrf": token, "meeting": "会", "name": "notice/closing.gw.j2", "action": "upload"},
        files={"file": ("closing.gw.j2", changed)},
        follow_redirects=False,
    )
    assert response.status_code == 303
    own = tmp_path / "ws" / "会" / "templates" / "notice" / "closing.gw.j2"
    assert own.read_bytes() == changed
    assert "本会议 templates/" in client.get("/templates?meeting=会", headers=HTML).text
    bad = client.post(
        "/templates/change",
        data={"csrf": token, "meeting": "会", "name": "notice/closing.gw.j2", "action": "upload"},
        files={"file": ("closing.gw.j2", "{% if %}".encode())},
        headers=HTML,
    )
    assert bad.status_code == 400 and "模板语法错误" in bad.text and own.read_bytes() == changed
    escape = client.post(
        "/templates/change",
        data={"csrf": token, "meeting": "会", "name": "../../evil.gw.j2", "action": "upload"},
        files={"file": ("x.gw.j2", b"x")},
        headers=HTML,
    )
    assert escape.status_code == 400 and not (tmp_path / "evil.gw.j2").exists()
    client.post("/templates/change", data={"csrf": token, "meeting": "会", "name": "notice/closing.gw.j2", "action": "reset"})
    assert not own.exists()


# API


def test_api_check_is_exactly_the_cli_json(client: TestClient, tmp_path: Path) -> None:
    draft = tmp_path / "稿.txt"
    draft.write_text(FLAWED, encoding="utf-8")
    priorities = tmp_path / "priorities.yaml"
    write_example(tmp_path / "ex")
    priorities.write_bytes((tmp_path / "ex" / "priorities.yaml").read_bytes())
    import os

    old = os.getcwd()
    os.chdir(tmp_path)
    try:
        result = CliRunner().invoke(cli, ["check", "稿.txt", "--format", "json", "--priorities", "priorities.yaml"])
    finally:
        os.chdir(old)
    expected = json.loads(result.stdout)
    response = client.post("/api/check", files={"file": ("稿.txt", draft.read_bytes()), "priorities": ("priorities.yaml", priorities.read_bytes())})
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    assert response.json() == expected
    assert expected["files"][0]["findings"]


def test_api_check_bad_input_is_400_with_the_cli_message(client: TestClient, tmp_path: Path) -> None:
    (tmp_path / "稿.docx").write_bytes(b"not a zip")
    expected = cli_error(["check", "稿.docx"], tmp_path)
    response = client.post("/api/check", files={"file": ("稿.docx", b"not a zip")})
    assert response.status_code == 400
    assert response.json() == {"error": expected}
    missing = client.post("/api/check", data={"x": "1"})
    assert missing.status_code == 400 and "请选择" in missing.json()["error"]


def test_api_build_returns_files_coverage_and_findings(client: TestClient, tmp_path: Path) -> None:
    response = client.post("/api/build", files={"folder": ("会议.zip", example_zip(tmp_path))}, data={"combined": "1"})
    assert response.status_code == 200, response.text
    data = response.json()
    kinds = {f["kind"] for f in data["files"]}
    assert kinds == {"speech", "letter", "notice", "call", "minutes"}
    assert any(f["name"] == "目标责任书（合订本）.docx" for f in data["files"])
    assert data["coverage"] and {"priority", "hits", "sections"} <= set(data["coverage"][0])
    assert isinstance(data["findings"], list)
    assert data["stale_pdfs"] == {"removed": [], "kept": []}  # a fresh scratch folder: nothing out of date
    speech = next(f for f in data["files"] if f["kind"] == "speech")
    body = client.get(speech["url"])
    assert "在全区重点项目建设推进会上的讲话" in "\n".join(p.text for p in docx.Document(io.BytesIO(body.content)).paragraphs)
    letter = next(f for f in data["files"] if f["kind"] == "letter" and f["unit"])
    assert client.get(letter["url"]).content[:2] == b"PK"
    everything = zipfile.ZipFile(io.BytesIO(client.get(data["zip"]).content))
    assert set(everything.namelist()) == {f["path"] for f in data["files"]} | {"manifest.json"}


def test_api_build_reports_review_findings(client: TestClient, tmp_path: Path) -> None:
    def placeholder(folder: Path) -> None:
        path = folder / "meeting.yaml"
        path.write_text(path.read_text(encoding="utf-8").replace("同志们，蓝图已经绘就", "同志们，XX蓝图已经绘就"), encoding="utf-8")

    response = client.post("/api/build", files={"folder": ("m.zip", example_zip(tmp_path, edit=placeholder))}, data={"only": "speech"})
    findings = response.json()["findings"]
    assert [report["path"] for report in findings] == ["讲话稿.docx"]
    assert any(f["rule"] == "placeholder" and "XX" in f["message"] for f in findings[0]["findings"])


def test_api_build_options_and_bad_options(client: TestClient, tmp_path: Path) -> None:
    data = example_zip(tmp_path)
    response = client.post("/api/build", files={"folder": ("m.zip", data)}, data={"only": "notice", "as_of": "2026-06-30"})
    assert [f["kind"] for f in response.json()["files"]] == ["notice"]
    response = client.post("/api/build", files={"folder": ("m.zip", data)}, data={"only": "speech,memo"})
    assert response.status_code == 400
    assert response.json()["error"] == "参数 --only 的值无效：未知的文件种类：memo（可选 speech、letters、notice、call、minutes）"


def test_api_build_bad_ledger_is_400_with_the_cli_message(client: TestClient, tmp_path: Path) -> None:
    data = example_zip(tmp_path, edit=break_ledger)
    expected = cli_error(["build", "会议"], tmp_path / "src")
    response = client.post("/api/build", files={"folder": ("会议.zip", data)})
    assert response.status_code == 400
    assert response.json() == {"error": expected}
    assert "总投资（亿元）" in expected
    assert "Traceback" not in response.text


def test_api_build_missing_meeting_yaml(client: TestClient, tmp_path: Path) -> None:
    data = example_zip(tmp_path, edit=lambda f: (f / "meeting.yaml").unlink())
    expected = cli_error(["build", "会议"], tmp_path / "src")
    response = client.post("/api/build", files={"folder": ("会议.zip", data)})
    assert response.status_code == 400 and response.json() == {"error": expected}


# Hostile requests


def _zip(entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        for info, data in entries:
            zf.writestr(info, data)
    return buffer.getvalue()


def test_traversal_zip_is_refused_and_writes_nothing_outside(client: TestClient, tmp_path: Path) -> None:
    for name in ("../evil.yaml", "会议/../../evil.yaml", "/tmp/evil.yaml", "C:/evil.yaml", "..\\evil.yaml"):
        response = client.post("/api/build", files={"folder": ("x.zip", _zip([(name, b"x: 1")]))})
        assert response.status_code == 400, name
        assert "已拒绝" in response.json()["error"]
    assert not list(tmp_path.rglob("evil.yaml"))
    assert not Path("/tmp/evil.yaml").exists()


@pytest.mark.parametrize(
    ("inside", "hint"),
    [
        ("版式/默认.doc", "请用 Word 或 WPS 另存为 .docx"),
        ("templates/目标责任书.wps", "请用 Word 或 WPS 另存为 .docx"),
        ("projects.xls", "请用 Excel 或 WPS 另存为 .xlsx"),
    ],
)
def test_old_office_file_in_zip_is_refused_with_the_save_as_hint(client: TestClient, tmp_path: Path, inside: str, hint: str) -> None:
    def add_old_file(folder: Path) -> None:
        target = folder / inside
        target.parent.mkdir(exist_ok=True)
        target.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 512)  # an OLE (old Office) header

    data = example_zip(tmp_path, edit=add_old_file)
    response = client.post("/api/build", files={"folder": ("会议.zip", data)})
    assert response.status_code == 400
    error = response.json()["error"]
    assert f"“会议/{inside}”" in error and hint in error and "Traceback" not in response.text
    token = csrf(client)  # the page's zip upload says the same
    page = client.post("/meetings/new", files={"file": ("会议.zip", data)}, data={"kind": "upload", "name": "新会", "csrf": token}, headers=HTML)
    assert page.status_code == 400 and f"会议/{inside}" in page.text and hint in page.text
    assert not (tmp_path / "ws" / "新会").exists()


def test_word_lock_files_and_other_unknown_files_in_zip_are_ignored(client: TestClient, tmp_path: Path) -> None:
    def add_clutter(folder: Path) -> None:
        (folder / "~$默认.doc").write_bytes(b"\0" * 162)  # Word's lock file of an open document
        (folder / "说明.pdf").write_bytes(b"%PDF-1.7\n%%EOF\n")

    response = client.post("/api/build", files={"folder": ("会议.zip", example_zip(tmp_path, edit=add_clutter))}, data={"only": "notice"})
    assert response.status_code == 200, response.text
    assert [f["kind"] for f in response.json()["files"]] == ["notice"]


def test_symlink_in_zip_is_refused(client: TestClient) -> None:
    info = zipfile.ZipInfo("会议/meeting.yaml")
    info.external_attr = (stat.S_IFLNK | 0o777) << 16
    response = client.post("/api/build", files={"folder": ("x.zip", _zip([(info, b"/etc/passwd")]))})
    assert response.status_code == 400 and "符号链接" in response.json()["error"]


def test_zip_bomb_is_refused(tmp_path: Path) -> None:
    limits = Limits(zip_unpacked_bytes=4 * 2**20)
    with make_client(tmp_path / "ws", limits=limits) as client:
        big = _zip([("会议/meeting.yaml", b"\0" * (8 * 2**20))])
        assert len(big) < 64 * 1024
        response = client.post("/api/build", files={"folder": ("bomb.zip", big)})
        assert response.status_code == 400 and "过大" in response.json()["error"]
        # a header that understates the size is caught while unpacking (compression ratio)
        lying = bytearray(_zip([("会议/meeting.yaml", b"\0" * (3 * 2**20))]))
        for marker in (b"PK\x03\x04", b"PK\x01\x02"):
            at = lying.find(marker)
            offset = at + (22 if marker == b"PK\x03\x04" else 24)
            lying[offset : offset + 4] = (1000).to_bytes(4, "little")
        response = client.post("/api/build", files={"folder": ("bomb.zip", bytes(lying))})
        assert response.status_code == 400, response.text
        assert "压缩" in response.json()["error"]
        many = _zip([(f"会议/{i}.txt", b"") for i in range(600)])
        response = client.post("/api/build", files={"folder": ("many.zip", many)})
        assert response.status_code == 400 and "文件过多" in response.json()["error"]


def test_not_a_zip_is_refused(client: TestClient) -> None:
    response = client.post("/api/build", files={"folder": ("m.zip", b"hello")})
    assert response.status_code == 400 and response.json() == {"error": "m.zip：不是有效的 .zip 压缩包"}
    response = client.post("/api/build", files={"folder": ("m.tar", b"hello")})
    assert response.status_code == 400 and "不支持的文件类型“.tar”" in response.json()["error"]


def test_oversized_upload_is_413(tmp_path: Path) -> None:
    with make_client(tmp_path / "ws", limits=Limits(request_bytes=64 * 1024)) as client:
        response = client.post("/api/check", files={"file": ("稿.txt", b"a" * 200 * 1024)})
        assert response.status_code == 413 and response.json() == {"error": "上传的内容过大（上限 0 MB）"}

        def chunks():  # no Content-Length: counted while streaming
            for _ in range(10):
                yield b"a" * 16 * 1024

        response = client.post("/api/check", content=chunks(), headers={"content-type": "multipart/form-data; boundary=x"})
        assert response.status_code == 413


def test_cross_site_posts_are_refused(client: TestClient, tmp_path: Path) -> None:
    token = csrf(client)
    for headers in ({"origin": "http://evil.example"}, {"sec-fetch-site": "cross-site"}, {"sec-fetch-site": "same-site"}):
        response = client.post("/meetings/new", data={"kind": "example", "csrf": token}, headers={**HTML, **headers})
        assert response.status_code == 403 and "拒绝来自其他网站的请求" in response.text
        response = client.post("/api/check", files={"file": ("稿.txt", b"x")}, headers=headers)
        assert response.status_code == 403 and response.json() == {"error": "拒绝来自其他网站的请求"}
    response = client.post("/meetings/new", data={"kind": "example"}, headers=HTML)  # no form token
    assert response.status_code == 400 and "表单已过期或来源不明" in response.text
    response = client.post("/meetings/new", data={"kind": "example", "csrf": "forged"}, headers=HTML)
    assert response.status_code == 400
    assert not (tmp_path / "ws").exists() or not list((tmp_path / "ws").iterdir())
    ok = client.post("/meetings/new", data={"kind": "example", "csrf": token}, headers={"origin": BASE, "sec-fetch-site": "same-origin"}, follow_redirects=False)
    assert ok.status_code == 303


def test_unknown_host_is_refused(client: TestClient) -> None:
    response = client.get("/", headers={"host": "evil.example:8765"})
    assert response.status_code == 400


def test_remote_host_needs_the_access_token(tmp_path: Path) -> None:
    app = create_app(tmp_path / "ws", host="0.0.0.0", port=8765, access_token="s3cret-token")
    with TestClient(app, base_url="http://192.168.1.9:8765") as client:
        assert client.get("/", headers=HTML).status_code == 403
        assert client.post("/api/check", files={"file": ("a.txt", b"x")}).status_code == 403
        assert client.get("/?token=wrong", headers=HTML).status_code == 403
        first = client.get("/?token=s3cret-token", headers=HTML)
        assert first.status_code == 200
        assert client.get("/meetings", headers=HTML).status_code == 200  # the cookie carries it now
        assert client.post("/api/check", files={"file": ("a.txt", "同志们：\n\n今年".encode())}).status_code == 200
    with TestClient(app, base_url="http://192.168.1.9:8765") as other:
        bearer = other.post("/api/check", files={"file": ("a.txt", "同志们".encode())}, headers={"authorization": "Bearer s3cret-token"})
        assert bearer.status_code == 200


def test_serve_refuses_a_remote_host_without_the_flag() -> None:
    result = CliRunner().invoke(cli, ["serve", "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert "--allow-remote" in result.output
    result = CliRunner().invoke(cli, ["serve", "--port", "0"])
    assert result.exit_code == 2 and "端口应在 1～65535 之间" in result.output


def test_serve_says_when_the_port_is_taken(tmp_path: Path) -> None:
    import socket

    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = CliRunner().invoke(cli, ["serve", str(tmp_path), "--port", str(port)])
    assert result.exit_code == 1
    assert f"端口 {port} 已被占用" in result.output


def test_unknown_build_and_file_ids_are_404(client: TestClient) -> None:
    assert client.get("/builds/nope", headers=HTML).status_code == 404
    assert client.get("/builds/nope/files/0").status_code == 404
    assert client.get("/builds/nope/all.zip").status_code == 404
    assert client.get("/checks/nope/annotated").status_code == 404
    for name in ("%2E%2E", "%2E%2E%2Fetc", ".hidden", "nothing"):
        response = client.get(f"/meetings/{name}", headers=HTML)
        assert response.status_code == 404 and "<h1>出错了</h1>" in response.text, name
    assert client.get("/templates/download", params={"name": "../../pyproject.toml"}).status_code == 404


def test_scratch_folder_is_removed_at_shutdown(tmp_path: Path) -> None:
    client = make_client(tmp_path / "ws")
    with client:
        scratch = client.app.state.server.scratch  # type: ignore[attr-defined]
        client.post("/api/build", files={"folder": ("m.zip", example_zip(tmp_path))}, data={"only": "notice"})
        assert any(scratch.rglob("*.docx"))
        assert not list(scratch.rglob("source"))  # the unpacked upload is gone once built
    assert not scratch.exists()


@pytest.mark.render
def test_pdf_and_page_previews_through_libreoffice(client: TestClient, tmp_path: Path) -> None:
    from tests.rendering import require_tool

    require_tool("soffice")
    require_tool("pdftoppm")
    response = client.post("/api/build", files={"folder": ("m.zip", example_zip(tmp_path))}, data={"only": "speech", "pdf": "1"})
    files = response.json()["files"]
    assert [f["name"] for f in files] == ["讲话稿.docx", "讲话稿.pdf"]
    pdf = client.get(files[1]["url"])
    assert pdf.content.startswith(b"%PDF")
    build_id = files[0]["url"].split("/")[2]
    page = client.get(f"/builds/{build_id}/preview/0", headers=HTML).text
    images = re.findall(r'<img src="([^"]+\.png)"', page)
    assert len(images) >= 2
    png = client.get(images[0])
    assert png.status_code == 200 and png.content.startswith(b"\x89PNG")


@pytest.mark.render
def test_pdfs_made_on_the_page_are_in_the_manifest_and_replaced_by_the_next_build(client: TestClient, tmp_path: Path) -> None:
    from tests.rendering import require_tool

    require_tool("soffice")
    token = csrf(client)
    client.post("/meetings/new", data={"kind": "example", "name": "会", "csrf": token})
    options = {"meeting": "会", "csrf": token, "only": ["speech"]}
    first = client.post("/build", data={**options, "pdf": "1"}, follow_redirects=False).headers["location"]
    assert wait_build(client, first)["state"] == "done"
    out = tmp_path / "ws" / "会" / "输出"
    speech_pdf = out / "讲话稿.pdf"
    (entry,) = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert entry["pdf"] == "讲话稿.pdf"
    assert entry["pdf_sha256"] == hashlib.sha256(speech_pdf.read_bytes()).hexdigest()
    assert speech_pdf.read_bytes().startswith(b"%PDF")

    # rebuilt without PDF: the page's own PDF no longer matches the new .docx and, unchanged, is removed
    second = client.post("/build", data=options, follow_redirects=False).headers["location"]
    assert wait_build(client, second)["state"] == "done"
    assert not speech_pdf.exists()
    notes = re.findall(r'<p class="warn">([^<]*)</p>', client.get(second, headers=HTML).text)
    assert notes == ["已删除与重新生成的 Word 文件不再一致的 1 个旧 PDF（需要 PDF 时请勾选“同时生成 PDF”重新生成）：讲话稿.pdf"]


def test_a_failed_pdf_conversion_still_writes_the_word_files_with_the_reason(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import drafting.pdf
    from drafting.libreoffice import ConversionError

    def fail(*args, **kwargs):
        raise ConversionError("LibreOffice 转换超时")

    monkeypatch.setattr(drafting.pdf, "require_libreoffice", lambda: None)
    monkeypatch.setattr(drafting.pdf, "convert", fail)
    token = csrf(client)
    client.post("/meetings/new", data={"kind": "example", "name": "会", "csrf": token})
    url = client.post("/build", data={"meeting": "会", "csrf": token, "only": ["speech"], "pdf": "1"}, follow_redirects=False).headers["location"]
    assert wait_build(client, url)["state"] == "done"
    out = tmp_path / "ws" / "会" / "输出"
    assert sorted(p.name for p in out.iterdir()) == ["manifest.json", "讲话稿.docx"]
    (entry,) = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert "pdf" not in entry or entry["pdf"] is None
    notes = re.findall(r'<p class="warn">([^<]*)</p>', client.get(url, headers=HTML).text)
    assert notes == ["未生成 PDF：LibreOffice 转换超时"]


def test_meeting_form_keeps_comments_and_unknown_meeting_keys() -> None:
    from drafting.web.meetingform import compose, form_from_text

    text = "# 头注\nmeeting:\n  name: 甲会\n  date: 2026-01-05\n  extra: 保留\n\n# 讲话稿\nspeech:\n  title: 讲话\n"
    state = form_from_text(text)
    assert state.values["meeting.name"] == "甲会" and state.values["meeting.date"] == "2026-01-05"
    assert state.rest == "# 头注\n\n# 讲话稿\nspeech:\n  title: 讲话\n"
    out = compose(text, {**state.values, "meeting.name": "乙会"}, state.rest)
    assert "name: 乙会" in out and "extra: 保留" in out and "# 讲话稿\nspeech:" in out


def test_templates_page_shows_the_user_library_between_meeting_and_builtin(
    client: TestClient, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "个人模板库"
    (library / "speech").mkdir(parents=True)
    (library / "speech" / "closing.gw.j2").write_text("同志们，个人库的结束语！\n", encoding="utf-8")
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(library))
    token = csrf(client)
    client.post("/meetings/new", data={"kind": "example", "name": "库", "csrf": token})
    page = client.get("/templates?meeting=库", headers=HTML).text
    row = page[page.index("<code>speech/closing.gw.j2</code>"):]
    assert row[: row.index("</tr>")].count("个人模板库") == 1
    other = page[page.index("<code>speech/opening.gw.j2</code>"):]
    assert "个人模板库" not in other[: other.index("</tr>")]
    downloaded = client.get("/templates/download", params={"meeting": "库", "name": "speech/closing.gw.j2"})
    assert "个人库的结束语" in downloaded.text
