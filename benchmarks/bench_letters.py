"""Batch letters: `drafting build --only letters` against docxtpl, in one run, side by side.

Run by hand (needs the bench extra: pip install -e '.[bench]'):

    python benchmarks/bench_letters.py                  # 300 letters from a 2,000-project ledger vs docxtpl
    python benchmarks/bench_letters.py --memory         # 10,000 letters (10,000 units): time and peak RSS

Each side runs in its own process, cold, from reading the ledger to the last
file written; ours with the build's default `--jobs` (a fork pool, one worker per
usable CPU: CPU time includes the workers, peak RSS is the largest process's), and
again with --jobs 1 (one process). Each side runs --repeat times (default 3), interleaved;
the medians are printed, and each run's wall time. docxtpl renders equivalent
letters (same wording, the unit's projects in a table, totals) from a Word
template this script builds. No assertions: figures only.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))  # run as a script from the repository root
from benchmarks.ledgers import make_meeting  # noqa: E402


def run_measured(argv: list[str]) -> tuple[float, float, float]:
    """Wall seconds, CPU seconds (user + system) and peak RSS (MB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:3]} failed with status {proc.returncode}")
    return elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def ours(folder: Path, out: Path, jobs: str | None = None) -> tuple[float, float, float]:
    code = "from drafting.cli import main; main()"
    extra = ["--jobs", jobs] if jobs else []
    shutil.rmtree(out, ignore_errors=True)
    return run_measured([sys.executable, "-c", code, "build", str(folder), "--only", "letters", "-o", str(out), *extra])


def median_run(runs: list[tuple[float, float, float]]) -> tuple[float, float, float]:
    """Median wall and CPU seconds of several runs, and their highest peak RSS."""
    return statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs), max(r[2] for r in runs)


# --- docxtpl side (runs in its own process: `bench_letters.py --docxtpl-render FOLDER OUT`) ---------------


def build_template(path: Path) -> None:
    """A Word template of the same letter: parties, text, a row loop over the unit's projects, totals, signatures."""
    import docx

    doc = docx.Document()
    doc.add_paragraph("{{ unit }}", style="Title")
    doc.add_paragraph("{{ year }}年度重点项目建设目标责任书", style="Title")
    doc.add_paragraph("甲方：{{ party_a }}")
    doc.add_paragraph("乙方：{{ unit }}")
    doc.add_paragraph(
        "为深入贯彻落实{{ meeting }}精神，压紧压实项目建设责任，确保{{ year }}年度重点项目建设目标任务全面完成，"
        "经甲乙双方协商一致，签订本责任书。"
    )
    doc.add_heading("一、目标任务", level=1)
    doc.add_paragraph(
        "{{ year }}年，乙方牵头推进重点项目{{ projects|length }}个，总投资{{ total }}亿元，年度计划投资{{ plan }}亿元。"
        "乙方要对照下表，逐项明确节点目标，确保按期完成年度投资计划和建设任务。"
    )
    doc.add_paragraph("{{ unit }}{{ year }}年度重点项目目标任务表")
    table = doc.add_table(rows=5, cols=6)
    table.style = "Table Grid"
    for cell, text in zip(table.rows[0].cells, ["序号", "项目名称", "建设内容", "年度计划投资（亿元）", "节点目标/完成时限", "责任领导"]):
        cell.text = text
    table.rows[1].cells[0].text = "{%tr for p in projects %}"
    for cell, text in zip(
        table.rows[2].cells,
        ["{{ loop.index }}", "{{ p.name }}", "{{ p.content }}", "{{ p.plan }}", "{{ p.milestone }}", "{{ p.leader }}"],
    ):
        cell.text = text
    table.rows[3].cells[0].text = "{%tr endfor %}"
    for cell, text in zip(table.rows[4].cells, ["合计", "{{ projects|length }}个项目", "", "{{ plan }}", "", ""]):
        cell.text = text
    doc.add_heading("二、工作要求", level=1)
    for text in (
        "乙方主要负责同志是项目建设第一责任人，要亲自研究部署、亲自协调推进，确保各项目标任务落到实处。",
        "（一）细化推进计划。对每个项目倒排工期、挂图作战，把年度目标分解到季度、月度，明确责任人和完成时限。",
        "（二）强化要素保障。主动对接发改、自然资源、生态环境等部门，协调解决用地、资金、审批等问题。",
        "（三）加快前期工作。对未开工项目加快办理立项、规划、用地、环评、施工许可等手续，确保按期开工建设。",
        "（四）严格报送制度。每月5日前向甲方报送项目进展和存在问题，做到数据真实准确、报送及时。",
    ):
        doc.add_paragraph(text)
    doc.add_heading("三、考核与奖惩", level=1)
    doc.add_paragraph("甲方对乙方重点项目建设目标任务完成情况实行月调度、季通报、年考核，考核结果纳入乙方年度综合考核。")
    doc.add_paragraph("对完成目标任务成效突出的，予以倾斜；对推进不力、进度严重滞后的，予以通报批评。")
    doc.add_heading("四、附则", level=1)
    doc.add_paragraph("本责任书考核期限为{{ year }}年1月1日至{{ year }}年12月31日。")
    doc.add_paragraph("本责任书一式两份，甲乙双方各执一份，自签订之日起生效。")
    signatures = doc.add_table(rows=3, cols=2)
    for r, text in enumerate(["甲方（盖章）", "负责人（签字）：", "年　　月　　日"]):
        signatures.cell(r, 0).text = text
        signatures.cell(r, 1).text = text.replace("甲", "乙")
    doc.save(str(path))


def docxtpl_render(folder: Path, out: Path) -> None:
    """Read the ledger, group it by lead unit and render one letter per unit."""
    from decimal import Decimal

    import yaml
    from docxtpl import DocxTemplate
    from openpyxl import load_workbook

    meeting = yaml.safe_load((folder / "meeting.yaml").read_text(encoding="utf-8"))
    template = out / "template.docx"
    build_template(template)
    sheet = load_workbook(folder / "projects.xlsx", read_only=True, data_only=True).active
    rows = sheet.iter_rows(values_only=True)
    col = {name: i for i, name in enumerate(next(rows))}
    units: dict[str, list[dict]] = {}
    for row in rows:
        if not row[0]:
            continue
        finish = row[col["计划竣工日期"]]
        units.setdefault(row[col["牵头单位"]], []).append(
            {
                "name": row[col["项目名称"]],
                "content": row[col["建设内容"]],
                "plan": Decimal(str(row[col["年度计划投资（亿元）"]])),
                "total": Decimal(str(row[col["总投资（亿元）"]])),
                "milestone": f"{finish:%Y年%-m月}底前竣工，年底前完成年度计划投资" if finish else "年底前完成年度计划投资",
                "leader": row[col["责任领导"]],
            }
        )
    letters = out / "letters"
    letters.mkdir()
    for unit, projects in units.items():
        tpl = DocxTemplate(str(template))
        tpl.render(
            {
                "unit": unit,
                "year": 2026,
                "party_a": "某某区重点项目建设领导小组",
                "meeting": str(meeting.get("title", "")),
                "projects": projects,
                "plan": sum(p["plan"] for p in projects),
                "total": sum(p["total"] for p in projects),
            }
        )
        tpl.save(str(letters / f"{unit}.docx"))


def theirs(folder: Path, out: Path) -> tuple[float, float, float]:
    return run_measured([sys.executable, __file__, "--docxtpl-render", str(folder), str(out)])


def writer_only(folder: Path, out: Path, sample: int = 20) -> None:
    """In this process, letters already built: ms per letter of the fast writer and of the reference writer."""
    from drafting.build import BuildOptions, plan_build
    from drafting.docx.fast import write_docx_fast
    from drafting.docx.writer import write_docx

    plan = plan_build(folder, BuildOptions(only=frozenset({"letters"})))
    documents = [o.build_document() for o in plan.outputs]
    out.mkdir()
    write_docx_fast(documents[0], out / "warm.docx")  # fixed parts built once per profile
    start = time.perf_counter()
    for n, document in enumerate(documents):
        write_docx_fast(document, out / f"{n}.docx")
    fast = (time.perf_counter() - start) / len(documents) * 1000
    start = time.perf_counter()
    for n, document in enumerate(documents[:sample]):
        write_docx(document, out / f"r{n}.docx")
    reference = (time.perf_counter() - start) / sample * 1000
    print(f"writer only (letters already built): fast {fast:.1f} ms/letter, reference python-docx {reference:.1f} ms/letter"
          f" ({sample} letters), {reference / fast:.1f}x")


def count_docx(folder: Path) -> int:
    return sum(1 for _ in folder.rglob("*.docx"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--projects", type=int, default=2000)
    parser.add_argument("--units", type=int, default=300)
    parser.add_argument("--memory", action="store_true", help="10,000 letters (10,000 units), ours only")
    parser.add_argument("--repeat", type=int, default=3, help="cold runs of each side, interleaved; medians printed")
    parser.add_argument("--docxtpl-render", nargs=2, metavar=("FOLDER", "OUT"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.docxtpl_render:
        docxtpl_render(Path(args.docxtpl_render[0]), Path(args.docxtpl_render[1]))
        return
    projects, units = (10_000, 10_000) if args.memory else (args.projects, args.units)
    root = Path(tempfile.mkdtemp(prefix="drafting-bench-letters-"))
    try:
        folder = root / "会议"
        make_meeting(folder, projects, units)
        repeat = 1 if args.memory else max(1, args.repeat)
        print(f"ledger: {projects} projects, {units} units; {os.cpu_count()} cores; load {os.getloadavg()[0]:.1f}; "
              f"python {sys.version.split()[0]}; median of {repeat} cold runs each, interleaved")
        runs: dict[str, list[tuple[float, float, float]]] = {"drafting": [], "drafting -j1": [], "docxtpl": []}
        for _ in range(repeat):  # interleaved, so that other load on the machine hits every side alike
            runs["drafting"].append(ours(folder, root / "ours"))  # default: a pool over the usable CPUs
            if args.memory:
                continue
            runs["drafting -j1"].append(ours(folder, root / "ours1", "1"))
            shutil.rmtree(root / "docxtpl", ignore_errors=True)
            (root / "docxtpl").mkdir()
            runs["docxtpl"].append(theirs(folder, root / "docxtpl"))
        n_ours = count_docx(root / "ours")
        print(f"{'':<13}{'letters':>9}{'wall s':>9}{'CPU s':>8}{'letters/s wall':>16}{'letters/CPU s':>15}{'peak RSS MB':>13}")

        def line(name: str, n: int, wall: float, cpu: float, rss: float) -> None:
            print(f"{name:<13}{n:>9}{wall:>9.2f}{cpu:>8.2f}{n / wall:>16.1f}{n / cpu:>15.1f}{rss:>13.0f}")

        t_ours, cpu_ours, rss_ours = median_run(runs["drafting"])
        line("drafting", n_ours, t_ours, cpu_ours, rss_ours)
        if args.memory:
            return
        t_one, cpu_one, rss_one = median_run(runs["drafting -j1"])
        line("drafting -j1", count_docx(root / "ours1"), t_one, cpu_one, rss_one)
        t_tpl, cpu_tpl, rss_tpl = median_run(runs["docxtpl"])
        n_tpl = count_docx(root / "docxtpl" / "letters")
        line("docxtpl", n_tpl, t_tpl, cpu_tpl, rss_tpl)
        ratio, ratio_cpu = (n_ours / t_ours) / (n_tpl / t_tpl), (n_ours / cpu_ours) / (n_tpl / cpu_tpl)
        print(f"throughput ratio drafting/docxtpl: {ratio:.1f}x wall, {ratio_cpu:.1f}x CPU (target >= 8x); "
              f"one process (-j1): {(n_ours / t_one) / (n_tpl / t_tpl):.1f}x wall, {(n_ours / cpu_one) / (n_tpl / cpu_tpl):.1f}x CPU")
        print("wall s of each run: " + "; ".join(f"{k} " + " ".join(f"{r[0]:.2f}" for r in v) for k, v in runs.items() if v))
        writer_only(folder, root / "writer")
    finally:
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
