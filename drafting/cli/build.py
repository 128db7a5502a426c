"""``drafting build``: a meeting folder becomes its documents."""

from __future__ import annotations

import sys
from collections.abc import Iterable, Iterator, Sequence
from contextlib import ExitStack
from datetime import date
from pathlib import Path
from typing import TypeVar

import click

from drafting.buildkinds import parse_kinds
from drafting.cli.base import CONTEXT_SETTINGS, ChineseCommand
from drafting.dates import parse_date

# The build path (drafting.build and what it imports) is imported inside the command, after the
# ledger's read-ahead has started (drafting.readahead): the child reads the ledger on one CPU while
# this process imports on the other. `drafting build --help` imports none of it.

T = TypeVar("T")


def _parse_as_of(ctx: click.Context, param: click.Parameter, value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return parse_date(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


def _parse_only(ctx: click.Context, param: click.Parameter, value: str | None) -> frozenset[str]:
    try:
        return parse_kinds(value or "")
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from exc


# more would only fill memory with copies of the process: a batch gains nothing beyond the CPUs
MAX_JOBS = 64


def _parse_jobs(ctx: click.Context, param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    try:
        jobs = int(value.strip())
    except ValueError:
        jobs = 0
    if not 1 <= jobs <= MAX_JOBS:
        raise click.BadParameter(f"应为 1 到 {MAX_JOBS} 之间的整数（1 = 不并行），而不是“{value}”")
    return jobs


def _quiet(items: Sequence[T]) -> Iterable[T]:
    return items


def _progress(items: Sequence[T]) -> Iterator[T]:
    with click.progressbar(items, label="正在写入", show_pos=True) as bar:
        yield from bar


@click.command(cls=ChineseCommand, context_settings=CONTEXT_SETTINGS)
@click.argument("folder", type=click.Path(path_type=Path))
@click.option("-o", "--output", "out_dir", type=click.Path(path_type=Path), help="输出目录（缺省为 会议文件夹/输出）。")
@click.option("--as-of", callback=_parse_as_of, metavar="YYYY-MM-DD", help="统计截止日期（缺省为会议日期）。")
@click.option("--only", callback=_parse_only, metavar="种类", help="只生成其中几种，逗号分隔：speech 讲话稿，letters 目标责任书，notice 进度通报，call 会议通知，minutes 会议纪要。")
@click.option("--combined", is_flag=True, help="另生成一份合订本，全部责任书逐份分页，便于打印。")
@click.option("--force", is_flag=True, help="覆盖已存在的输出文件，并删除上次生成、本次不再需要的文件。")
@click.option("--pdf", is_flag=True, help="每个 Word 文件旁另存一份 PDF（需要安装 LibreOffice）。")
@click.option("--jobs", "-j", callback=_parse_jobs, metavar="N", help="同时使用的进程数，默认按 CPU 核数自动选择；1 = 不并行。责任书较多（40 份以上）时才分给多个进程生成。")
@click.option("--previous", type=click.Path(path_type=Path), metavar="文件", help="上一稿或去年的讲话稿；常用语库有几种说法时避开它用过的，生成后报告新讲话稿与它重复的比例（详见 drafting compare）。")
def build(
    folder: Path,
    out_dir: Path | None,
    as_of: date | None,
    only: frozenset[str],
    combined: bool,
    force: bool,
    pdf: bool,
    jobs: int | None,
    previous: Path | None,
) -> None:
    """由会议文件夹生成讲话稿、目标责任书、进度通报、会议通知和会议纪要。

    \b
    示例：
      drafting build 示例会议
      drafting build 示例会议 --as-of 2026-06-30 --only notice
      drafting build 示例会议 -o 打印稿 --combined --force
      drafting build 示例会议 --pdf
    """
    from drafting.cli import frozen_imports

    with ExitStack() as stack:
        with frozen_imports():  # as a command module is imported: collector paused, then frozen
            from drafting.readahead import start_readahead

            readahead = start_readahead(folder, jobs)  # None: the ledger is read in this process, as usual
            if readahead is not None:
                stack.enter_context(readahead)  # the child is ended and reaped however the build ends
            from drafting.build import BuildOptions, plan_build, review_outputs, speech_coverage, write_plan
            from drafting.build_messages import cleanup_notices
            from drafting.check.report import format_coverage, format_file

        # --previous and --pdf load their modules only when given (a plain build stays lean)
        previous_draft = None
        if previous is not None:
            from drafting.readers import load_draft

            previous_draft = load_draft(previous)  # bad input fails before any output
        if pdf:
            from drafting.pdf import require_libreoffice

            require_libreoffice()  # before the documents are built
        avoid: tuple = ()
        if previous_draft is not None:
            from drafting.phrasebank import draft_sentences

            avoid = tuple(draft_sentences(previous_draft))
        options = BuildOptions(out_dir=out_dir, as_of=as_of, only=only, combined=combined, avoid=avoid, jobs=jobs)
        plan = plan_build(folder, options, readahead.load if readahead is not None else None)
    result = write_plan(plan, force=force, pdf=pdf, wrap=_progress if sys.stdout.isatty() else _quiet)
    pdfs = f"（另有同名 PDF {len(plan.outputs)} 个）" if pdf else ""
    click.echo(f"已生成 {len(plan.outputs)} 个文件{pdfs}，位于 {plan.out_dir}：")
    for output in plan.outputs[:5]:
        click.echo(f"  {output.path.relative_to(plan.out_dir)}")
    if len(plan.outputs) > 5:
        click.echo(f"  ……等，详见 {result.manifest.name}")
    from drafting.house.plan import house_summary

    for line in house_summary(plan.outputs):
        click.echo(line)
    for notice in cleanup_notices(result, plan.out_dir):
        click.echo(notice.heading)
        for name in notice.names:
            click.echo(f"  {name}")
    coverage = speech_coverage(plan)
    if coverage:
        missing = [row.priority for row in coverage if not row.satisfied]
        click.echo("\n讲话稿重点工作覆盖情况：")
        click.echo(format_coverage(coverage))
        if missing:
            click.echo(f"提醒：讲话稿未充分覆盖 {'、'.join(missing)}，请补充后再定稿。")
    if previous_draft is not None:
        from drafting.compare_report import previous_share

        click.echo(f"\n与上一稿（{previous}）相比：" + previous_share(previous_draft, plan.speech))
    problems = review_outputs(plan)
    if problems:
        click.echo(f"\n提醒：{len(problems)} 个文件中有审稿时会被退回的问题（多来自会议文件夹的模板或数据），请修改后重新生成：")
        for report in problems:
            click.echo(format_file(report))
