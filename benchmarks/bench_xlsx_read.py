"""CPU time of reading projects.xlsx, stage by stage: import, workbook parts, the sheet, validation.

Run by hand from the repository root:

    .venv/bin/python benchmarks/bench_xlsx_read.py [--sizes 2000 20000] [--repeat 5] [--base REV] [--keep DIR]

For each size, two ledgers are generated once (``benchmarks.ledgers``, PROJECTS across PROJECTS/10 units,
at least 300): with inline strings, as openpyxl's write-only mode saves them, and with shared strings, as
Excel and WPS save them (``benchmarks.ledgers.with_shared_strings``). Figures are CPU seconds
(``time.process_time``), best of ``--repeat``:

- import: ``import drafting.ledger`` in a fresh process, byte-code cached (and whether openpyxl was imported);
- parts: ``drafting.ledger._open`` (workbook, relationships, shared strings, styles);
- sheet: ``_xlsx_rows`` less ``parts`` (the archive check and the streaming pass over the sheet XML);
- validation: ``load_ledger`` less ``_xlsx_rows`` (cells → projects).

``--base REV`` measures ``drafting/`` as at git revision REV as well, in the same run, interleaved.
No assertions.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

IMPORT = """
import json, sys, time
t = time.process_time()
import drafting.ledger
cpu = time.process_time() - t
print(json.dumps({"import": cpu, "openpyxl": "openpyxl" in sys.modules, "code": drafting.ledger.__file__}))
"""

STAGES = """
import json, sys, time
from pathlib import Path
from drafting import ledger
repeat = int(sys.argv[1])
out = {}
for name in sys.argv[2:]:
    path = Path(name)
    best = {"parts": 1e9, "rows": 1e9, "load": 1e9}
    for _ in range(repeat):
        t = time.process_time()
        ledger._open(path).archive.close()
        best["parts"] = min(best["parts"], time.process_time() - t)
        t = time.process_time()
        sheet = ledger._xlsx_rows(path)
        best["rows"] = min(best["rows"], time.process_time() - t)
        del sheet
        t = time.process_time()
        loaded = ledger.load_ledger(path)
        best["load"] = min(best["load"], time.process_time() - t)
    out[name] = {"parts": best["parts"], "sheet": best["rows"] - best["parts"],
                 "validation": best["load"] - best["rows"], "load": best["load"], "projects": len(loaded.projects)}
print(json.dumps(out))
"""


# Byte-code caches are written and used, as for an installed package (a run with PYTHONDONTWRITEBYTECODE
# would compile every drafting module at each import).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def run(code: Path, script: str, *args: str) -> dict:
    result = subprocess.run([sys.executable, "-c", script, *args], cwd=code, capture_output=True, text=True, env=ENV)
    if result.returncode != 0:
        sys.exit(f"failed in {code}: {result.stderr[-1500:]}")
    return json.loads(result.stdout)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[2000, 20000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--keep", type=Path, help="generate the ledgers here and keep them (reused when present)")
    parser.add_argument("--base", help="also measure drafting/ as at this git revision (e.g. main)")
    args = parser.parse_args()

    sys.path.insert(0, str(ROOT))
    from benchmarks.ledgers import with_shared_strings, write_ledger
    from benchmarks.revisions import export_drafting

    root = args.keep or Path(tempfile.mkdtemp(prefix="bench-xlsx-"))
    root.mkdir(parents=True, exist_ok=True)
    codes = {"this": ROOT}
    base_dir = None
    if args.base:
        base_dir = export_drafting(args.base, prefix="bench-xlsx-base-")
        codes = {args.base: base_dir, "this": ROOT}
    print(f"{time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC  nproc {os.cpu_count()}  load {os.getloadavg()[0]:.1f}  "
          f"python {platform.python_version()}  repeat {args.repeat}  (CPU seconds, best of repeat)")
    try:
        files: list[Path] = []
        for size in args.sizes:
            inline = root / f"inline{size}.xlsx"
            if not inline.is_file():
                write_ledger(inline, size, max(300, size // 10))
            shared = root / f"shared{size}.xlsx"
            if not shared.is_file():
                with_shared_strings(inline, shared)
            files += [inline, shared]
        imports: dict[str, list[dict]] = {label: [] for label in codes}
        for code in codes.values():
            run(code, IMPORT)  # writes the byte-code caches
        for _ in range(args.repeat):  # interleaved fresh processes
            for label, code in codes.items():
                imports[label].append(run(code, IMPORT))
        stages = {label: run(code, STAGES, str(args.repeat), *map(str, files)) for label, code in codes.items()}
        for label, code in codes.items():
            found = imports[label][0]
            if not found["code"].startswith(str(code)):
                sys.exit(f"{label}: imported drafting from {found['code']}")
            best = min(r["import"] for r in imports[label])
            print(f"{label:<10} import drafting.ledger {best:.3f} s  (openpyxl imported: {found['openpyxl']})")
        print(f"{'code':<10} {'ledger':<22} {'projects':>8} {'parts':>7} {'sheet':>7} {'valid.':>7} {'load':>7}")
        for file in files:
            for label in codes:
                s = stages[label][str(file)]
                print(f"{label:<10} {file.name:<22} {s['projects']:>8} {s['parts']:>7.3f} {s['sheet']:>7.3f} "
                      f"{s['validation']:>7.3f} {s['load']:>7.3f}")
    finally:
        if args.keep is None:
            shutil.rmtree(root, ignore_errors=True)
        if base_dir is not None:
            shutil.rmtree(base_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
