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
    """Register the CJK font with matplotlib and return its family name (None if none).

    Registered once per font manager: ``addfont`` reads the file again, appends every face of it
    to the manager's font list (Debian's collection has ten) and empties ``findfont``'s cache.
    Called once per figure, it cost ~8 ms a call and made each later ``findfont`` score a longer
    list: a build's 66 lineage graphs had grown the list from 272 fonts to ~930."""
    from matplotlib import font_manager

    path = font_file()
    if path is None:
        return None
    manager = font_manager.fontManager
    if not any(entry.fname == str(path) for entry in manager.ttflist):
        manager.addfont(str(path))
    return font_manager.FontProperties(fname=str(path)).get_name()
