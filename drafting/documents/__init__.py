"""Document builders: one module per document kind (speech, letters, notice).

Each builds a Jinja context from a loaded meeting folder, renders its template
to 公文标记 and parses it into a ``drafting.document.Document``.
"""
