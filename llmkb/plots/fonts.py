"""A CJK font for figures (and social cards): Chinese text must never render as boxes."""

from __future__ import annotations

import functools
from pathlib import Path

#: Families tried first, in order, among the fonts the system already has.
PREFERRED = ("Noto Sans CJK SC", "Noto Sans SC", "Source Han Sans SC", "Source Han Sans CN",
             "WenQuanYi Zen Hei", "WenQuanYi Micro Hei", "Droid Sans Fallback")
HINT = "install a CJK font: apt-get install fonts-noto-cjk, or pip install mplfonts"


@functools.cache  # conf.py and the figures ask several times per build; the answer does not change
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
        pass
    else:
        bundled = Path(mplfonts.__file__).parent / "fonts" / "NotoSansCJKsc-Regular.otf"
        if bundled.is_file():
            return bundled
    # Debian's fonts-noto-cjk ships .ttc collections, which matplotlib does not list by itself
    for pattern in ("NotoSansCJK-Regular.ttc", "NotoSansCJKsc-Regular.otf", "wqy-zenhei.ttc"):
        found = sorted(Path("/usr/share/fonts").rglob(pattern)) if Path("/usr/share/fonts").is_dir() else []
        if found:
            return found[0]
    return None


def cjk_family() -> str | None:
    """Register the CJK font with matplotlib and return its family name (None if none)."""
    from matplotlib import font_manager

    path = font_file()
    if path is None:
        return None
    font_manager.fontManager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()
