"""The build form offers every kind ``drafting build --only`` knows, named in Chinese, and builds each."""

from __future__ import annotations

import io
import re
import time
from pathlib import Path

import docx
import pytest
from starlette.testclient import TestClient

from drafting.build import ENTRY_KINDS
from drafting.buildkinds import KIND_LABELS, KINDS
from drafting.web.app import create_app

BASE = "http://127.0.0.1:8765"
HTML = {"accept": "text/html"}


@pytest.fixture()
def client(tmp_path: Path):
    with TestClient(create_app(tmp_path / "ws"), base_url=BASE) as c:  # type: ignore[arg-type]
        yield c


def _token(client: TestClient) -> str:
    client.get("/", headers=HTML)
    return client.cookies["drafting_csrf"]


def _checkboxes(page: str) -> list[tuple[str, str]]:
    return re.findall(r'<input type="checkbox" name="only" value="([^"]+)" checked> ([^<]+)</label>', page)


def test_every_build_kind_has_a_chinese_label() -> None:
    assert set(KIND_LABELS) == set(KINDS) == set(ENTRY_KINDS)
    assert all(label and not label.isascii() for label in KIND_LABELS.values())


def test_build_page_and_meeting_page_offer_every_kind(client: TestClient) -> None:
    token = _token(client)
    client.post("/meetings/new", data={"kind": "example", "name": "会", "csrf": token})
    expected = [(kind, KIND_LABELS[kind]) for kind in KINDS]
    assert _checkboxes(client.get("/build", headers=HTML).text) == expected
    assert _checkboxes(client.get("/meetings/会", headers=HTML).text) == expected
    assert ("call", "会议通知") in expected and ("minutes", "会议纪要") in expected


def test_call_and_minutes_are_built_from_the_form_and_named_on_the_result_page(client: TestClient) -> None:
    token = _token(client)
    client.post("/meetings/new", data={"kind": "example", "name": "会", "csrf": token})
    url = client.post("/build", data={"meeting": "会", "csrf": token, "only": ["call", "minutes"]}, follow_redirects=False).headers[
        "location"
    ]
    for _ in range(600):
        status = client.get(url + "/status").json()
        if status["state"] in ("done", "failed"):
            break
        time.sleep(0.1)
    assert status["state"] == "done", status
    page = client.get(url, headers=HTML).text
    kinds_shown = re.findall(r"<tr>\s*<td>([^<]+)</td><td>[^<]*</td>\s*<td><a href=\"(/builds/[^\"]+/files/\d+)\"", page)
    assert sorted(name for name, _ in kinds_shown) == ["会议纪要", "会议通知"]
    for name, link in kinds_shown:
        text = "\n".join(p.text for p in docx.Document(io.BytesIO(client.get(link).content)).paragraphs)
        assert ("通知" if name == "会议通知" else "纪要") in text
