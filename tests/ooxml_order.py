"""Child-element order of the OOXML complex types we write (ECMA-376 Part 1, wml.xsd).

Word refuses or "repairs" a file whose pPr/rPr/tblPr/… children are out of
schema order; LibreOffice does not mind, so rendering tests cannot catch it.
Only the elements' relative order is listed; unknown children fail the check.
"""

from __future__ import annotations

ORDER: dict[str, list[str]] = {
    "pPr": [
        "pStyle", "keepNext", "keepLines", "pageBreakBefore", "framePr", "widowControl", "numPr",
        "suppressLineNumbers", "pBdr", "shd", "tabs", "suppressAutoHyphens", "kinsoku", "wordWrap",
        "overflowPunct", "topLinePunct", "autoSpaceDE", "autoSpaceDN", "bidi", "adjustRightInd",
        "snapToGrid", "spacing", "ind", "contextualSpacing", "mirrorIndents", "suppressOverlap", "jc",
        "textDirection", "textAlignment", "textboxTightWrap", "outlineLvl", "divId", "cnfStyle", "rPr",
        "sectPr", "pPrChange",
    ],
    "rPr": [
        "rStyle", "rFonts", "b", "bCs", "i", "iCs", "caps", "smallCaps", "strike", "dstrike", "outline",
        "shadow", "emboss", "imprint", "noProof", "snapToGrid", "vanish", "webHidden", "color", "spacing",
        "w", "kern", "position", "sz", "szCs", "highlight", "u", "effect", "bdr", "shd", "fitText",
        "vertAlign", "rtl", "cs", "em", "lang", "eastAsianLayout", "specVanish", "oMath",
    ],
    "tblPr": [
        "tblStyle", "tblpPr", "tblOverlap", "bidiVisual", "tblStyleRowBandSize", "tblStyleColBandSize",
        "tblW", "jc", "tblCellSpacing", "tblInd", "tblBorders", "shd", "tblLayout", "tblCellMar", "tblLook",
        "tblCaption", "tblDescription",
    ],
    "tcPr": [
        "cnfStyle", "tcW", "gridSpan", "hMerge", "vMerge", "tcBorders", "shd", "noWrap", "tcMar",
        "textDirection", "tcFitText", "vAlign", "hideMark",
    ],
    "sectPr": [
        "headerReference|footerReference", "footnotePr", "endnotePr", "type", "pgSz", "pgMar", "paperSrc",
        "pgBorders", "lnNumType", "pgNumType", "cols", "formProt", "vAlign", "noEndnote", "titlePg",
        "textDirection", "bidi", "rtlGutter", "docGrid", "printerSettings", "sectPrChange",
    ],
    "pBdr": ["top", "left", "bottom", "right", "between", "bar"],
    "tblBorders": ["top", "left|start", "bottom", "right|end", "insideH", "insideV"],
    "tcBorders": ["top", "left|start", "bottom", "right|end", "insideH", "insideV", "tl2br", "tr2bl"],
    "tblCellMar": ["top", "left|start", "bottom", "right|end"],
}

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _rank(order: list[str]) -> dict[str, int]:
    return {name: i for i, names in enumerate(order) for name in names.split("|")}


RANKS = {parent: _rank(order) for parent, order in ORDER.items()}


def order_problems(root) -> list[str]:  # type: ignore[no-untyped-def]
    """Every element of a checked type whose children are unknown or out of order."""
    problems: list[str] = []
    for parent, ranks in RANKS.items():
        for element in root.iter(f"{W}{parent}"):
            last = -1
            for child in element:
                if not isinstance(child.tag, str) or not child.tag.startswith(W):
                    continue
                name = child.tag[len(W):]
                rank = ranks.get(name)
                if rank is None:
                    problems.append(f"{parent}: unexpected <w:{name}>")
                elif rank < last:
                    problems.append(f"{parent}: <w:{name}> out of order")
                else:
                    last = rank
    return problems
