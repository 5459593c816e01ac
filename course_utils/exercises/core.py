"""The :class:`Exercise`: ``check``, ``evaluate``, ``hint`` and ``solution`` of one question.

>>> q = Exercise("99", "q1", "Two plus two", prompt="What is 2 + 2?",
...              checker=lambda a: None if a == 4 else incorrect("No."),
...              hints=["Count."], solution="4")
>>> q.evaluate(4).ok
True
"""

from __future__ import annotations

import html
import warnings
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from course_utils import progress
from course_utils.exercises.describe import _is_missing, _short, describe
from course_utils.exercises.feedback import (
    Box,
    Feedback,
    correct,
    incorrect,
    none_given,
    not_attempted,
    show,
)
from course_utils.exercises.render import STYLE, markdown_html

__all__ = ["Exercise"]


class Exercise:
    """One exercise of a notebook: ``check``, ``evaluate``, ``hint``, ``solution``.

    ``checker(answer, **inputs)`` returns a :class:`Feedback` or ``None`` (= correct).
    ``inputs`` names extra keyword inputs and describes them, e.g.
    ``{"X_train": "the training features"}``: the learner then calls
    ``q3.check(scaler, X_train=X_train)``. ``expects`` says in a few words what the answer
    is ("a number between 0 and 1"); it appears in messages.

    >>> from course_utils.exercises.expect import expect_number
    >>> q = Exercise("99", "q1", "Two plus two", prompt="What is 2 + 2?", expects="a number",
    ...              checker=lambda a: expect_number(a, 4), hints=["Count."], solution="4")
    >>> q.evaluate(...).status
    'not_attempted'
    >>> q.evaluate("four").mistake
    'wrong_type'
    >>> q.evaluate(4).ok
    True
    """

    def __init__(
        self,
        notebook: str,
        name: str,
        title: str,
        *,
        prompt: str,
        checker: Callable[..., Feedback | None],
        hints: Sequence[str],
        solution: str,
        explanation: str = "",
        expects: str = "your answer",
        inputs: Mapping[str, str] | None = None,
        success: str = "Well done!",
    ) -> None:
        self.notebook = notebook
        self.name = name
        self.title = title
        self.prompt = prompt
        self.expects = expects
        self.inputs = dict(inputs or {})
        self.hints = list(hints)
        self.success = success
        self._checker = checker
        self._solution = solution
        self._explanation = explanation
        self.__doc__ = f"{title}\n\n{prompt}\n\nCall: {self.usage}"

    # -- describing -----------------------------------------------------------------

    @property
    def usage(self) -> str:
        """How to call the check, e.g. ``q3.check(scaler, X_train=X_train)``."""
        extra = "".join(f", {k}={k}" for k in self.inputs)
        return f"{self.name}.check(answer{extra})"

    def __repr__(self) -> str:
        lines = [f"Exercise {self.notebook}.{self.name}: {self.title}", self.prompt]
        for key, text in self.inputs.items():
            lines.append(f"  {key}=  {text}")
        lines.append(f"Check with `{self.usage}`; stuck? `{self.name}.hint()`.")
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        inputs = "".join(
            f"<li><code>{html.escape(k)}=</code> {markdown_html(v)}</li>"
            for k, v in self.inputs.items()
        )
        return (
            f'<div style="border-left:5px solid #0072B2;padding:6px 10px">'
            f"<strong>Exercise {html.escape(self.name)}: {markdown_html(self.title)}</strong>"
            f"{markdown_html(self.prompt, inline=False)}"
            + (f"<ul>{inputs}</ul>" if inputs else "")
            + f"<div>Check with <code>{html.escape(self.usage)}</code>; stuck? "
            f"<code>{html.escape(self.name)}.hint()</code></div></div>"
        )

    # -- checking -------------------------------------------------------------------

    def evaluate(self, answer: Any = ..., /, **inputs: Any) -> Feedback:
        """Check ``answer`` (and keyword ``inputs``) and return the :class:`Feedback`.

        Never raises: odd answers get a message naming what was expected.
        """
        try:
            return self._evaluate(answer, inputs)
        except (Exception, SystemExit) as exc:  # the safety net: a check never raises
            return incorrect(
                f"Could not check {describe(answer)} ({type(exc).__name__}: "
                f"{_short(str(exc), 120)}). Expected {self.expects}.",
                "check_error",
            )

    def _evaluate(self, answer: Any, inputs: dict[str, Any]) -> Feedback:
        if answer is Ellipsis:
            return not_attempted(
                f"Replace the `...` with {self.expects} and run the cell again: "
                f"`{self.usage}`. Stuck? `{self.name}.hint()` gives a hint."
            )
        if answer is None:
            return self._none_feedback()
        unknown = [k for k in inputs if k not in self.inputs]
        if unknown:
            accepted = ", ".join(f"{k}=" for k in self.inputs) or "no keyword inputs"
            return incorrect(
                f"`{self.name}.check()` does not know {', '.join(f'{k}=' for k in unknown)}; "
                f"it takes {accepted}. Call it as `{self.usage}`.",
                "unknown_input",
            )
        missing = [k for k in self.inputs if _is_missing(inputs.get(k))]
        if missing:
            return incorrect(
                f"This check also needs {', '.join(f'{k}=' for k in missing)} "
                f"({self.inputs[missing[0]]}). Call it as `{self.usage}`.",
                "missing_input",
            )
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            result = self._checker(answer, **inputs)
        if result is None:
            return correct(self.success)
        if not isinstance(result, Feedback):
            raise TypeError(f"the checker returned {describe(result)}, not a Feedback")
        if result.ok and result.message == "Well done!":
            return correct(self.success)
        return result

    def _none_feedback(self) -> Feedback:
        """What a learner reads when the answer is ``None``."""
        if self.expects.startswith("a function"):
            return Feedback(
                "not_attempted",
                f"Your answer is `None`, not {self.expects}. Pass the function's name "
                "itself (defined with `def` in the cell above, and that cell run); "
                "`name = name(...)` or `name = print(...)` replaces the function with what "
                "the call returned.",
                "none_answer",
            )
        return none_given(self.expects)

    def check(self, answer: Any = ..., /, **inputs: Any) -> None:
        """Check your answer and show the feedback. The attempt is saved in your progress
        (outcome and mistake tag, never the answer; see :mod:`course_utils.progress`)."""
        feedback = self.evaluate(answer, **inputs)
        try:
            progress.record_attempt(self.notebook, self.name, feedback.status, feedback.mistake)
        except Exception:  # progress is a bonus; never break a check for it
            pass
        show(feedback)

    # -- helping --------------------------------------------------------------------

    def hint_text(self, n: Any = 1) -> str:
        """The text of hint ``n`` (1 = the first), or a polite note if there is none."""
        total = len(self.hints)
        if not total:
            return f"There are no hints for {self.name}; `{self.name}.solution()` shows one."
        try:
            k = int(n)
        except (TypeError, ValueError):
            return f"Hints are numbered 1 to {total}: try `{self.name}.hint(1)`."
        if k < 1:
            return f"Hints are numbered 1 to {total}: try `{self.name}.hint(1)`."
        if k > total:
            return (
                f"There {'is' if total == 1 else 'are'} only {total} hint"
                f"{'s' if total != 1 else ''} for {self.name}; you have seen them all. "
                f"`{self.name}.solution()` shows a full solution - no shame in looking."
            )
        return self.hints[k - 1]

    def hint(self, n: Any = 1) -> None:
        """Show hint ``n`` (start with 1; later hints say more)."""
        total = len(self.hints)
        try:
            k = int(n)
        except (TypeError, ValueError):
            k = 0
        if 1 <= k <= total:
            more = f" More: `{self.name}.hint({k + 1})`." if k < total else ""
            label = f"{STYLE['hint'][0]} {k} of {total}"
            show(Box("hint", label, self.hints[k - 1] + more))
        else:
            show(Box("info", STYLE["info"][0], self.hint_text(n)))

    def solution_text(self) -> str:
        """The solution as plain text: explanation and code."""
        return (self._explanation + "\n\n" + self._solution).strip()

    def solution(self) -> None:
        """Show a solution (try the hints first!)."""
        label = f"{STYLE['solution'][0]} to {self.name}"
        show(Box("solution", label, self._explanation, self._solution))
