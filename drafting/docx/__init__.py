"""Word output: ``profile`` holds every layout number, ``oxml`` the raw XML, ``writer`` renders a Document.

``write_docx`` (the reference writer, python-docx) is imported on first use:
the build writes through ``drafting.docx.fast`` and need not load python-docx.
"""

from typing import Any

from drafting.docx.profile import DEFAULT_PROFILE, SPEECH_LARGE_PROFILE, Margins, StyleProfile

__all__ = ["DEFAULT_PROFILE", "SPEECH_LARGE_PROFILE", "Margins", "StyleProfile", "write_docx"]


def __getattr__(name: str) -> Any:
    if name == "write_docx":
        from drafting.docx.writer import write_docx

        return write_docx
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
