"""House 版式 files on the 模板 page: which file each document uses, download, upload (checked), replace, delete."""

from __future__ import annotations

import io
import re
import time
import zipfile
from pathlib import Path

import docx
import pytest
from starlette.testclient import TestClient

from drafting.archive import OLE_SIGNATURE
from drafting.buildkinds import KIND_LABELS
from drafting.house.sample import write_example_house
from drafting.web.app import create_app

BASE = "http://127.0.0.1:8765"
HTML = {"accept": "text/html"}


@pytest.fixture()
def client(tmp_path: Path):
    with TestClient(create_app(tmp_path / "ws"), base_url=BASE) as c:  # type: ignore[arg-type]
        yield c


@pytest.fixture()
def house_bytes(tmp_path: Path) -> bytes:
    path = tmp_path / "红头.docx"
    write_example_house(path)
    return path.read_bytes()


def token_and_meeting(client: TestClient, name: str = "会") -> str:
    client.get("/", headers=HTML)
    token = client.cookies["drafting_csrf"]
    client.post("/meetings/new", data={"kind": "example", "name": name, "csrf": token})
    return token


def upload(client: TestClient, token: str, name: str, content: bytes, filename: str = "红头.docx", meeting: str = "会"):
    return client.post(
        "/templates/house",
        data={"csrf": token, "meeting": meeting, "name": name, "action": "upload"},
        files={"file": (filename, content)},
        headers=HTML,
        follow_redirects=False,
    )


def uses(page: str) -> dict[str, tuple[str, str]]:
    """The 套用 table: document → (file, source)."""
    table = page[page.index('class="list house-uses"') :]
    table = table[: table.index("</table>")]
    rows = re.findall(r"<tr[^>]*>\s*<td>([^<]+)</td>\s*<td>(.*?)</td>\s*<td>([^<]*)</td>", table, re.S)
    return {label: (re.sub(r"<[^>]+>", "", file).strip(), source.strip()) for label, file, source in rows}


def test_without_house_files_every_kind_uses_the_built_in_layout(client: TestClient) -> None:
    token_and_meeting(client)
    page = client.get("/templates?meeting=会", headers=HTML).text
    assert uses(page) == {label: ("不套用（用程序自带的版式）", "") for label in KIND_LABELS.values()}
    for name in ("讲话稿", "责任书", "通报", "通知", "纪要", "默认"):
        assert f'aria-label="上传 版式/{name}.docx"' in page
    assert "删除 版式/" not in page


def test_an_uploaded_house_file_is_checked_stored_under_its_fixed_name_and_used(
    client: TestClient, tmp_path: Path, house_bytes: bytes
) -> None:
    token = token_and_meeting(client)
    response = upload(client, token, "通报", house_bytes, filename="../../evil/红头 (1).docx")
    assert response.status_code == 303
    assert response.headers["location"] == "/templates?meeting=%E4%BC%9A&house=%E9%80%9A%E6%8A%A5#house-check"
    folder = tmp_path / "ws" / "会"
    assert (folder / "版式" / "通报.docx").read_bytes() == house_bytes
    assert sorted(p.name for p in (folder / "版式").iterdir()) == ["通报.docx"]
    assert not (tmp_path / "evil").exists() and not (tmp_path / "ws" / "evil").exists()
    page = client.get(response.headers["location"].split("#")[0], headers=HTML).text
    table = uses(page)
    assert table["进度通报"] == ("版式/通报.docx", "本会议 版式/")
    assert table["讲话稿"] == ("不套用（用程序自带的版式）", "")
    # the check report of the stored file: usable, margins differ from GB/T 9704
    assert "检查结果：<code>版式/通报.docx</code>" in page and "可以使用" in page
    row = page[page.index("<td>页边距</td>") - 20 :]
    assert "<td>注意</td><td>页边距</td><td>上 35、下 32、左 27、右 26 mm</td>" in row[: row.index("</tr>")]
    assert 'aria-label="删除 版式/通报.docx"' in page


def test_a_default_house_file_serves_every_kind_without_its_own(client: TestClient, house_bytes: bytes) -> None:
    token = token_and_meeting(client)
    assert upload(client, token, "通报", house_bytes).status_code == 303
    assert upload(client, token, "默认", house_bytes).status_code == 303
    table = uses(client.get("/templates?meeting=会", headers=HTML).text)
    assert table["进度通报"] == ("版式/通报.docx", "本会议 版式/")
    assert {label: file for label, (file, _) in table.items() if label != "进度通报"} == {
        label: "版式/默认.docx" for label in KIND_LABELS.values() if label != "进度通报"
    }


def test_a_build_from_the_page_is_made_on_the_uploaded_house_file(client: TestClient, house_bytes: bytes) -> None:
    token = token_and_meeting(client)
    assert upload(client, token, "通报", house_bytes).status_code == 303
    url = client.post("/build", data={"meeting": "会", "csrf": token, "only": "notice"}, follow_redirects=False).headers["location"]
    for _ in range(600):
        status = client.get(url + "/status").json()
        if status["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert status["state"] == "done", status
    link = re.findall(r'href="(/builds/[^"/]+/files/\d+)"', client.get(url, headers=HTML).text)[0]
    built = client.get(link).content
    text = "\n".join(p.text for p in docx.Document(io.BytesIO(built)).paragraphs)
    assert "某某区人民政府办公室文件" in text and "{{" not in text and "关于" in text
    assert any(name.startswith("word/media/") for name in zipfile.ZipFile(io.BytesIO(built)).namelist())  # the logo


@pytest.mark.parametrize(
    ("content", "filename", "message"),
    [
        (b"PK\x03\x04 broken", "红头.docx", "版式文件已损坏"),
        (OLE_SIGNATURE + b"\0" * 600, "红头.docx", "旧版 Word（.doc）或 WPS 格式"),
        (OLE_SIGNATURE + b"\0" * 600, "红头.doc", "不能使用 .doc 文件"),
        (OLE_SIGNATURE + b"\0" * 600, "红头.wps", "不能使用 .wps 文件"),
    ],
)
def test_an_unreadable_upload_is_400_with_the_chinese_message_and_nothing_is_stored(
    client: TestClient, tmp_path: Path, content: bytes, filename: str, message: str
) -> None:
    token = token_and_meeting(client)
    response = upload(client, token, "通报", content, filename=filename)
    assert response.status_code == 400 and message in response.text
    assert "Traceback" not in response.text and ".drafting-web-" not in response.text
    assert not (tmp_path / "ws" / "会" / "版式").exists()
    assert not [p for p in (tmp_path / "ws").iterdir() if p.name.startswith(".")]  # the staging folder is gone


def _house_without(tmp_path: Path, old: str, new: str) -> bytes:
    """The example house file with one paragraph's text changed."""
    path = tmp_path / "改.docx"
    write_example_house(path)
    document = docx.Document(str(path))
    for paragraph in document.paragraphs:
        if old in paragraph.text:
            for run in paragraph.runs:
                run.text = ""
            paragraph.runs[0].text = new
    document.save(str(path))
    return path.read_bytes()


def test_a_house_file_a_build_cannot_use_is_refused_with_the_reason(client: TestClient, tmp_path: Path, house_bytes: bytes) -> None:
    token = token_and_meeting(client)
    no_marker = _house_without(tmp_path, "{{正文}}", "这里没有标记")
    response = upload(client, token, "默认", no_marker)
    assert response.status_code == 400 and "不能用作版式文件" in response.text and "{{正文}}" in response.text
    unknown = _house_without(tmp_path, "{{发文", "{{没有这个字段}}")
    response = upload(client, token, "默认", unknown)
    assert response.status_code == 400 and "{{没有这个字段}}" in response.text and "未知的字段" in response.text
    assert not (tmp_path / "ws" / "会" / "版式").exists()
    # a good file is still taken afterwards
    assert upload(client, token, "默认", house_bytes).status_code == 303


def test_upload_names_sizes_and_forms_are_guarded(client: TestClient, tmp_path: Path, house_bytes: bytes, monkeypatch: pytest.MonkeyPatch) -> None:
    token = token_and_meeting(client)
    response = upload(client, token, "../../x", house_bytes)
    assert response.status_code == 400 and "没有这个版式文件名" in response.text
    response = upload(client, token, "通报", house_bytes, meeting="../ws")
    assert response.status_code == 404 and "没有这个会议" in response.text  # as the 模板 page answers an unknown meeting
    missing = client.post("/templates/house", data={"csrf": token, "meeting": "会", "name": "通报", "action": "upload"}, headers=HTML)
    assert missing.status_code == 400 and "请选择要上传的版式文件" in missing.text
    forged = client.post(
        "/templates/house", data={"csrf": "forged", "meeting": "会", "name": "通报"}, files={"file": ("a.docx", house_bytes)}, headers=HTML
    )
    assert forged.status_code == 400 and "表单已过期或来源不明" in forged.text
    cross = client.post(
        "/templates/house",
        data={"csrf": token, "meeting": "会", "name": "通报"},
        files={"file": ("a.docx", house_bytes)},
        headers={**HTML, "origin": "http://evil.example"},
    )
    assert cross.status_code == 403
    monkeypatch.setattr("drafting.web.housefiles.MAX_HOUSE_BYTES", len(house_bytes) - 1)
    response = upload(client, token, "通报", house_bytes)
    assert response.status_code == 400 and "版式文件过大" in response.text
    assert not (tmp_path / "ws" / "会" / "版式").exists()


def test_download_and_delete(client: TestClient, tmp_path: Path, house_bytes: bytes) -> None:
    token = token_and_meeting(client)
    upload(client, token, "讲话稿", house_bytes)
    got = client.get("/templates/house", params={"meeting": "会", "name": "讲话稿", "source": "meeting"})
    assert got.status_code == 200 and got.content == house_bytes
    assert "filename*=utf-8''%E8%AE%B2%E8%AF%9D%E7%A8%BF.docx" in got.headers["content-disposition"]
    for params in ({"meeting": "会", "name": "../meeting.yaml"}, {"meeting": "会", "name": "通报"}, {"meeting": "..", "name": "讲话稿"}):
        assert client.get("/templates/house", params={**params, "source": "meeting"}, headers=HTML).status_code == 404
    response = client.post(
        "/templates/house", data={"csrf": token, "meeting": "会", "name": "讲话稿", "action": "delete"}, headers=HTML, follow_redirects=False
    )
    assert response.status_code == 303
    assert not (tmp_path / "ws" / "会" / "版式" / "讲话稿.docx").exists()
    assert uses(client.get("/templates?meeting=会", headers=HTML).text)["讲话稿"][0] == "不套用（用程序自带的版式）"
    again = client.post("/templates/house", data={"csrf": token, "meeting": "会", "name": "讲话稿", "action": "delete"}, headers=HTML)
    assert again.status_code == 400 and "本会议没有这个版式文件" in again.text


def test_a_house_file_is_not_changed_while_the_meeting_builds(client: TestClient, tmp_path: Path, house_bytes: bytes) -> None:
    token = token_and_meeting(client)
    server = client.app.state.server  # type: ignore[attr-defined]
    with server.workspace.lock(tmp_path / "ws" / "会"):
        response = upload(client, token, "通报", house_bytes)
    assert response.status_code == 400 and "正在生成文件" in response.text
    assert not (tmp_path / "ws" / "会" / "版式").exists()


def test_the_user_librarys_house_file_is_shown_used_and_downloadable(
    client: TestClient, tmp_path: Path, house_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    library = tmp_path / "个人模板库"
    (library / "版式").mkdir(parents=True)
    (library / "版式" / "默认.docx").write_bytes(house_bytes)
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(library))
    token = token_and_meeting(client)
    table = uses(client.get("/templates?meeting=会", headers=HTML).text)
    assert set(table.values()) == {("版式/默认.docx", "个人模板库 版式/")}
    upload(client, token, "讲话稿", house_bytes)
    table = uses(client.get("/templates?meeting=会", headers=HTML).text)
    assert table["讲话稿"] == ("版式/讲话稿.docx", "本会议 版式/") and table["进度通报"] == ("版式/默认.docx", "个人模板库 版式/")
    assert uses(client.get("/templates", headers=HTML).text)["讲话稿"] == ("版式/默认.docx", "个人模板库 版式/")
    got = client.get("/templates/house", params={"name": "默认", "source": "user"})
    assert got.status_code == 200 and got.content == house_bytes


def test_a_doc_file_in_the_meetings_house_folder_is_named_on_the_page(client: TestClient, tmp_path: Path) -> None:
    token_and_meeting(client)
    (tmp_path / "ws" / "会" / "版式").mkdir()
    (tmp_path / "ws" / "会" / "版式" / "通报.doc").write_bytes(OLE_SIGNATURE)
    page = client.get("/templates?meeting=会", headers=HTML).text
    file, _ = uses(page)["进度通报"]
    assert "版式文件须为 .docx 格式，不能使用 .doc 文件" in file and str(tmp_path) not in page


def test_a_kind_made_from_a_word_template_uses_no_house_file(client: TestClient, tmp_path: Path, house_bytes: bytes) -> None:
    from drafting.wordexample import write_example_letter_template

    token = token_and_meeting(client)
    upload(client, token, "默认", house_bytes)
    (tmp_path / "ws" / "会" / "templates").mkdir(exist_ok=True)
    write_example_letter_template(tmp_path / "ws" / "会" / "templates" / "目标责任书.docx")
    table = uses(client.get("/templates?meeting=会", headers=HTML).text)
    assert table["目标责任书"] == ("不套用（用 Word 模板：本会议 templates/目标责任书.docx）", "")
    assert table["进度通报"] == ("版式/默认.docx", "本会议 版式/")


def test_a_word_template_in_the_user_library_also_takes_the_place_of_a_house_file(
    client: TestClient, tmp_path: Path, house_bytes: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    from drafting.wordexample import write_example_speech_template

    library = tmp_path / "个人模板库"
    library.mkdir()
    write_example_speech_template(library / "讲话稿.docx")
    monkeypatch.setenv("DRAFTING_TEMPLATES", str(library))
    token = token_and_meeting(client)
    upload(client, token, "默认", house_bytes)
    table = uses(client.get("/templates?meeting=会", headers=HTML).text)
    assert table["讲话稿"] == ("不套用（用 Word 模板：个人模板库 讲话稿.docx）", "")
    assert table["会议通知"] == ("版式/默认.docx", "本会议 版式/")
