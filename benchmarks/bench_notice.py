"""The progress notice of a huge ledger, stage by stage: time and peak memory of loading, building, writing, reviewing.

Run by hand from the repository root:

    .venv/bin/python benchmarks/bench_notice.py --projects 100000 --units 3000
    .venv/bin/python benchmarks/bench_notice.py --folder 大台账 --writer reference

Each stage prints its wall time, the process's resident memory when it ends and
the highest resident memory seen while it ran (sampled every 10 ms), so the
ledger load (drafting.ledger) and the Word writer can be told apart. The
whole-command figure is ``/usr/bin/time -v drafting build DIR --only notice``.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.ledgers import make_meeting  # noqa: E402

_PAGE = os.sysconf("SC_PAGE_SIZE")


def rss_mb() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * _PAGE / 2**20


class Sampler:
    """Highest RSS seen since the last ``reset``, sampled by a thread."""

    def __init__(self) -> None:
        self.peak = rss_mb()
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop:
            self.peak = max(self.peak, rss_mb())
            time.sleep(0.01)

    def reset(self) -> None:
        self.peak = rss_mb()

    def stop(self) -> None:
        self._stop = True


def stage(sampler: Sampler, label: str, func):  # type: ignore[no-untyped-def]
    sampler.reset()
    start = time.perf_counter()
    value = func()
    elapsed = time.perf_counter() - start
    sampler.peak = max(sampler.peak, rss_mb())
    print(f"{label:<34}{elapsed:8.1f} s   RSS after {rss_mb():7.0f} MB   peak during {sampler.peak:7.0f} MB", flush=True)
    return value


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--folder", type=Path, help="an existing meeting folder (default: generate one)")
    parser.add_argument("--projects", type=int, default=20000)
    parser.add_argument("--units", type=int, default=1000)
    parser.add_argument("--writer", choices=("fast", "reference"), default="fast")
    args = parser.parse_args()

    from drafting.build import _review, _review_config, BuildPlan, PlannedOutput  # noqa: PLC0415
    from drafting.docx.fast import write_docx_fast  # noqa: PLC0415
    from drafting.docx.writer import write_docx  # noqa: PLC0415
    from drafting.documents.notice import build_notice  # noqa: PLC0415
    from drafting.folder import load_meeting_folder  # noqa: PLC0415
    from drafting.templating import default_search_paths, make_environment  # noqa: PLC0415

    with tempfile.TemporaryDirectory() as tmp:
        folder_path = args.folder
        if folder_path is None:
            folder_path = Path(tmp) / "会议"
            print(f"generating {args.projects} projects over {args.units} units …", flush=True)
            make_meeting(folder_path, args.projects, args.units)
        sampler = Sampler()
        print(f"{'start':<34}{'':8}     RSS       {rss_mb():7.0f} MB")
        folder = stage(sampler, "load folder (ledger, yaml)", lambda: load_meeting_folder(folder_path))
        env = make_environment(default_search_paths(folder.templates_dir))
        as_of = folder.meeting.date
        notice = stage(sampler, "build notice (template, markup)", lambda: build_notice(folder, as_of, env))
        out = Path(tmp) / "进度通报.docx"
        write = write_docx_fast if args.writer == "fast" else write_docx
        stage(sampler, f"write docx ({args.writer} writer)", lambda: write(notice, out))
        plan = BuildPlan(folder=folder, out_dir=Path(tmp), as_of=as_of)
        output = PlannedOutput("notice", out, notice)
        stage(sampler, "review (placeholder, numbering …)", lambda: _review(output, notice, _review_config(plan)))
        sampler.stop()
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        print(f"{'whole run: peak RSS':<34}{peak:8.0f} MB   file {out.stat().st_size / 2**20:.1f} MB")


if __name__ == "__main__":
    main()
