"""Every limit a template runs under, in one place (documented for users in docs/limits.md, section 模板).

Templates come from meeting folders that travel between offices, so a render
is bounded in time, in the text it produces and in how deep it nests. The
numbers leave a wide margin over honest templates (the example speech is
about 3,600 characters, a notice for 5,000 projects about 310,000).
"""

from __future__ import annotations

# A template file larger than this is refused before it is parsed.
MAX_TEMPLATE_BYTES = 1_000_000

# A Word-authored template (templates/*.docx) larger than this, or unzipping to more, is refused.
MAX_WORD_TEMPLATE_BYTES = 20_000_000
MAX_WORD_TEMPLATE_UNZIPPED = 200_000_000

# CPU seconds one document's rendering may take (the template and everything it includes).
# Processor time of the rendering thread, not wall-clock time, so a busy machine does not stop an
# honest render; the loop, work and output budgets below already bound the work, this is the backstop.
# A notice for 100,000 projects renders in about 5-15 s.
MAX_RENDER_SECONDS = 30.0

# Characters of rendered text one document may have.
MAX_OUTPUT_CHARS = 20_000_000

# Characters (and list items) a render may produce in all: output, captured
# blocks, joined or repeated text, filter results. Bounds memory.
MAX_WORK_UNITS = 60_000_000

# Loop iterations (all {% for %} loops of one render together).
MAX_LOOP_ITERATIONS = 1_000_000

# Items of one range(...) (the same as jinja2's own sandbox limit).
MAX_RANGE = 100_000

# Size of a whole number a template may compute (about 1,000 decimal digits).
MAX_INT_BITS = 3_400

# Python stack frames a render may add (include/extends/import chains, macro recursion).
MAX_NESTING_FRAMES = 250
