"""The font mapping used when LibreOffice converts our documents to PDF (Linux only).

Our documents name Windows faces (仿宋_GB2312, 楷体_GB2312, 黑体, 方正小标宋简体) that
Linux machines lack; without a mapping every face falls back to one sans font
and the heading hierarchy disappears. ``conversion_environment`` writes a
FONTCONFIG_FILE that includes the system configuration, adds the folders of
free fonts fontconfig does not scan by default (the Fandol fonts of
texlive-lang-chinese) and then the shipped ``data/fonts.conf`` mapping; only the
conversion process gets it.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Mapping
from pathlib import Path
from html import escape as _html_escape

MAPPING_FILE = Path(__file__).with_name("data") / "fonts.conf"
SYSTEM_CONFIG = "/etc/fonts/fonts.conf"
# Free font folders fontconfig does not look in by default.
EXTRA_FONT_DIRS = (
    "/usr/share/texlive/texmf-dist/fonts/opentype/public/fandol",
    "/usr/share/fonts/opentype/fandol",
)
FONT_DIRS_VARIABLE = "DRAFTING_FONT_DIRS"  # more folders, separated by os.pathsep


def font_dirs(environ: Mapping[str, str] = os.environ) -> list[Path]:
    """Existing extra font folders: the known free-font folders, then those named in DRAFTING_FONT_DIRS."""
    named = [part for part in environ.get(FONT_DIRS_VARIABLE, "").split(os.pathsep) if part]
    return [Path(d) for d in (*EXTRA_FONT_DIRS, *named) if Path(d).is_dir()]


def fontconfig_text(system_config: str, dirs: list[Path]) -> str:
    lines = [
        '<?xml version="1.0"?>',
        '<!DOCTYPE fontconfig SYSTEM "urn:fontconfig:fonts.dtd">',
        "<fontconfig>",
        f'  <include ignore_missing="yes">{_html_escape(system_config, quote=False)}</include>',
        *(f"  <dir>{_html_escape(str(d), quote=False)}</dir>" for d in dirs),
        f"  <include>{_html_escape(str(MAPPING_FILE), quote=False)}</include>",
        "</fontconfig>",
    ]
    return "\n".join(lines) + "\n"


def conversion_environment(workdir: Path, environ: Mapping[str, str] = os.environ) -> dict[str, str] | None:
    """Environment for the soffice process with our FONTCONFIG_FILE (written into ``workdir``); None off Linux."""
    if not sys.platform.startswith("linux"):
        return None  # LibreOffice on Windows and macOS does not use fontconfig
    system = environ.get("FONTCONFIG_FILE") or SYSTEM_CONFIG
    path = workdir / "fonts.conf"
    path.write_text(fontconfig_text(system, font_dirs(environ)), encoding="utf-8")
    return {**environ, "FONTCONFIG_FILE": str(path)}
