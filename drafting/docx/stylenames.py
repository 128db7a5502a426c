"""Style names and character-width arithmetic of the 公文 styles, without python-docx.

The fast writer and the readers need the names; the styles themselves are
built by ``drafting.docx.styles`` (which needs python-docx) only when the
reference writer runs.
"""

from __future__ import annotations

from dataclasses import dataclass

from drafting.docx.profile import TWIPS_PER_PT

# Style names (shown in Word's style pane; readers may rely on them).
STYLE_BODY = "公文正文"
STYLE_FLUSH = "顶格正文"
STYLE_TITLE = "公文标题"
STYLE_BYLINE = "标题署名"
STYLE_SALUTATION = "主送机关"
HEADING_STYLES = ("一级标题", "二级标题", "三级标题", "四级标题")
STYLE_RUN_IN = "标题后正文"  # character style
STYLE_SIGNATURE = "发文署名"
STYLE_DATE = "成文日期"
STYLE_PARTIES = "签章栏"
STYLE_NOTE = "附件说明"
STYLE_NOTE_MORE = "附件说明续"
STYLE_ROSTER = "出席列席"
STYLE_ROSTER_LABEL = "出席列席名目"  # character style
STYLE_ATTACHMENT_LABEL = "附件标识"
STYLE_ATTACHMENT_TITLE = "附件标题"
STYLE_TABLE = "表格文字"
STYLE_TABLE_HEADER = "表头文字"
STYLE_TABLE_CAPTION = "表题"
STYLE_TABLE_WIDE = "横排表格文字"  # landscape attachment tables: 五号
STYLE_TABLE_HEADER_WIDE = "横排表头文字"
STYLE_PAGE_NUMBER = "页码"
STYLE_ORGAN = "发文机关标志"
STYLE_DOC_NUMBER = "发文字号"
STYLE_RED_LINE = "版头分隔线"
STYLE_IMPRINT_CC = "版记抄送"
STYLE_IMPRINT_ISSUER = "版记印发机关"
STYLE_IMPRINT_DATE = "版记印发日期"
STYLE_CARRIER = "占位段落"  # anchors a floating table or carries a section break


def text_width_chars(text: str) -> float:
    """Width in body characters: CJK and full-width count 1, ASCII half."""
    return sum(0.5 if ord(ch) < 0x2E80 else 1 for ch in text)


@dataclass
class CharUnits:
    """Converts character counts to OOXML (hundredths, twips) pairs."""

    char_pt: float

    def __call__(self, chars: float) -> tuple[int, int]:
        return round(chars * 100), round(chars * self.char_pt * TWIPS_PER_PT)
