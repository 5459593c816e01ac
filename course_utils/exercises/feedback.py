"""The result of a check: :class:`Feedback` (status, message, mistake tag) and its boxes.

>>> print(incorrect("Expected a number, got a str: 'banana'.", "wrong_type"))
✘ Not quite: Expected a number, got a str: 'banana'.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from course_utils.exercises.render import STYLE, box_html

__all__ = [
    "MISTAKES",
    "STATUSES",
    "Box",
    "Feedback",
    "answer_problem",
    "correct",
    "incorrect",
    "none_given",
    "not_attempted",
    "show",
]

STATUSES = ("correct", "incorrect", "not_attempted")

#: The machine tags of :attr:`Feedback.mistake`, with what each one means.
MISTAKES: dict[str, str] = {
    "none_answer": "the answer is None (a function without return, inplace=True, print ...)",
    "wrong_type": "the answer has the wrong type (a str instead of a number, ...)",
    "wrong_shape": "the answer has the wrong shape or number of values",
    "nan": "the answer is NaN or infinite",
    "not_integer": "a whole number was expected",
    "out_of_range": "the number lies outside the possible range",
    "close": "within rounding of the answer, but outside the tolerance (rounded too early)",
    "near": "near the answer, outside the tolerance, and not a rounding of it",
    "wrong_value": "a plausible but wrong value",
    "percent_not_fraction": "a percentage (25) instead of a fraction (0.25)",
    "fraction_not_percent": "a fraction (0.25) instead of a percentage (25)",
    "unit_cents": "cents instead of euros (a factor 100)",
    "unit_euros": "euros instead of cents (a factor 100)",
    "unit_fahrenheit": "degrees Fahrenheit instead of Celsius",
    "unit_celsius": "degrees Celsius instead of Fahrenheit",
    "unit_factor_100": "values 100 times too large or too small (a unit mix-up)",
    "complement": "the other class's share (apple instead of banana)",
    "count_not_share": "a count instead of a share",
    "rows_not_unique": "counted rows instead of distinct values",
    "wrong_choice": "a wrong option of a multiple choice",
    "wrong_index": "the index holds the wrong labels",
    "proportions_not_counts": "proportions instead of counts",
    "wrong_dtype": "a column or Series has the wrong data type (text instead of numbers ...)",
    "missing_columns": "expected columns are missing",
    "extra_columns": "columns that should not be there",
    "wrong_column": "the values come from another column",
    "rows_lost": "rows were lost (dropna, inner join, filter ...)",
    "rows_added": "rows were added (duplicates from a join ...)",
    "missing_values": "missing values remain",
    "not_fitted": "a scikit-learn estimator that is not fitted yet",
    "leakage": "fitted on rows that include the test set",
    "fitted_on_test": "fitted on the test rows instead of the training rows",
    "wrong_rows": "fitted on other rows than the training set",
    "scored_on_train": "the score was measured on the training rows",
    "test_used_for_tuning": "a hyperparameter search that saw the test rows",
    "accuracy_with_skewed_costs": "accuracy chosen although one error costs far more",
    "missing_input": "the check needs another keyword input",
    "unknown_input": "the check got a keyword input it does not know",
    "check_error": "the answer could not be checked",
}


class Box:
    """A hint, a solution or a note: shown as HTML in Jupyter, as text elsewhere.

    >>> print(Box("hint", "➤ Hint", "Count the rows."))
    ➤ Hint: Count the rows.
    """

    def __init__(self, kind: str, label: str, body: str, code: str = "") -> None:
        self.kind, self.label, self.body, self.code = kind, label, body, code

    def __str__(self) -> str:
        text = f"{self.label}: {self.body}" if self.body else self.label
        if self.code:
            text += "\n\n" + "\n".join("    " + line for line in self.code.splitlines())
        return text

    def _repr_html_(self) -> str:
        return box_html(self.kind, self.label, self.body, self.code)

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(str(self))

    __repr__ = __str__


@dataclass(frozen=True)
class Feedback:
    """The result of a check: ``status``, a kind ``message`` and a ``mistake`` tag.

    ``status`` is one of ``"correct"``, ``"incorrect"``, ``"not_attempted"``; ``mistake``
    is a short machine tag from :data:`MISTAKES` (``None`` when correct). The message is
    Markdown; it is shown as coloured HTML with a text label in Jupyter and as plain text
    elsewhere.

    >>> fb = incorrect("Expected a number, got a str: 'banana'.", "wrong_type")
    >>> fb.ok
    False
    """

    status: str
    message: str
    mistake: str | None = None

    def __post_init__(self) -> None:
        if self.status not in STATUSES:
            raise ValueError(f"status must be one of {STATUSES}, got {self.status!r}")

    @property
    def ok(self) -> bool:
        """True when the answer is correct."""
        return self.status == "correct"

    @property
    def label(self) -> str:
        """The text label of the status, e.g. "✔ Correct"."""
        return STYLE[self.status][0]

    def text(self) -> str:
        """Plain-text rendering: label and message."""
        return f"{self.label}: {self.message}" if self.message else self.label

    def html(self) -> str:
        """HTML rendering: colour *and* the text label; the message rendered as Markdown."""
        return box_html(self.status, self.label, self.message)

    def __str__(self) -> str:
        return self.text()

    def _repr_html_(self) -> str:
        return self.html()

    def _repr_pretty_(self, p: Any, cycle: bool) -> None:
        p.text(self.text())


def correct(message: str = "Well done!") -> Feedback:
    """A correct :class:`Feedback`. ``correct().ok`` is True.

    >>> correct("Nice.").status
    'correct'
    """
    return Feedback("correct", message)


def incorrect(message: str, mistake: str = "wrong_value") -> Feedback:
    """An incorrect :class:`Feedback` with a ``mistake`` tag (see :data:`MISTAKES`).

    >>> incorrect("Expected a list.", "wrong_type").mistake
    'wrong_type'
    """
    return Feedback("incorrect", message, mistake)


def not_attempted(message: str = "") -> Feedback:
    """A "not attempted yet" :class:`Feedback` (the ``...`` placeholder is still there).

    >>> not_attempted().status
    'not_attempted'
    """
    return Feedback(
        "not_attempted",
        message or "Replace the `...` with your answer and run the cell again.",
    )


def none_given(what: str = "your answer") -> Feedback:
    """The :class:`Feedback` for an answer that is ``None``: nothing came back to check.

    ``None`` is what a function without ``return`` gives, what pandas methods called with
    ``inplace=True`` return, and what ``x = print(...)`` stores. Like ``...`` it is not
    wrong, just not an answer yet (status ``"not_attempted"``), but it gets its own
    message and the mistake tag ``"none_answer"``.

    >>> fb = none_given("a number")
    >>> fb.status, fb.mistake
    ('not_attempted', 'none_answer')
    """
    return Feedback(
        "not_attempted",
        f"Your answer is `None`, not {what}. `None` is what you get from a function "
        "without `return`, from a pandas method called with `inplace=True` (it changes the "
        "table and returns nothing) and from `x = print(...)` (print shows a value, it does "
        "not give it back). Store the value itself, e.g. `x = df['price'].mean()`.",
        "none_answer",
    )


def answer_problem(answer: Any, what: str) -> Feedback | None:
    """``not_attempted`` for ``...``, :func:`none_given` for ``None``, else ``None``.

    The first step of every check:

    >>> answer_problem(..., "a number").status
    'not_attempted'
    >>> answer_problem(None, "a number").mistake
    'none_answer'
    >>> answer_problem(3, "a number") is None
    True
    """
    if answer is Ellipsis:
        return not_attempted(f"Replace the `...` with {what}, then run the cell again.")
    if answer is None:
        return none_given(what)
    return None


def _in_kernel() -> bool:
    """True inside a Jupyter (or Colab) kernel, where rich HTML output is shown."""
    try:
        from IPython import get_ipython
    except ImportError:  # pragma: no cover - IPython comes with ipykernel
        return False
    shell = get_ipython()
    return shell is not None and hasattr(shell, "kernel")


def show(obj: Any) -> None:
    """Display ``obj`` as rich output in a Jupyter kernel, print it elsewhere.

    >>> show(correct("Nice."))
    ✔ Correct: Nice.
    """
    if _in_kernel():
        from IPython.display import display

        display(obj)
    else:
        print(str(obj))
