"""Fast .docx writing for batches: fixed parts built once, document.xml emitted as text, pre-deflated zip.

``write_docx_fast`` writes exactly what ``drafting.docx.writer.write_docx`` (the
reference) writes, part for part; a document using anything the text emitter
does not handle is written by the reference writer instead.
"""

from drafting.docx.fast.writer import supports, write_docx_fast

__all__ = ["supports", "write_docx_fast"]
