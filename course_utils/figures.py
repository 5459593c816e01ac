"""One figure style for the course: size, sharpness (HiDPI) and readable fonts, in one place.

Every figure of the course - drawn in a lesson or by a widget - follows these rules:

* it is at most :data:`MAX_WIDTH` inches wide, shown at :data:`CSS_DPI` screen pixels per
  inch, so it fits the notebook's output column without being shrunk;
* its PNG has :data:`HIDPI` image pixels per screen pixel (a live widget's 1.5, see
  :data:`WIDGET_DPI`), so it is sharp on HiDPI ("retina") screens, and is shown at its
  own width, never stretched;
* no text is smaller than :data:`MIN_FONT_PT` points.

:func:`use` applies the style (the setup cell of every notebook calls it);
:func:`png` renders a figure for a widget; :func:`text_problems` measures a figure the
way a reader sees it, for the tests.

>>> import matplotlib
>>> matplotlib.use("Agg")
>>> import matplotlib.pyplot as plt
>>> use()
>>> fig, ax = plt.subplots()
>>> _ = ax.set_title("Accuracy per month")
>>> text_problems(fig)
[]
>>> width, height = png_size(png(fig, tight=False))
>>> width == int(FIGURE_SIZE[0] * PNG_DPI)
True
"""

from __future__ import annotations

import io
import struct
from typing import Any

__all__ = [
    "CSS_DPI",
    "FIGURE_SIZE",
    "HIDPI",
    "MAX_WIDTH",
    "MIN_FONT_PT",
    "PNG_DPI",
    "RC",
    "SMALL",
    "WIDGET_DPI",
    "css_width",
    "png",
    "png_size",
    "text_problems",
    "use",
]

#: Screen (CSS) pixels per inch of figure: a 8-inch figure is 800 px wide on screen.
CSS_DPI = 100
#: Image pixels per screen pixel: sharp on HiDPI screens, still small files.
HIDPI = 2
#: The resolution PNGs are rendered at.
PNG_DPI = CSS_DPI * HIDPI
#: The resolution of a live widget's images: 1.5 image pixels per screen pixel, still
#: sharp, and a redraw stays within the 150 ms budget of a widget update.
WIDGET_DPI = int(CSS_DPI * 1.5)
#: The widest figure (inches): 900 screen pixels fit JupyterLab's and Colab's output column.
MAX_WIDTH = 9.0
#: The default figure size (inches).
FIGURE_SIZE = (8.0, 4.0)
#: No text smaller than this (points); at 100 px per inch, 9 pt is 12.5 screen pixels.
MIN_FONT_PT = 9.0
#: The size of small text: legends, annotations, tick labels of dense axes.
SMALL = MIN_FONT_PT

#: The matplotlib settings of the course style.
RC: dict[str, Any] = {
    "figure.figsize": FIGURE_SIZE,
    "figure.dpi": CSS_DPI,
    "savefig.dpi": PNG_DPI,
    "font.size": 10.0,
    "axes.titlesize": 11.0,
    "axes.labelsize": 10.0,
    "xtick.labelsize": SMALL,
    "ytick.labelsize": SMALL,
    "legend.fontsize": SMALL,
    "legend.title_fontsize": SMALL,
    "figure.titlesize": 12.0,
}


def use() -> None:
    """Apply the course style to matplotlib, and sharp (HiDPI) images in a notebook.

    In a Jupyter kernel, inline figures become PNGs with :data:`HIDPI` pixels per screen
    pixel, shown at their own size ("retina"). Calling it twice is harmless.
    """
    import matplotlib

    matplotlib.rcParams.update(RC)
    try:
        from IPython import get_ipython

        shell = get_ipython()
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        shell = None
    if shell is not None and hasattr(shell, "kernel"):
        try:
            from matplotlib_inline.backend_inline import set_matplotlib_formats

            set_matplotlib_formats("retina")
            matplotlib.rcParams.update(RC)  # the inline backend resets figure.dpi on use
        except Exception:  # pragma: no cover - an old or absent inline backend: plain PNGs
            pass


def png(fig: Any, *, close: bool = True, tight: bool = True) -> bytes:
    """The figure as PNG bytes at :data:`PNG_DPI`; shown at :func:`css_width` pixels.

    ``close=True`` closes a pyplot figure afterwards (a widget keeps only the bytes).
    """
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=PNG_DPI, bbox_inches="tight" if tight else None)
    if close:
        import matplotlib.pyplot as plt

        plt.close(fig)
    return buf.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels of PNG ``data`` (read from its header).

    >>> png_size(b"\\x89PNG\\r\\n\\x1a\\n" + b"\\x00\\x00\\x00\\rIHDR" + (640).to_bytes(4, "big")
    ...          + (320).to_bytes(4, "big"))
    (640, 320)
    """
    if len(data) < 24 or data[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG image")
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def css_width(data: bytes, *, dpi: float = PNG_DPI) -> int:
    """The width, in screen pixels, to show PNG ``data`` rendered at ``dpi`` at."""
    return max(1, round(png_size(data)[0] * CSS_DPI / dpi))


def text_problems(
    fig: Any, *, max_width: float = MAX_WIDTH, min_font: float = MIN_FONT_PT
) -> list[str]:
    """What a reader would find too small or too wide in ``fig``; empty when all is well.

    Checks the figure's width against ``max_width`` inches, and the size every visible
    text is *seen* at - its points, times the shrink factor if the figure is wider than
    the output column - against ``min_font`` points.
    """
    problems = []
    width = float(fig.get_figwidth())
    if width > max_width + 1e-9:
        problems.append(f"figure is {width:.1f} in wide (at most {max_width:g})")
    shrink = min(1.0, max_width / width)
    fig.canvas.draw()  # lays out tick labels, so they can be measured
    seen: set[int] = set()
    for text in fig.findobj(lambda a: hasattr(a, "get_fontsize") and hasattr(a, "get_text")):
        if id(text) in seen or not text.get_visible() or not str(text.get_text()).strip():
            continue
        seen.add(id(text))
        size = float(text.get_fontsize()) * shrink
        if size < min_font - 1e-9:
            problems.append(f"text {str(text.get_text())[:30]!r} is {size:.1f} pt")
    return problems
