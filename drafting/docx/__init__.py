"""Word output: ``profile`` holds every layout number, ``oxml`` the raw XML, ``writer`` renders a Document."""

from drafting.docx.profile import DEFAULT_PROFILE, SPEECH_LARGE_PROFILE, Margins, StyleProfile
from drafting.docx.writer import write_docx

__all__ = ["DEFAULT_PROFILE", "SPEECH_LARGE_PROFILE", "Margins", "StyleProfile", "write_docx"]
