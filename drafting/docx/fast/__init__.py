"""Fast .docx writing: document.xml emitted as text, the other parts built once per frame, a streamed zip.

``write_docx_fast`` writes exactly what ``drafting.docx.writer.write_docx`` (the
reference) writes, part for part, for every document the model can hold: 版头,
版记, sections, landscape attachments, signatures and tables of any size (the
body is deflated while it is generated).
"""

from drafting.docx.fast.writer import supports, write_docx_fast

__all__ = ["supports", "write_docx_fast"]
