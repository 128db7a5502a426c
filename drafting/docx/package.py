"""Our own minimal base .docx package, built from the style profile.

python-docx's default template carries a Japanese theme-font language, a font
table of fonts we never use (and none of ours), dozens of styles, latent
styles, a theme, numbering, web settings, a blank thumbnail and "Microsoft
Macintosh Word" as the application. We start from these few parts instead:
content types, relationships, core and app properties, an empty body,
settings, three default styles and a font table that declares exactly the
profile's fonts, each East Asian one with the GB2312 charset and an
``altName`` a stock Windows has (仿宋_GB2312 → 仿宋), so Word and WPS fall back
to the right family. ``docx.Document(base_package(profile))`` opens it.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass
from html import escape

from drafting.docx.profile import StyleProfile

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
R_NS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
OFFICE_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
GB2312_CHARSET = "86"
APPLICATION = "drafting"


@dataclass(frozen=True)
class FontInfo:
    """What Word writes in its font table for a font: fallback name, PANOSE, charset, family, pitch."""

    alt_name: str | None
    panose: str | None
    charset: str
    family: str
    pitch: str


# Facts about the fonts offices use (PANOSE from the fonts' own tables). altName
# is the name Word and WPS try when the font itself is missing: a stock Windows
# 10/11 has 仿宋, 楷体, 黑体 and 宋体, but no *_GB2312 and no 方正 fonts.
KNOWN_FONTS: dict[str, FontInfo] = {
    "仿宋_GB2312": FontInfo("仿宋", "02010609030101010101", GB2312_CHARSET, "modern", "fixed"),
    "楷体_GB2312": FontInfo("楷体", "02010609030101010101", GB2312_CHARSET, "modern", "fixed"),
    "仿宋": FontInfo("FangSong", "02010609060101010101", GB2312_CHARSET, "modern", "fixed"),
    "楷体": FontInfo("KaiTi", "02010609060101010101", GB2312_CHARSET, "modern", "fixed"),
    "黑体": FontInfo("SimHei", "02010609060101010101", GB2312_CHARSET, "modern", "fixed"),
    "宋体": FontInfo("SimSun", "02010600030101010101", GB2312_CHARSET, "auto", "variable"),
    "方正小标宋简体": FontInfo("宋体", "02000000000000000000", GB2312_CHARSET, "auto", "variable"),
    "方正仿宋_GBK": FontInfo("仿宋", "02000000000000000000", GB2312_CHARSET, "auto", "variable"),
    "方正楷体_GBK": FontInfo("楷体", "02000000000000000000", GB2312_CHARSET, "auto", "variable"),
    "方正黑体_GBK": FontInfo("黑体", "02000000000000000000", GB2312_CHARSET, "auto", "variable"),
    "华文中宋": FontInfo("宋体", "02010600040101010101", GB2312_CHARSET, "auto", "variable"),
    "Times New Roman": FontInfo(None, "02020603050405020304", "00", "roman", "variable"),
}


def font_info(name: str) -> FontInfo:
    """A known font's entry; an unknown Chinese-named font is declared GB2312 without PANOSE."""
    if name in KNOWN_FONTS:
        return KNOWN_FONTS[name]
    east_asian = any(ord(ch) >= 0x2E80 for ch in name)
    return FontInfo(None, None, GB2312_CHARSET if east_asian else "00", "auto", "variable")


def profile_fonts(profile: StyleProfile) -> list[str]:
    """Every font the profile's styles name, in first-use order."""
    names = [
        profile.latin_font,
        profile.body_font,
        profile.title_font,
        profile.byline_font,
        *profile.heading_fonts,
        profile.table_font,
        profile.table_header_font,
        profile.table_caption_font,
        profile.attachment_label_font,
        profile.page_number_font,
        profile.imprint_font,
        profile.organ_font,
    ]
    return list(dict.fromkeys(names))


def _quoted(value: str) -> str:
    """An attribute value in quotes, as xml.sax.saxutils.quoteattr writes it (imported only when needed: it is slow)."""
    if any(ch in value for ch in "\"\n\r\t"):
        from xml.sax.saxutils import quoteattr

        return quoteattr(value)
    return f'"{escape(value, quote=False)}"'


def font_table_xml(fonts: list[str]) -> str:
    entries = []
    for name in fonts:
        info = font_info(name)
        parts = [f"<w:font w:name={_quoted(name)}>"]
        if info.alt_name:
            parts.append(f"<w:altName w:val={_quoted(info.alt_name)}/>")
        if info.panose:
            parts.append(f'<w:panose1 w:val="{info.panose}"/>')
        parts.append(f'<w:charset w:val="{info.charset}"/><w:family w:val="{info.family}"/>')
        parts.append(f'<w:pitch w:val="{info.pitch}"/></w:font>')
        entries.append("".join(parts))
    return f'<w:fonts xmlns:w="{W_NS}">{"".join(entries)}</w:fonts>'


_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

_CONTENT_TYPES = (
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/word/document.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/>'
    '<Override PartName="/word/styles.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>'
    '<Override PartName="/word/settings.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.settings+xml"/>'
    '<Override PartName="/word/fontTable.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/>'
    '<Override PartName="/docProps/core.xml" ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
    '<Override PartName="/docProps/app.xml" '
    'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
    "</Types>"
)

_PACKAGE_RELS = (
    f'<Relationships xmlns="{PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{OFFICE_RELS}/officeDocument" Target="word/document.xml"/>'
    '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
    'core-properties" Target="docProps/core.xml"/>'
    f'<Relationship Id="rId3" Type="{OFFICE_RELS}/extended-properties" Target="docProps/app.xml"/>'
    "</Relationships>"
)

_DOCUMENT_RELS = (
    f'<Relationships xmlns="{PKG_RELS}">'
    f'<Relationship Id="rId1" Type="{OFFICE_RELS}/styles" Target="styles.xml"/>'
    f'<Relationship Id="rId2" Type="{OFFICE_RELS}/settings" Target="settings.xml"/>'
    f'<Relationship Id="rId3" Type="{OFFICE_RELS}/fontTable" Target="fontTable.xml"/>'
    "</Relationships>"
)

_DOCUMENT = f'<w:document xmlns:w="{W_NS}" xmlns:r="{R_NS}"><w:body><w:sectPr/></w:body></w:document>'

_CORE = (
    '<cp:coreProperties xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
    'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
    'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"/>'
)

_APP = (
    '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties">'
    f"<Application>{APPLICATION}</Application><DocSecurity>0</DocSecurity>"
    "</Properties>"
)

# The three styles Word itself relies on: the paragraph, character and table defaults.
_STYLES = (
    f'<w:styles xmlns:w="{W_NS}">'
    "<w:docDefaults><w:rPrDefault><w:rPr/></w:rPrDefault><w:pPrDefault><w:pPr/></w:pPrDefault></w:docDefaults>"
    '<w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/><w:qFormat/></w:style>'
    '<w:style w:type="character" w:default="1" w:styleId="DefaultParagraphFont">'
    '<w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/><w:unhideWhenUsed/></w:style>'
    '<w:style w:type="table" w:default="1" w:styleId="TableNormal"><w:name w:val="Normal Table"/>'
    '<w:uiPriority w:val="99"/><w:semiHidden/><w:unhideWhenUsed/>'
    '<w:tblPr><w:tblInd w:w="0" w:type="dxa"/><w:tblCellMar><w:top w:w="0" w:type="dxa"/>'
    '<w:left w:w="108" w:type="dxa"/><w:bottom w:w="0" w:type="dxa"/><w:right w:w="108" w:type="dxa"/>'
    "</w:tblCellMar></w:tblPr></w:style>"
    "</w:styles>"
)

DEFAULT_STYLE_NAMES = ("Normal", "Default Paragraph Font", "Normal Table")


def _settings(profile: StyleProfile) -> str:
    return (
        f'<w:settings xmlns:w="{W_NS}">'
        '<w:zoom w:percent="100"/>'
        '<w:defaultTabStop w:val="420"/>'
        '<w:characterSpacingControl w:val="doNotCompress"/>'
        "<w:compat>"
        '<w:compatSetting w:name="compatibilityMode" w:uri="http://schemas.microsoft.com/office/word" '
        f'w:val="{profile.word_compatibility_mode}"/>'
        "</w:compat>"
        f'<w:themeFontLang w:val="en-US" w:eastAsia="{profile.east_asia_lang}"/>'
        '<w:decimalSymbol w:val="."/><w:listSeparator w:val=","/>'
        "</w:settings>"
    )


def base_parts(profile: StyleProfile) -> dict[str, str]:
    """Part name → XML text of the base package."""
    return {
        "[Content_Types].xml": _CONTENT_TYPES,
        "_rels/.rels": _PACKAGE_RELS,
        "docProps/core.xml": _CORE,
        "docProps/app.xml": _APP,
        "word/document.xml": _DOCUMENT,
        "word/_rels/document.xml.rels": _DOCUMENT_RELS,
        "word/styles.xml": _STYLES,
        "word/settings.xml": _settings(profile),
        "word/fontTable.xml": font_table_xml(profile_fonts(profile)),
    }


def base_package(profile: StyleProfile) -> io.BytesIO:
    """The base .docx as a stream for ``docx.Document``."""
    stream = io.BytesIO()
    with zipfile.ZipFile(stream, "w", zipfile.ZIP_DEFLATED) as package:
        for name, xml in base_parts(profile).items():
            package.writestr(name, _XML + xml)
    stream.seek(0)
    return stream
