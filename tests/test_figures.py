"""The course's figure style: measured as a reader sees it - width, font size, sharpness."""

from __future__ import annotations

import re

import ipywidgets as W
import matplotlib
import matplotlib.pyplot as plt
import pytest

from course_utils import checkpoints, figures, lessons
from course_utils.widgets import Explorer, audit, fitting

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def course_style():
    with matplotlib.rc_context():
        figures.use()
        yield
    plt.close("all")


def _seen_px(fig, text) -> float:
    """The height in screen pixels a text is shown at, in the output column."""
    shrink = min(1.0, figures.MAX_WIDTH / fig.get_figwidth())
    return text.get_fontsize() * figures.CSS_DPI / 72 * shrink


def test_text_problems_finds_small_text_and_wide_figures():
    fig, ax = plt.subplots(figsize=(13, 4))
    ax.set_title("tiny", fontsize=7)
    problems = figures.text_problems(fig)
    assert any("13.0 in wide" in p for p in problems)
    assert any("'tiny'" in p for p in problems)
    fig, ax = plt.subplots()
    ax.plot([0, 1], [0, 1], label="a line")
    ax.legend()
    assert figures.text_problems(fig) == []


def test_widget_overview_figures_are_readable():
    data = fitting._cached(900, 0, 3)
    fig = fitting.overview(data)
    assert figures.text_problems(fig) == []
    sizes = [_seen_px(fig, t) for t in fig.findobj(matplotlib.text.Text) if t.get_text()]
    assert min(sizes) >= 12.0  # 9 pt at 100 px per inch, not shrunk
    assert fig.get_figwidth() * figures.CSS_DPI <= 900


@pytest.fixture(scope="module")
def raw():
    return checkpoints.raw_joined()


def test_audit_figure_is_readable_and_its_legend_leaves_the_peaks_free(raw):
    for column in ("temp", "age", "fruit"):
        result = audit.column_audit(raw, column)
        fig = audit.audit_figure(result)
        assert figures.text_problems(fig) == [], column
        if result["kind"] != "numeric":
            continue
        ax = fig.axes[0]
        fig.canvas.draw()
        legend = ax.get_legend().get_window_extent()
        for patch in ax.patches:  # the stairs of each store: its highest point on screen
            path = patch.get_path().transformed(patch.get_transform())
            top = path.vertices[:, 1].max()
            assert top < legend.y0, f"{column}: the legend covers a peak"


def test_widget_images_are_hidpi_and_shown_at_their_own_size():
    def draw(result):
        fig, ax = plt.subplots(figsize=(6, 3))
        ax.plot([0, result["n"]], [0, 1])
        return fig

    ex = Explorer({"n": W.IntSlider(value=2, min=1, max=5)}, lambda n: {"n": n}, text=str,
                  figure=draw)  # fmt: skip
    width, _ = figures.png_size(ex.image.value)
    shown = figures.css_width(ex.image.value, dpi=figures.WIDGET_DPI)
    assert ex.image.layout.width == f"{shown}px" and ex.image.layout.max_width == "100%"
    # 6 inches at 100 screen pixels per inch (less the margins cropped), 1.5x the pixels
    assert 480 <= shown <= 600 and width >= 1.45 * shown


def test_the_fitting_toggle_shows_every_label_in_full():
    sliders = fitting.make_widget(n_rows=900)
    toggle = sliders.controls["model"]
    longest = max(len(label) for label in toggle._options_labels)
    assert toggle.style.button_width == fitting.TOGGLE_WIDTH
    assert int(fitting.TOGGLE_WIDTH.removesuffix("px")) >= 8 * longest  # ~8 px a character


@pytest.mark.parametrize("path", lessons.find_lessons(), ids=lambda lesson: lesson.number)
def test_lesson_figures_follow_the_course_style(path):
    """Figures drawn in a lesson: no wider than the column, no text under the minimum."""
    source = path.source.read_text(encoding="utf-8")
    widths = [float(w) for w in re.findall(r"figsize=\(\s*([0-9.]+)", source)]
    assert all(w <= figures.MAX_WIDTH for w in widths), widths
    sizes = [float(s) for s in re.findall(r"fontsize=([0-9.]+)", source)]
    assert all(s >= figures.MIN_FONT_PT for s in sizes), sizes
