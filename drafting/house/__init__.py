"""House 版式: an office's own Word file (红头, logo, red rule, 版记) as the base of a generated document.

Modules, one job each: ``package`` reads and checks the file, ``xmlscan`` finds
paragraphs and text offsets without re-serialising XML, ``fields`` lists and
fills ``{{…}}`` fields, ``values`` gives each field its text, ``locate`` finds
the file for a document kind, ``styles`` merges our styles into the house's,
``splice`` puts our generated body at the ``{{正文}}`` marker (``sections``: our
section breaks on the house page setup; ``zipout``: the package), ``plan`` attaches
house files to a build, ``sample`` writes the example house file. User docs: docs/house.md.

Checking a house file (``drafting house check``): ``inspect`` with ``pagenumbers``,
facts read by ``wordprops``, judged as ``findings``, reported by ``inspect_report``.
"""
