"""The data-audit explorer of notebook 02: pick a column, see what is wrong with it.

For one column of the joined table, :func:`column_audit` (a plain function) returns

* its **distribution per store** - a histogram for numbers, counts per value for text;
* its **missing pattern** - the share of missing values at each store;
* a short list of **suspicious values** - impossible ranges, a store whose values sit on
  another scale (a unit?), far outliers, odd spellings, empty text, uneven gaps.

:func:`audit_text` and :func:`audit_figure` turn that into the widget's text equivalent
and a small figure; :func:`make_widget` wires them to a dropdown.

Example
-------
>>> import pandas as pd
>>> t = pd.DataFrame({"store": ["Central", "Station", "Station"], "age": [230.0, None, 41.0]})
>>> result = column_audit(t, "age")
>>> result["missing"].round(2).to_dict()
{'Central': 0.0, 'Station': 0.5}
>>> result["suspicious"][0]
'1 value outside the plausible range 16 to 110 (years): 230.'
"""

from __future__ import annotations

import difflib
import html
from typing import Any

import numpy as np
import pandas as pd

from course_utils import bounds, figures

from . import Explorer

__all__ = [
    "BENCH",
    "COLUMNS",
    "PLAUSIBLE",
    "audit_figure",
    "audit_table",
    "audit_text",
    "column_audit",
    "make_widget",
]

#: The columns the explorer offers: (label in the dropdown, column of the joined table).
COLUMNS = [
    ("fruit bought", "fruit"),
    ("customer age", "age"),
    ("household with kids", "household_kids"),
    ("loyalty member", "loyalty_member"),
    ("home store", "home_store"),
    ("amount paid", "amount_paid"),
    ("apple price", "apple"),
    ("banana price", "banana"),
    ("offer", "offer"),
    ("temperature (last reading before the visit)", "temp"),
    ("footfall (daily total)", "footfall"),
]

#: Plausible ranges (low, high, unit) of numeric columns; values outside are impossible.
#: Age, prices and temperature use the course's one set of bounds (``course_utils.bounds``).
PLAUSIBLE: dict[str, tuple[float, float, str]] = {
    "age": (*bounds.PLAUSIBLE["age"], "years"),
    "household_kids": (0, 1, "0 = no, 1 = yes"),
    "loyalty_member": (0, 1, "0 = no, 1 = yes"),
    "amount_paid": (0, 5, "euros"),
    "apple": (*bounds.PLAUSIBLE["price_apple"], "euros per piece"),
    "banana": (*bounds.PLAUSIBLE["price_banana"], "euros per piece"),
    "temp": (*bounds.PLAUSIBLE["temperature_c"], "degrees Celsius"),
    "footfall": (0, 100_000, "passers-by per day"),
}

#: The benchmark moves the dropdown through these columns (``make bench``).
BENCH = ("column", ["age", "fruit", "temp", "apple", "offer", "footfall"])

# Okabe-Ito colours, one per store; line styles and marker shapes repeat the distinction.
_STORE_STYLE = {
    "Central": ("#0072B2", "-", "o"),
    "Riverside": ("#E69F00", "--", "s"),
    "Station": ("#009E73", ":", "^"),
}
_OTHER_STYLE = ("#6B6B6B", "-.", "D")
_MAX_CATEGORIES = 10  # a numeric column with few distinct values is shown as categories
_UNIT_FACTOR = 2.5  # a store median this many times away from the others: another unit?
_OUTLIER_IQR = 3.0
_MIN_PER_STORE = 10  # fewer values than this: no median comparison for that store


# --------------------------------------------------------------------------- the logic


def _fmt(x: float) -> str:
    """A value for the text: whole numbers plainly, others with up to 3 significant digits."""
    if float(x).is_integer():
        return f"{int(x):,}"
    return f"{x:.3g}"


def _examples(values: pd.Series, limit: int = 4) -> str:
    """A few distinct values, the most extreme ones first: "-4, 0, …, 230, 340"."""
    uniq = np.sort(pd.unique(values.to_numpy()))
    if len(uniq) <= limit:
        return ", ".join(_fmt(v) for v in uniq)
    half = limit // 2
    return (
        ", ".join(_fmt(v) for v in uniq[:half]) + ", …, " + ", ".join(_fmt(v) for v in uniq[-half:])
    )


def _style(store: str) -> tuple[str, str, str]:
    return _STORE_STYLE.get(store, _OTHER_STYLE)


def _is_numeric(series: pd.Series) -> bool:
    return pd.api.types.is_numeric_dtype(series) and not pd.api.types.is_bool_dtype(series)


def _numeric_flags(col: str, values: pd.Series, stores: pd.Series) -> list[str]:
    flags: list[str] = []
    v = values.dropna()
    if v.empty:
        return flags
    where = stores.loc[v.index]
    # A store whose values sit on another scale: probably another unit.
    other_unit: list[str] = []
    sizes = v.groupby(where).size()
    medians = v.groupby(where).median()[sizes >= _MIN_PER_STORE]
    if len(medians) >= 2:
        for store, med in medians.items():
            others = medians.drop(store).abs()
            if others.max() > 0 and abs(med) > _UNIT_FACTOR * others.max():
                other_unit.append(str(store))
                flags.append(
                    f"{store}: median {_fmt(med)}, {abs(med) / others.max():.0f} times the other "
                    f"stores' ({', '.join(_fmt(m) for m in medians.drop(store))}): the same "
                    "quantity in another unit?"
                )
    rest = v[~where.isin(other_unit)]
    but = f" (not counting {', '.join(other_unit)})" if other_unit else ""
    outside = pd.Series(False, index=rest.index)
    if col in PLAUSIBLE:
        lo, hi, unit = PLAUSIBLE[col]
        outside = (rest < lo) | (rest > hi)
        n = int(outside.sum())
        if n:
            flags.append(
                f"{n:,} value{'s' if n != 1 else ''} outside the plausible range "
                f"{_fmt(lo)} to {_fmt(hi)} ({unit}){but}: {_examples(rest[outside])}."
            )
    q1, q3 = rest.quantile(0.25), rest.quantile(0.75)
    iqr = q3 - q1
    if iqr > 0:
        far = ((rest < q1 - _OUTLIER_IQR * iqr) | (rest > q3 + _OUTLIER_IQR * iqr)) & ~outside
        n = int(far.sum())
        if n:
            flags.append(
                f"{n:,} far outlier{'s' if n != 1 else ''} (beyond 3 IQR from the quartiles)"
                f"{but}: {_examples(rest[far])}."
            )
    return flags


def _text_flags(values: pd.Series) -> list[str]:
    flags: list[str] = []
    v = values.dropna()
    if v.empty:
        return flags
    counts = v.astype(str).value_counts()
    n_empty = int(counts.get("", 0))
    if n_empty:
        flags.append(
            f"empty text '' in {n_empty:,} rows: a missing value in disguise, or a real "
            "'nothing'? Find out what it means."
        )
    counts = counts.drop("", errors="ignore")
    frequent = [str(x) for x in counts.index if counts[x] >= 0.05 * counts.sum()]
    odd = []
    for value, n in counts.items():
        value = str(value)
        if value in frequent:
            continue
        norm = value.strip().lower()
        match = [f for f in frequent if f.strip().lower() == norm]
        match = match or difflib.get_close_matches(norm, frequent, n=1, cutoff=0.75)
        if match:
            odd.append(f"{value!r} ({n:,}, like {match[0]!r})")
    if odd:
        flags.append(f"{len(odd)} odd spelling{'s' if len(odd) != 1 else ''}: " + ", ".join(odd))
    return flags


def _missing_flags(missing: pd.Series) -> list[str]:
    if missing.max() == 0:
        return []
    text = ", ".join(f"{s} {m:.1%}" for s, m in missing.items())
    flag = f"missing values: {text}."
    if len(missing) >= 2 and missing.max() >= 0.02 and missing.max() > 2 * missing.min():
        flag += (
            " Uneven across stores: the gaps are not missing completely at random (MCAR) - "
            "compare rows with and without a value."
        )
    return [flag]


def column_audit(table: pd.DataFrame, column: str, *, bins: int = 30) -> dict[str, Any]:
    """Distribution per store, missing share per store and suspicious values of ``column``.

    ``table`` needs a ``store`` column. Returns a dict with ``column``, ``kind``
    (``"numeric"`` or ``"categorical"``), ``stores``, ``rows`` (rows per store),
    ``missing`` (a Series: share missing per store), ``suspicious`` (a list of sentences),
    and the distribution: ``edges`` and ``hist`` (a DataFrame of counts, one column per
    store) for numbers, or ``counts`` (value x store) for categories, plus ``clipped``
    (numbers outside the plotted middle 99 %).

    >>> t = pd.DataFrame({"store": ["A", "A", "B"], "fruit": ["apple", "aple", "banana"]})
    >>> column_audit(t, "fruit")["kind"]
    'categorical'
    """
    if "store" not in table.columns:
        raise KeyError("the table needs a 'store' column to show a column per store")
    if column not in table.columns:
        known = ", ".join(map(str, table.columns))
        raise KeyError(f"no column {column!r} in the table; it has: {known}")
    stores = table["store"].astype(str)
    values = table[column]
    store_names = sorted(stores.unique())
    result: dict[str, Any] = {
        "column": column,
        "stores": store_names,
        "rows": stores.value_counts().reindex(store_names),
        "missing": values.isna().groupby(stores).mean().reindex(store_names),
    }
    numeric = _is_numeric(values) and values.nunique() > _MAX_CATEGORIES
    suspicious: list[str] = []
    if numeric:
        x = values.astype(float)
        present = x.dropna()
        # Plot the full range unless a few extreme values would squash the rest.
        lo, hi = (0.0, 1.0)
        if len(present):
            q_lo, q_hi = present.quantile([0.005, 0.995]).to_list()
            span = q_hi - q_lo
            lo = max(float(present.min()), q_lo - 0.25 * span)
            hi = min(float(present.max()), q_hi + 0.25 * span)
        if hi <= lo:
            lo, hi = lo - 0.5, hi + 0.5
        edges = np.linspace(lo, hi, bins + 1)
        hist = {
            s: np.histogram(present[stores.loc[present.index] == s], bins=edges)[0]
            for s in store_names
        }
        result.update(
            kind="numeric",
            edges=edges,
            hist=pd.DataFrame(hist),
            clipped=int(((present < lo) | (present > hi)).sum()),
            medians=present.groupby(stores.loc[present.index]).median().reindex(store_names),
        )
        suspicious += _numeric_flags(column, x, stores)
    else:
        labels = values.map(lambda v: v if pd.isna(v) else (_fmt(v) if _is_num(v) else str(v)))
        counts = pd.crosstab(labels, stores).reindex(columns=store_names, fill_value=0)
        counts = counts.loc[counts.sum(axis=1).sort_values(ascending=False, kind="stable").index]
        result.update(kind="categorical", counts=counts)
        if column in PLAUSIBLE and _is_numeric(values):
            suspicious += _numeric_flags(column, values.astype(float), stores)
        else:
            suspicious += _text_flags(labels)
    suspicious += _missing_flags(result["missing"])
    result["suspicious"] = suspicious or ["nothing suspicious found by these simple rules."]
    return result


def _is_num(v: Any) -> bool:
    return isinstance(v, int | float | np.integer | np.floating) and not isinstance(v, bool)


# --------------------------------------------------------------------------- rendering


def audit_table(result: dict[str, Any]) -> pd.DataFrame:
    """One row per store: rows, share missing, and the median (numbers) or top value.

    >>> t = pd.DataFrame({"store": ["A", "B"], "x": [1.0, None]})
    >>> audit_table(column_audit(t, "x"))["missing"].to_list()
    ['0.0%', '100.0%']
    """
    table = pd.DataFrame(
        {
            "rows": result["rows"].astype(int),
            "missing": result["missing"].map(lambda m: f"{m:.1%}"),
        }
    )
    if result["kind"] == "numeric":
        table["median"] = result["medians"].map(lambda m: "-" if pd.isna(m) else _fmt(m))
    else:
        counts = result["counts"]
        table["most common"] = [
            f"{counts[s].idxmax()!r} ({counts[s].max():,})" if counts[s].sum() else "-"
            for s in result["stores"]
        ]
        table["distinct values"] = [int((counts[s] > 0).sum()) for s in result["stores"]]
    table.index.name = "store"
    return table


def audit_text(result: dict[str, Any]) -> str:
    """The widget's text equivalent: a table per store and the suspicious values, as HTML."""
    table = audit_table(result).to_html(border=0)
    items = "".join(f"<li>{html.escape(s)}</li>" for s in result["suspicious"])
    return (
        f"<b>Column <code>{html.escape(result['column'])}</code> ({result['kind']})</b>"
        f"{table}<b>Suspicious:</b><ul style='margin-top:2px'>{items}</ul>"
    )


def audit_figure(result: dict[str, Any], *, max_values: int = 8) -> Any:
    """A small figure: the distribution per store (left) and the share missing (right)."""
    import matplotlib.pyplot as plt
    from matplotlib.ticker import NullLocator, StrMethodFormatter

    # No layout engine: it would double the drawing time (the PNG is cropped tight anyway).
    fig, (ax, ax_miss) = plt.subplots(
        1, 2, figsize=(8, 2.9), gridspec_kw={"width_ratios": [2.3, 1]}
    )
    fig.subplots_adjust(wspace=0.45)
    col = result["column"]
    if result["kind"] == "numeric":
        edges = result["edges"]
        for store in result["stores"]:
            colour, line, _ = _style(store)
            counts = result["hist"][store].to_numpy()
            ax.stairs(counts, edges, color=colour, linestyle=line, linewidth=2, label=store)
        unit = f" (expected unit: {PLAUSIBLE[col][2]})" if col in PLAUSIBLE else ""
        clipped = result["clipped"]
        note = (
            f"\n{clipped:,} extreme value{'s' if clipped != 1 else ''} beyond the axis"
            if clipped
            else ""
        )
        ax.set_xlabel(f"{col} as recorded{unit}{note}")
        ax.set_ylabel("rows (scans)")
        ax.set_title(f"Distribution of {col}, per store", fontsize=10)
    else:
        counts = result["counts"].head(max_values)
        y = np.arange(len(counts))
        for store in result["stores"]:  # a dot plot: one marker shape per store
            colour, _, marker = _style(store)
            ax.plot(
                counts[store].clip(lower=0.8),
                y,
                linestyle="none",
                marker=marker,
                markersize=7,
                color=colour,
                alpha=0.85,
                label=store,
            )
        ax.set_yticks(y)
        ax.set_yticklabels([repr(str(v)) for v in counts.index], fontsize=figures.SMALL)
        ax.set_ylim(len(counts) - 0.5, -0.5)
        ax.grid(axis="y", color="0.9")
        positive = counts.to_numpy()[counts.to_numpy() > 0]
        if len(positive) and positive.max() > 20 * positive.min():  # rare values: log scale
            ax.set_xscale("log")
            ax.xaxis.set_minor_locator(NullLocator())  # minor log ticks cost time, add little
            ax.xaxis.set_major_formatter(StrMethodFormatter("{x:,.0f}"))  # 1,000, no mathtext
            ax.set_xlabel("rows (scans), log scale")
        else:
            ax.set_xlim(left=0)
            ax.set_xlabel("rows (scans)")
        ax.set_ylabel(f"value of {col} (as written)")
        more = len(result["counts"]) - len(counts)
        note = f" ({more} rarer not shown)" if more > 0 else ""
        ax.set_title(f"Values of {col}, per store{note}", fontsize=10)
    # An explicit place: loc="best" would search for one at every update (slow). For the
    # distributions, headroom above the highest bar keeps the legend (one row) off the data.
    if result["kind"] == "numeric":
        top = max(float(result["hist"][store].max()) for store in result["stores"])
        ax.set_ylim(0, max(top, 1.0) * 1.35)
        ax.legend(fontsize=figures.SMALL, loc="upper right", ncol=3, frameon=False)
    else:
        ax.legend(
            fontsize=figures.SMALL, title="store", title_fontsize=figures.SMALL, loc="lower right"
        )

    missing = result["missing"] * 100
    ypos = np.arange(len(missing))
    for i, (store, share) in enumerate(missing.items()):  # the store is named on the axis
        ax_miss.barh(i, share, color=_style(store)[0])
        ax_miss.text(share, i, f" {share:.1f} %", va="center", fontsize=figures.SMALL)
    ax_miss.set_yticks(ypos)
    ax_miss.set_yticklabels(list(missing.index), fontsize=figures.SMALL)
    ax_miss.invert_yaxis()
    ax_miss.set_xlim(0, max(10.0, float(missing.max()) * 1.45))
    ax_miss.set_xlabel("rows missing (%)")
    ax_miss.set_title("Missing, per store", fontsize=10)
    return fig


# --------------------------------------------------------------------------- the widget


class _DrawnOnceExplorer(Explorer):
    """An Explorer with few states, whose texts and figures are all made up front.

    The dropdown has a dozen values: drawing each figure once, when the widget is made,
    turns every later update into a lookup (drawing one takes about 0.1 s).
    """

    def __init__(self, dropdown: Any, results: dict[str, dict], *, title: str) -> None:
        self._pages = {
            name: (audit_text(result), _figure_png(audit_figure(result)))
            for name, result in results.items()
        }
        self._results = results
        super().__init__(
            {"column": dropdown},
            lambda column: results[column],
            text=audit_text,
            figure=audit_figure,
            title=title,
        )

    def refresh(self) -> None:
        """Show the precomputed result, text and figure of the current column."""
        column = self.controls["column"].value
        self.result = self._results[column]
        self.text_html.value, png = self._pages[column]
        if self.image is not None:
            self.image.value = png
        self.updates += 1


def _figure_png(fig: Any) -> bytes:
    from . import figure_png

    return figure_png(fig)


def make_widget(table: pd.DataFrame | None = None, *, column: str = "temp") -> Explorer:
    """The data-audit explorer on ``table`` (default: the raw joined table of notebook 02).

    >>> ex = make_widget()
    >>> ex.controls["column"].value = "age"
    >>> "outside the plausible range" in ex.text_html.value
    True
    """
    import ipywidgets as W

    if table is None:
        from course_utils import checkpoints

        table = checkpoints.raw_joined()
    options = [(label, name) for label, name in COLUMNS if name in table.columns]
    if not options:
        raise ValueError("the table has none of the columns the explorer shows")
    names = [name for _, name in options]
    dropdown = W.Dropdown(
        options=options,
        value=column if column in names else names[0],
        description="Column:",
    )
    # Everything is computed and drawn once, here (about 1 s): an update is then a lookup.
    results = {name: column_audit(table, name) for name in names}
    return _DrawnOnceExplorer(
        dropdown, results, title="Data-audit explorer: pick a column of the joined table"
    )
