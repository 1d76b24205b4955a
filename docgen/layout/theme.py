"""A minimal Office theme part (``word/theme/theme1.xml``).

Word expects a theme relationship on the main document (openxml-audit flags its
absence as a repair risk). The theme's fonts are the profile's font, so a ward
office that picks "theme fonts" in Word still gets Times New Roman.
"""

from __future__ import annotations

from docgen.layout.ooxml import XML_HEAD

__all__ = ["theme_xml"]

_A = "http://schemas.openxmlformats.org/drawingml/2006/main"


def _solid(color: str) -> str:
    return f'<a:solidFill><a:srgbClr val="{color}"/></a:solidFill>'


def theme_xml(font: str) -> str:
    """The theme XML with ``font`` as both heading and body font."""
    colors = [
        ("dk1", '<a:sysClr val="windowText" lastClr="000000"/>'),
        ("lt1", '<a:sysClr val="window" lastClr="FFFFFF"/>'),
        ("dk2", '<a:srgbClr val="1F497D"/>'),
        ("lt2", '<a:srgbClr val="EEECE1"/>'),
        ("accent1", '<a:srgbClr val="4F81BD"/>'),
        ("accent2", '<a:srgbClr val="C0504D"/>'),
        ("accent3", '<a:srgbClr val="9BBB59"/>'),
        ("accent4", '<a:srgbClr val="8064A2"/>'),
        ("accent5", '<a:srgbClr val="4BACC6"/>'),
        ("accent6", '<a:srgbClr val="F79646"/>'),
        ("hlink", '<a:srgbClr val="0000FF"/>'),
        ("folHlink", '<a:srgbClr val="800080"/>'),
    ]
    clr = "".join(f"<a:{name}>{value}</a:{name}>" for name, value in colors)
    fonts = f'<a:latin typeface="{font}"/><a:ea typeface=""/><a:cs typeface=""/>'
    fill = _solid("000000")
    line = f'<a:ln w="9525">{fill}</a:ln>'
    return (
        f'{XML_HEAD}<a:theme xmlns:a="{_A}" name="docgen">'
        f'<a:themeElements><a:clrScheme name="docgen">{clr}</a:clrScheme>'
        f'<a:fontScheme name="docgen"><a:majorFont>{fonts}</a:majorFont>'
        f"<a:minorFont>{fonts}</a:minorFont></a:fontScheme>"
        f'<a:fmtScheme name="docgen"><a:fillStyleLst>{fill * 3}</a:fillStyleLst>'
        f"<a:lnStyleLst>{line * 3}</a:lnStyleLst>"
        "<a:effectStyleLst>"
        + "<a:effectStyle><a:effectLst/></a:effectStyle>" * 3
        + f"</a:effectStyleLst><a:bgFillStyleLst>{fill * 3}</a:bgFillStyleLst>"
        "</a:fmtScheme></a:themeElements><a:objectDefaults/><a:extraClrSchemeLst/></a:theme>"
    )
