"""A CJK font for figures (and social cards): Chinese text must never render as boxes."""

from __future__ import annotations

from pathlib import Path

#: Families tried first, in order, among the fonts the system already has.
PREFERRED = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback")
HINT = "install a CJK font: apt-get install fonts-noto-cjk, or pip install mplfonts"


def font_file() -> Path | None:
    """Path of a CJK font file: a system font if there is one, else the one mplfonts ships."""
    from matplotlib import font_manager

    by_name = {f.name: f.fname for f in font_manager.fontManager.ttflist}
    for family in PREFERRED:
        if family in by_name:
            return Path(by_name[family])
    try:
        import mplfonts
    except ImportError:
        return None
    bundled = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
    return bundled if bundled.is_file() else None


def cjk_family() -> str | None:
    """Register the CJK font with matplotlib and return its family name (None if none)."""
    from matplotlib import font_manager

    path = font_file()
    if path is None:
        return None
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()
