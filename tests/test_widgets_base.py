"""The widget base: thin wiring on a plain function, headless-testable, timed."""

import ipywidgets as W
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import pytest  # noqa: E402

from course_utils.widgets import Explorer, figure_png, p95, update_times  # noqa: E402


def make():
    calls = []

    def compute(n, word):
        calls.append((n, word))
        return {"n": n, "word": word}

    def fig(result):
        f, ax = plt.subplots(figsize=(2, 2))
        ax.bar([0], [result["n"]])
        return f

    ex = Explorer(
        {"n": W.IntSlider(value=1, min=0, max=9), "word": W.Dropdown(options=["a", "b"])},
        compute,
        text=lambda r: f"n={r['n']} word={r['word']}",
        figure=fig,
        title="demo",
    )
    return ex, calls


def test_setting_a_value_recomputes_and_rerenders():
    ex, calls = make()
    assert calls == [(1, "a")] and ex.text_html.value == "n=1 word=a"
    before = ex.image.value
    ex.controls["n"].value = 5
    assert calls[-1] == (5, "a")
    assert ex.text_html.value == "n=5 word=a"
    assert ex.image.value != before and ex.image.value[:4] == b"\x89PNG"
    ex.controls["word"].value = "b"
    assert ex.result == {"n": 5, "word": "b"} and ex.updates == 3


def test_update_times_and_p95():
    ex, _ = make()
    times = update_times(ex, "n", [2, 3, 4, 5])
    assert len(times) == 4 and all(t > 0 for t in times)
    assert min(times) <= p95(times) <= max(times)
    with pytest.raises(ValueError, match="no update"):
        update_times(ex, "n", [5])


def test_figure_png_closes_the_figure():
    f, _ = plt.subplots()
    n = len(plt.get_fignums())
    assert figure_png(f)[:4] == b"\x89PNG"
    assert len(plt.get_fignums()) == n - 1
