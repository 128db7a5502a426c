"""Build corpus/idf/idf.txt from the sample texts in corpus/samples (each paragraph is one document).

    python -m drafting.check.idf [SAMPLES_DIR] [OUTPUT]
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

from drafting.check.keywords import build_idf, idf_file
from drafting.resources import corpus_dir


def sample_paragraphs(folder: Path) -> Iterator[str]:
    for path in sorted(folder.glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            if line.strip():
                yield line.strip()


def write_idf(samples: Path, output: Path) -> int:
    """Write the IDF table; return the number of words."""
    table = build_idf(sample_paragraphs(samples))
    output.parent.mkdir(parents=True, exist_ok=True)
    lines = [f"{word} {value:.6f}" for word, value in sorted(table.items())]
    output.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(lines)


def main(argv: list[str]) -> int:
    samples = Path(argv[0]) if argv else corpus_dir() / "samples"
    output = Path(argv[1]) if len(argv) > 1 else idf_file()
    count = write_idf(samples, output)
    sys.stdout.write(f"{output}: {count} words\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
