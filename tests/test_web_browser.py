"""End to end in a real browser: `drafting serve` in a subprocess, Debian's chromium driven by Playwright.

Skipped when /usr/bin/chromium or the playwright package is missing (CI installs both: scripts/test.sh).
Set DRAFTING_UPDATE_SCREENSHOT=1 to refresh docs/web.png from the front page.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import docx
import pytest

from drafting.example import write_example

CHROMIUM = Path("/usr/bin/chromium")
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
REPO = Path(__file__).resolve().parent.parent

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="/usr/bin/chromium is not installed"),
]
sync_api = pytest.importorskip("playwright.sync_api")

FLAWED = "关于XX工作的讲话\n\n同志们：\n\n今年要继续打赢脱贫攻坚战，确保完成XX个项目。\n"


def shoot(page, tmp_path: Path, name: str, element=None) -> Path:
    """A full-page screenshot (or of one element); also kept in $DRAFTING_SCREENSHOT_DIR when set (for looking at the pages)."""
    shot = tmp_path / name
    if element is not None:
        element.screenshot(path=str(shot))
    else:
        page.screenshot(path=str(shot), full_page=True)
    keep = os.environ.get("DRAFTING_SCREENSHOT_DIR")
    if keep:
        Path(keep).mkdir(parents=True, exist_ok=True)
        shutil.copyfile(shot, Path(keep) / name)
    return shot


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    workspace = tmp_path_factory.mktemp("workspace")
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-c", "from drafting.cli import main; main()", "serve", str(workspace), "--port", str(port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    url = f"http://127.0.0.1:{port}/"
    try:
        for _ in range(300):
            try:
                socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                break
            except OSError:
                if process.poll() is not None:
                    pytest.fail(f"drafting serve exited: {process.stdout.read() if process.stdout else ''}")
                time.sleep(0.1)
        else:
            pytest.fail("drafting serve did not start")
        yield url
    finally:
        process.terminate()
        try:
            output, _ = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            output, _ = process.communicate()
    assert f"drafting 网页版已启动：{url}" in output


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield instance
        instance.close()


@pytest.fixture()
def page(browser: object, tmp_path: Path) -> Iterator[object]:
    context = browser.new_context(accept_downloads=True, viewport={"width": 1200, "height": 900}, locale="zh-CN")  # type: ignore[attr-defined]
    tab = context.new_page()
    tab.set_default_timeout(60_000)
    yield tab
    context.close()


def test_front_page_offers_both_starting_points(server: str, page, tmp_path: Path) -> None:
    page.goto(server)
    assert page.locator("h2", has_text="起草：上传会议").is_visible()
    assert page.locator("h2", has_text="核稿：检查草稿").is_visible()
    shot = shoot(page, tmp_path, "front.png")
    assert shot.stat().st_size > 10_000
    if os.environ.get("DRAFTING_UPDATE_SCREENSHOT") == "1":
        shutil.copyfile(shot, REPO / "docs" / "web.png")


def test_upload_a_ledger_build_and_download_the_speech(server: str, page, tmp_path: Path) -> None:
    source = tmp_path / "src"
    write_example(source)
    page.goto(server)
    upload = page.locator("form", has=page.locator("input[name=kind][value=upload]")).first
    upload.locator("input[type=file]").set_input_files(str(source / "projects.xlsx"))
    upload.locator("input[name=name]").fill("浏览器会议")
    upload.locator("button[type=submit]").click()
    page.wait_for_url("**/meetings/*")
    assert page.locator("h1").inner_text() == "会议：浏览器会议"
    assert page.get_by_text("会议资料齐全、无误，可以生成").is_visible()

    page.locator("#build button[type=submit]").click()
    page.wait_for_url("**/builds/*")
    page.get_by_text("已生成").wait_for()
    shoot(page, tmp_path, "result.png")
    assert page.locator("table.coverage tbody tr").count() > 0
    with page.expect_download() as info:
        page.get_by_role("link", name="讲话稿.docx").click()
    download = info.value
    assert download.suggested_filename == "讲话稿.docx"
    target = tmp_path / "讲话稿.docx"
    download.save_as(str(target))
    text = "\n".join(p.text for p in docx.Document(str(target)).paragraphs)
    assert "在全区重点项目建设推进会上的讲话" in text and "同志们" in text

    with page.expect_download() as info:
        page.get_by_role("link", name="全部下载（.zip）").click()
    assert info.value.suggested_filename == "浏览器会议-公文.zip"


def test_meeting_form_shows_the_message_beside_the_field(server: str, page, tmp_path: Path) -> None:
    page.goto(server + "meetings")
    page.locator("form", has=page.locator("input[name=kind][value=example]")).locator("input[name=name]").fill("表单会议")
    page.locator("form", has=page.locator("input[name=kind][value=example]")).locator("button").click()
    page.wait_for_url("**/meetings/*")
    page.get_by_label("会议日期", exact=True).fill("2026-13-06")
    page.get_by_role("button", name="保存").click()
    error = page.locator('.field-error[data-field="meeting.date"]')
    error.wait_for()
    assert "无法识别的日期“2026-13-06”：月份应为1至12" in error.inner_text()
    assert error.evaluate("e => e.parentElement.querySelector('input').value") == "2026-13-06"
    shoot(page, tmp_path, "form.png")


def test_check_a_flawed_draft_and_see_its_findings(server: str, page, tmp_path: Path) -> None:
    draft = tmp_path / "初稿.docx"
    document = docx.Document()
    for line in FLAWED.split("\n\n"):
        document.add_paragraph(line.strip())
    document.save(str(draft))
    page.goto(server + "check")
    page.locator("input[name=file]").set_input_files(str(draft))
    page.get_by_role("button", name="开始核稿").click()
    group = page.locator('.rule-group[data-rule="outdated-term"]')
    group.wait_for()
    assert group.locator("mark").first.inner_text() == "打赢脱贫攻坚战"
    assert "第3段" in group.inner_text()
    assert page.locator('.rule-group[data-rule="placeholder"] mark').first.inner_text() == "XX"
    shoot(page, tmp_path, "check.png")
    with page.expect_download() as info:
        page.get_by_role("link", name="下载带批注的副本（Word）").click()
    target = tmp_path / "annotated.docx"
    info.value.save_as(str(target))
    assert any("打赢脱贫攻坚战" in c.text for c in docx.Document(str(target)).comments)


def test_upload_a_house_file_see_its_check_and_download_it(server: str, page, tmp_path: Path) -> None:
    from drafting.house.sample import write_example_house

    house = tmp_path / "本单位红头.docx"
    write_example_house(house)
    page.goto(server + "meetings")
    example = page.locator("form", has=page.locator("input[name=kind][value=example]"))
    example.locator("input[name=name]").fill("版式会议")
    example.locator("button").click()
    page.wait_for_url("**/meetings/*")
    page.goto(server + "templates?meeting=版式会议")
    page.get_by_label("上传 版式/通报.docx").set_input_files(str(house))
    page.locator("form", has=page.get_by_label("上传 版式/通报.docx")).get_by_role("button", name="上传", exact=True).click()
    page.locator("#house-check").wait_for()
    assert "可以使用" in page.locator("p[role=status]").inner_text()
    row = page.locator("table.house-uses tr", has=page.get_by_text("进度通报", exact=True))
    assert "版式/通报.docx" in row.inner_text() and "本会议" in row.inner_text()
    assert page.locator("table.house-check tr", has=page.get_by_text("页边距", exact=True)).locator("td").first.inner_text() == "注意"
    shoot(page, tmp_path, "house.png")
    assert shoot(page, tmp_path, "house-check.png", page.locator("table.house-check")).stat().st_size > 10_000
    with page.expect_download() as info:
        page.locator("table.house-files tr", has=page.get_by_text("版式/通报.docx")).get_by_role("link", name="下载").click()
    assert info.value.suggested_filename == "通报.docx"
    target = tmp_path / "下载.docx"
    info.value.save_as(str(target))
    assert target.read_bytes() == house.read_bytes()
