"""Widget conventions: the logic is a plain function, the widget is thin wiring on it.

Every lesson widget is an :class:`Explorer`: a few controls, a ``compute`` function that
takes the controls' values as keyword arguments and returns plain data, and renderers that
turn that data into a text equivalent (an HTML table or sentence - never colour alone) and,
optionally, a matplotlib figure shown as a PNG. Moving a control recomputes and re-renders
synchronously, so a headless test can set ``.value`` and check what changed at once.

Works with ipywidgets 7.7 (what Colab ships) and 8. Figures follow the course style of
:mod:`course_utils.figures`: HiDPI PNGs shown at their own width, readable fonts.

Example
-------
>>> import ipywidgets as W
>>> def compute(n):
...     return {"n": n, "square": n * n}
>>> ex = Explorer({"n": W.IntSlider(value=2, min=0, max=10)}, compute,
...               text=lambda r: f"{r['n']} squared is {r['square']}")
>>> ex.controls["n"].value = 3
>>> ex.text_html.value
'3 squared is 9'
"""

from __future__ import annotations

import io
import statistics
import time
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import ipywidgets as W

from course_utils import figures

IPYWIDGETS_MAJOR = int(W.__version__.split(".")[0])


def figure_png(fig: Any, *, dpi: int = figures.WIDGET_DPI) -> bytes:
    """Render a matplotlib figure to PNG bytes (HiDPI, the course style) and close it."""
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight")
    plt.close(fig)
    return buf.getvalue()


def fit_image(image: W.Image, data: bytes) -> None:
    """Show PNG ``data`` (rendered at :data:`~course_utils.figures.WIDGET_DPI`) at its own
    size on screen - sharp on HiDPI screens, never stretched - and never wider than the
    output column."""
    try:
        width = figures.css_width(data, dpi=figures.WIDGET_DPI)
    except ValueError:
        return
    image.layout.width = f"{width}px"
    image.layout.max_width = "100%"
    image.layout.height = "auto"


def blit_png(fig: Any, moving: Iterable[Any], background: Any = None) -> tuple[bytes, Any]:
    """A PNG of ``fig`` that redraws only the ``moving`` artists over a cached background.

    For widgets whose update moves a line or a marker on an otherwise fixed figure: the
    first call draws everything and returns the background to pass back next time; later
    calls repaint just the moving artists (mark them ``set_animated(True)``), which keeps
    an update far below the 150 ms budget. Returns ``(png_bytes, background)``.
    """
    from PIL import Image

    canvas = fig.canvas
    if background is None:
        canvas.draw()  # everything but the moving parts
        background = canvas.copy_from_bbox(fig.bbox)
    canvas.restore_region(background)
    for artist in moving:
        fig.draw_artist(artist)
    width, height = canvas.get_width_height()
    image = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw")
    buf = io.BytesIO()
    image.convert("RGB").save(buf, format="png", compress_level=1)
    return buf.getvalue(), background


class Explorer:
    """Controls -> ``compute(**values)`` -> text (and figure) outputs.

    Parameters
    ----------
    controls:
        Named ipywidgets controls; their names are ``compute``'s keyword arguments.
    compute:
        Plain function of the control values returning plain data (a dict, a DataFrame).
    text:
        Turns the result into HTML text: the widget's text equivalent.
    figure:
        Optional: turns the result into a matplotlib figure, shown as a PNG image.
    title:
        Optional heading shown above the controls.
    """

    def __init__(
        self,
        controls: Mapping[str, W.ValueWidget],
        compute: Callable[..., Any],
        *,
        text: Callable[[Any], str],
        figure: Callable[[Any], Any] | None = None,
        title: str | None = None,
    ) -> None:
        self.controls = dict(controls)
        self.compute = compute
        self._text = text
        self._figure = figure
        self.text_html = W.HTML()
        self.image = W.Image(format="png") if figure is not None else None
        if self.image is not None:  # whatever sets the PNG, it is shown at its own size
            self.image.observe(lambda change: fit_image(self.image, change["new"]), names="value")
        self.result: Any = None
        self.updates = 0
        parts: list[W.Widget] = []
        if title:
            parts.append(W.HTML(f"<b>{title}</b>"))
        parts.append(W.HBox(list(self.controls.values())))
        if self.image is not None:
            parts.append(self.image)
        parts.append(self.text_html)
        self.box = W.VBox(parts)
        for control in self.controls.values():
            control.observe(self._on_change, names="value")
        self.refresh()

    def values(self) -> dict[str, Any]:
        """The current value of every control, by name."""
        return {name: c.value for name, c in self.controls.items()}

    def refresh(self) -> None:
        """Recompute and re-render from the current control values."""
        self.result = self.compute(**self.values())
        self.text_html.value = self._text(self.result)
        if self._figure is not None and self.image is not None:
            self.image.value = figure_png(self._figure(self.result))
        self.updates += 1

    def _on_change(self, change: dict) -> None:
        self.refresh()

    def _ipython_display_(self) -> None:  # ipywidgets 7 and 8 both display a VBox
        from IPython.display import display

        display(self.box)


def update_times(
    explorer: Explorer, control: str, values: Iterable[Any], *, repeats: int = 1
) -> list[float]:
    """Seconds each update takes after setting ``explorer.controls[control].value``.

    Updates are synchronous, so the time to set the value is the time to recompute and
    re-render. Used by ``make bench`` (budget: p95 <= 150 ms).
    """
    widget = explorer.controls[control]
    values = list(values)
    times = []
    for _ in range(repeats):
        for v in values:
            if widget.value == v:
                continue
            t0 = time.perf_counter()
            widget.value = v
            times.append(time.perf_counter() - t0)
    if not times:
        raise ValueError("no update was timed: give values that differ from the current one")
    return times


def p95(times: list[float]) -> float:
    """The 95th percentile of a list of timings."""
    if len(times) == 1:
        return times[0]
    return statistics.quantiles(times, n=20, method="inclusive")[18]


class StaticCopy:
    """What a widget shows, as a static figure and text, folded away under one line.

    A rendered page (GitHub, a PDF) cannot run a widget, so each widget is followed by a
    static copy; folded, it does not make a learner who *sees* the widget read it twice.
    In Jupyter it is an HTML ``<details>`` block (click to open); as plain text (a
    terminal, the tests) it is the text alone.

    >>> copy = StaticCopy(text="depth 6: 0.804")
    >>> print(copy)
    depth 6: 0.804
    >>> "<details" in copy._repr_html_()
    True
    """

    def __init__(
        self,
        fig: Any = None,
        *,
        text: str = "",
        table: Any = None,
        summary: str = "Static copy of the widget (for pages where it does not show)",
    ) -> None:
        self.png = figures.png(fig) if fig is not None else None
        self.text = text
        self.table = table
        self.summary = summary

    def __str__(self) -> str:
        parts = [self.text] if self.text else []
        if self.table is not None:
            parts.append(self.table.to_string(index=False))
        return "\n".join(parts)

    __repr__ = __str__

    def _repr_html_(self) -> str:
        import base64
        import html

        parts = [f"<details><summary>{html.escape(self.summary)}</summary>"]
        if self.png is not None:
            data = base64.b64encode(self.png).decode("ascii")
            parts.append(
                f'<img src="data:image/png;base64,{data}" width="{figures.css_width(self.png)}" '
                'style="max-width:100%" alt="static copy of the widget">'
            )
        if self.text:
            parts.append(f"<pre>{html.escape(self.text)}</pre>")
        if self.table is not None:
            parts.append(self.table.to_html(index=False))
        parts.append("</details>")
        return "".join(parts)
