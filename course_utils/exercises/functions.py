"""Checking a function by running it: the build tasks' checks.

A build task asks the learner for a *function* (a join, a pipeline factory, a verdict, an
alert rule ...). Its check does not compare one value: it calls the function on cases the
learner has not seen - another seed, another month, a small table with an edge case - and
judges each result. :func:`check_function` does the running and names the usual slips
(not a function, wrong parameters, an error, a forgotten ``return``, an input changed in
place); the exercise's ``judge`` names the mistakes of the lesson itself.

>>> def judge(result, case):
...     return expect_number(result, sum(case.args[0]), tol=0)
>>> cases = [Case(args=([1, 2, 3],), label="three numbers"), Case(args=([],), label="no numbers")]
>>> check_function(sum, cases, judge) is None
True
>>> check_function(len, cases, judge).message.startswith("On three numbers:")
True
>>> check_function(42, cases, judge).mistake
'not_a_function'
"""

from __future__ import annotations

import contextlib
import copy
import inspect
import io
import linecache
import pickle
import signal
import threading
import traceback
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from course_utils.exercises.describe import _short, describe
from course_utils.exercises.expect import expect_number  # noqa: F401 - used in the example
from course_utils.exercises.feedback import MISTAKES, Feedback, incorrect, not_attempted

__all__ = ["Case", "check_function"]

#: Seconds one call of the learner's function may take before the check stops it.
TIME_LIMIT = 60.0

MISTAKES.setdefault("not_a_function", "a value was given where a function was expected")
MISTAKES.setdefault("signature", "the function does not take the parameters the task names")
MISTAKES.setdefault("raised", "the function raised an error on a case it should handle")
MISTAKES.setdefault("returned_none", "the function returns None (a forgotten return)")
MISTAKES.setdefault("mutates_input", "the function changed its input in place")


class _TooSlow(BaseException):  # not an Exception: a learner's `except Exception` cannot hide it
    """Raised inside the learner's function when it runs past the time limit."""


@contextlib.contextmanager
def _time_limit(seconds: float):
    """Stop the code inside after ``seconds`` (a loop that never ends, a request without a
    timeout). Works where signals do - the main thread on Linux and macOS, as in Jupyter;
    elsewhere the code simply runs without a limit."""
    usable = (
        hasattr(signal, "setitimer")
        and threading.current_thread() is threading.main_thread()
        and seconds > 0
    )
    if not usable:
        yield
        return

    def stop(signum: int, frame: Any) -> None:
        raise _TooSlow

    previous = signal.signal(signal.SIGALRM, stop)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


@dataclass(frozen=True)
class Case:
    """One call of the learner's function: positional ``args``, keyword ``kwargs`` and a
    ``label`` that feedback uses to name the case ("a day with a sensor outage").

    The check deep-copies the inputs before each call, so a case can be reused.

    >>> Case(args=(1, 2), label="two small numbers").label
    'two small numbers'
    """

    args: tuple[Any, ...] = ()
    kwargs: Mapping[str, Any] = field(default_factory=dict)
    label: str = "a test case"


def _same(before: Any, after: Any) -> bool:
    """Whether an input is unchanged after the call (tables, arrays, plain values)."""
    try:
        if isinstance(before, pd.DataFrame | pd.Series):
            return (
                isinstance(after, type(before))
                and before.shape == after.shape
                and before.index.equals(after.index)
                and (not isinstance(before, pd.DataFrame) or before.columns.equals(after.columns))
                and before.equals(after)
            )
        if isinstance(before, np.ndarray):
            return isinstance(after, np.ndarray) and np.array_equal(before, after, equal_nan=True)
        if isinstance(before, list | tuple):
            return len(before) == len(after) and all(map(_same, before, after))
        if isinstance(before, dict):
            return before.keys() == after.keys() and all(_same(before[k], after[k]) for k in before)
        if type(before).__eq__ is object.__eq__:  # models, splitters: compare their state
            return type(after) is type(before) and pickle.dumps(before) == pickle.dumps(after)
        result = before == after
        return bool(result) if isinstance(result, bool | np.bool_) else True
    except Exception:  # something that cannot be compared: do not accuse the learner
        return True


def _where(exc: BaseException, code: Any) -> str:
    """ " (at the line `...`)" for the learner's own line where ``exc`` happened, if known."""
    filename = getattr(code, "co_filename", None)
    lines = [f for f in traceback.extract_tb(exc.__traceback__) if f.filename == filename]
    if not lines:
        return ""
    frame = lines[-1]
    text = (frame.line or linecache.getline(frame.filename, frame.lineno or 0)).strip()
    return f" at the line `{_short(text, 80)}`" if text else ""


def _signature_problem(fn: Callable, case: Case, what: str, params: Sequence[str] | None) -> str:
    try:
        signature = inspect.signature(fn)
    except (TypeError, ValueError):  # builtins without a signature: just call them
        return ""
    try:
        signature.bind(*case.args, **case.kwargs)
    except TypeError as exc:
        name = getattr(fn, "__name__", "f")
        if params and len(case.args) <= len(params):
            shown = [*params[: len(case.args)], *(f"{k}=..." for k in case.kwargs)]
            wanted = f"`{name}({', '.join(shown)})`"
        else:
            wanted = "the parameters the task names"
        return (
            f"{what} is defined as `{name}{signature}`, but the check calls it as {wanted} "
            f"({exc}). Keep the parameters of the skeleton, in its order, with its defaults."
        )
    return ""


def check_function(
    answer: Any,
    cases: Sequence[Case],
    judge: Callable[[Any, Case], Feedback | None],
    *,
    what: str = "your function",
    params: Sequence[str] | None = None,
) -> Feedback | None:
    """Run the learner's function ``answer`` on each of ``cases`` and judge every result.

    In order, the first problem found is returned (``None`` when every case passes):

    * ``answer`` is not callable (tag ``not_a_function``) - often the function was *called*
      (``check(f())``) instead of passed (``check(f)``);
    * its parameters cannot take the case (``signature``; ``params`` names them for the
      message);
    * it raises (``raised``: the case, the error and the learner's line);
    * it still returns ``...`` (not attempted) or returns ``None`` (``returned_none``);
    * it changed one of its inputs in place (``mutates_input``);
    * ``judge(result, case)`` finds a problem: its message is prefixed with the case label.

    Each case's inputs are deep-copied before the call; what the function prints is not
    shown (the feedback speaks instead).
    """
    if answer is Ellipsis:
        return not_attempted(f"Write {what}, run its cell, then check it again.")
    if isinstance(answer, type):
        return incorrect(
            f"Expected a function, got {describe(answer)}: write it with `def name(...):`, "
            "not `class`, and pass the function itself: `check(name)`.",
            "not_a_function",
        )
    if not callable(answer):
        return incorrect(
            f"Expected a function (written with `def`), got {describe(answer)}. Pass the "
            "function itself, without brackets: `check(my_function)`, not "
            "`check(my_function(...))`.",
            "not_a_function",
        )
    code = getattr(answer, "__code__", None)
    for case in cases:
        problem = _signature_problem(answer, case, what, params)
        if problem:
            return incorrect(problem, "signature")
        args, kwargs = copy.deepcopy(tuple(case.args)), copy.deepcopy(dict(case.kwargs))
        pristine = copy.deepcopy((args, kwargs))
        try:
            with contextlib.redirect_stdout(io.StringIO()), _time_limit(TIME_LIMIT):
                result = answer(*args, **kwargs)
        except _TooSlow:
            return incorrect(
                f"On {case.label}, {what} did not finish within {TIME_LIMIT:.0f} seconds, so "
                "the check stopped it. A loop that never ends (a `while` whose condition "
                "never changes)? A request sent without `timeout=`? Try your function on a "
                "small input first.",
                "raised",
            )
        except (Exception, SystemExit) as exc:  # exit() in a function must not stop the check
            return incorrect(
                f"On {case.label}, {what} raised `{type(exc).__name__}: "
                f"{_short(str(exc), 160)}`{_where(exc, code)}. The function must handle "
                "this case too: read the specification again, then try it on such an input.",
                "raised",
            )
        if result is Ellipsis:
            return not_attempted(
                f"{what} still returns `...`: write its body in place of the `...`, run the "
                "cell, then check again."
            )
        if result is None:
            return incorrect(
                f"On {case.label}, {what} returned `None`. Did you forget `return`? A "
                "function that ends without `return` gives `None` (and `print` shows a value "
                "without giving it back).",
                "returned_none",
            )
        if not _same(pristine, (args, kwargs)):
            return incorrect(
                f"On {case.label}, {what} changed one of its inputs in place (for a table: a "
                "column added, rows dropped or values overwritten; for a model or a dict: "
                "fitted or modified). Work on a copy (`df.copy()`, `sklearn.base.clone(model)`, "
                "`dict(d)`) so the caller's objects stay intact.",
                "mutates_input",
            )
        try:
            verdict = judge(result, case)
        except Exception as exc:
            return incorrect(
                f"On {case.label}, the result of {what} could not be checked "
                f"({type(exc).__name__}: {_short(str(exc), 120)}); it returned "
                f"{describe(result)}. Check what the specification says it returns.",
                "check_error",
            )
        if verdict is not None and not verdict.ok:
            return Feedback(verdict.status, f"On {case.label}: {verdict.message}", verdict.mistake)
    return None
