"""The wrap-up quiz at the end of a notebook: retrieval practice on the check machinery.

A :class:`Quiz` is an :class:`~course_utils.exercises.core.Exercise` made of a few
multiple-choice :class:`Question` s. Displaying it shows every question; its check takes a
dict ``{question number: letter}`` and answers each question with the explanation of the
option chosen - for a wrong option, the misconception behind it - without giving away the
right letter. ``...`` marks a question not answered yet.

>>> quiz = Quiz("99", "wrapup", "Wrap-up quiz", questions=[
...     Question("2 + 2?", {"a": "4", "b": "22"}, answer="a",
...              why={"a": "Addition.", "b": "That glues the digits together."}),
...     Question("Which rows may tune a model?", {"a": "test", "b": "training"}, answer="b",
...              why={"a": "The test rows judge the final model only.", "b": "Yes."},
...              revisits="04", tag="test_used_for_tuning"),
... ])
>>> quiz.evaluate({1: "a", 2: "b"}).ok
True
>>> fb = quiz.evaluate({1: "a", 2: "a"})
>>> fb.mistake, "test rows judge" in fb.message
('test_used_for_tuning', True)
>>> quiz.evaluate({1: ..., 2: ...}).status
'not_attempted'
"""

from __future__ import annotations

import difflib
import html
import re
import zlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from course_utils.exercises.core import Exercise
from course_utils.exercises.describe import _short, describe
from course_utils.exercises.feedback import Feedback, correct, incorrect, not_attempted
from course_utils.exercises.render import markdown_html

__all__ = ["Question", "Quiz"]

_LETTER = re.compile(r"^\(?\s*([a-z])\s*[).]?$")
_KEY = re.compile(r"^(?:q(?:uestion)?\s*)?(\d+)$")


@dataclass(frozen=True)
class Question:
    """One multiple-choice question of a quiz.

    ``options`` maps letters to option texts; ``answer`` is the right letter; ``why`` maps
    each letter to what the learner reads after choosing it (for a wrong option: the
    misconception behind it, without naming the right letter). ``revisits`` is the number
    of an earlier notebook the question comes back to (``None`` for this notebook);
    ``tag`` is the mistake tag recorded when a wrong option is chosen.

    >>> Question("Why?", {"a": "x", "b": "y"}, answer="b", why={"a": "No.", "b": "Yes."}).answer
    'b'
    """

    text: str
    options: Mapping[str, str]
    answer: str
    why: Mapping[str, str] = field(default_factory=dict)
    revisits: str | None = None
    tag: str | None = None

    def __post_init__(self) -> None:
        letters = list(self.options)
        if len(letters) < 2 or any(not re.fullmatch(r"[a-z]", k) for k in letters):
            raise ValueError(f"options need at least two single-letter keys, got {letters}")
        if self.answer not in self.options:
            raise ValueError(f"answer {self.answer!r} is not one of the options {letters}")
        unknown = set(self.why) - set(self.options)
        if unknown:
            raise ValueError(f"why explains options that do not exist: {sorted(unknown)}")
        if self.revisits is not None and not re.fullmatch(r"\d\d", self.revisits):
            raise ValueError(f"revisits is a notebook number such as '04', got {self.revisits!r}")


def _number(text: Any) -> float | None:
    try:
        return float(str(text).strip().rstrip("%€ ").replace(",", "."))
    except ValueError:
        return None


def _letter(value: Any, question: Question) -> str | None:
    """The option letter an answer means: 'b', 'B', '(b)', 'b)', the option's text (a small
    typo forgiven) or, for an option that is a number, that number."""
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        return None
    text = str(value).strip()
    found = _LETTER.match(text.lower())
    if found and found.group(1) in question.options:
        return found.group(1)
    options = {letter: option.strip().casefold() for letter, option in question.options.items()}
    for letter, option in options.items():
        if text.casefold() == option:
            return letter
    number = _number(text)
    if number is not None:
        same = [k for k, option in options.items() if _number(option) == number]
        if len(same) == 1:
            return same[0]
    if len(text) >= 12:
        close = difflib.get_close_matches(text.casefold(), list(options.values()), 2, 0.9)
        if len(close) == 1:
            return next(k for k, option in options.items() if option == close[0])
    return None


def _not_a_letter(value: Any, question: Question) -> str:
    letters = ", ".join(question.options)
    if isinstance(value, int | float) and not isinstance(value, bool):
        return (
            f"the number {value} is not one of its letters ({letters}): put the letter in "
            f'quotes, e.g. `"{next(iter(question.options))}"`.'
        )
    if isinstance(value, str):
        return (
            f"{_short(repr(value), 60)} is not one of its options: give its letter "
            f'({letters}) in quotes, e.g. `"{next(iter(question.options))}"`.'
        )
    return f"{describe(value)} is not one of its letters ({letters}): give one letter in quotes."


class Quiz(Exercise):
    """A wrap-up quiz: several :class:`Question` s checked together.

    ``quiz.check({1: "b", 2: "a", ...})`` answers each question; a list or tuple of
    letters in question order, or a string such as ``"ba"``, works too.
    """

    def __init__(
        self,
        notebook: str,
        name: str,
        title: str,
        *,
        questions: Sequence[Question],
        prompt: str = "",
        hints: Sequence[str] | None = None,
    ) -> None:
        if not questions:
            raise ValueError("a quiz needs at least one question")
        self.questions = list(questions)
        n = len(self.questions)
        example = ", ".join(f"{i}: ..." for i in range(1, min(n, 3) + 1))
        prompt = prompt or (
            f"{n} questions on this notebook and earlier ones. For each, choose one letter: "
            f"`answers = {{{example}{', ...' if n > 3 else ''}}}` with a letter such as "
            f'`"b"` in place of each `...`, then run `{name}.check(answers)`. A wrong choice '
            "gets the reason it is wrong; change it and check again."
        )
        default_hints = [
            "Exactly one option of each question is right; the others are common "
            "misconceptions. A question marked *(from notebook NN)* comes back to that "
            "notebook: its recap is the fastest place to look.",
            "Rule out one option per question: "
            + "; ".join(
                f"question {i}: not ({self._wrong_letter(q)})"
                for i, q in enumerate(self.questions, start=1)
            )
            + ".",
        ]
        solution = "answers = {" + ", ".join(
            f'{i}: "{q.answer}"' for i, q in enumerate(self.questions, start=1)
        )
        explanation = "\n".join(
            f"{i}. ({q.answer}) {q.options[q.answer]} - {q.why.get(q.answer, '')}".rstrip(" -")
            for i, q in enumerate(self.questions, start=1)
        )
        super().__init__(
            notebook,
            name,
            title,
            prompt=prompt,
            checker=self._check_answers,
            hints=list(hints) if hints is not None else default_hints,
            solution=solution + "}\n" + f"{name}.check(answers)",
            explanation=explanation,
            expects='a dict such as {1: "b", 2: "a"} (question number: letter)',
            success="All right!",
        )

    @staticmethod
    def _wrong_letter(question: Question) -> str:
        """A wrong letter to rule out, chosen from the question's text (stable, and not
        tied to the position of the right letter)."""
        wrong = [k for k in question.options if k != question.answer]
        return wrong[zlib.crc32(question.text.encode("utf-8")) % len(wrong)]

    def _none_feedback(self) -> Feedback:
        return not_attempted(
            "Your answers are `None`: write them as a dict, one letter per question, "
            f'e.g. `answers = {{1: "b", 2: "a", ...}}`, then run `{self.name}.check(answers)`.'
        )

    # -- showing --------------------------------------------------------------------

    def _question_label(self, i: int, q: Question) -> str:
        return f"{i}." + (f" *(from notebook {q.revisits})*" if q.revisits else "")

    def __repr__(self) -> str:
        lines = [f"Quiz {self.notebook}.{self.name}: {self.title}", self.prompt, ""]
        for i, q in enumerate(self.questions, start=1):
            lines.append(f"{self._question_label(i, q)} {q.text}")
            lines.extend(f"   ({k}) {text}" for k, text in q.options.items())
        return "\n".join(lines)

    def _repr_html_(self) -> str:
        items = []
        for q in self.questions:
            options = "".join(
                f"<li><strong>({html.escape(k)})</strong> {markdown_html(text)}</li>"
                for k, text in q.options.items()
            )
            where = f" <em>(from notebook {html.escape(q.revisits)})</em>" if q.revisits else ""
            items.append(
                f"<li>{markdown_html(q.text)}{where}"
                f'<ul style="list-style:none;padding-left:0.5em">{options}</ul></li>'
            )
        return (
            f'<div style="border-left:5px solid #0072B2;padding:6px 10px">'
            f"<strong>{html.escape(self.title)} ({html.escape(self.name)})</strong>"
            f"{markdown_html(self.prompt, inline=False)}<ol>{''.join(items)}</ol>"
            f"<div>Stuck? <code>{html.escape(self.name)}.hint()</code></div></div>"
        )

    # -- checking -------------------------------------------------------------------

    def _normalise(self, answers: Any) -> dict[int, Any] | Feedback:
        n = len(self.questions)
        # "bac", "b.c" or "b, a, c": one letter (or "." for none) per question
        if isinstance(answers, str) and re.fullmatch(
            r"[A-Za-z.]+|[A-Za-z.](\s*[,;\s]\s*[A-Za-z.])+", answers.strip()
        ):
            answers = [... if c == "." else c for c in re.findall(r"[A-Za-z.]", answers)]
        if isinstance(answers, list | tuple | Mapping) and not answers:
            return incorrect(
                'That is empty: give one letter per question, e.g. `{1: "b", 2: "a"}`.',
                "wrong_shape",
            )
        if isinstance(answers, list | tuple):
            if len(answers) > n:
                return incorrect(
                    f"The quiz has {n} questions, but {len(answers)} answers were given.",
                    "wrong_shape",
                )
            return {i: a for i, a in enumerate(answers, start=1)}
        if not isinstance(answers, Mapping):
            return incorrect(
                f'Expected a dict of answers such as `{{1: "b", 2: "a"}}` (question '
                f"number: letter), got {describe(answers)}.",
                "wrong_type",
            )
        out: dict[int, Any] = {}
        for key, value in answers.items():
            found = _KEY.match(str(key).strip().lower())
            number = int(found.group(1)) if found else None
            if number is None or not 1 <= number <= n:
                return incorrect(
                    f"There is no question {_short(repr(key), 30)}: the questions are "
                    f'numbered 1 to {n}, e.g. `{{1: "b"}}`.',
                    "wrong_index",
                )
            out[number] = value
        return out

    def _check_answers(self, answers: Any) -> Feedback | None:
        given = self._normalise(answers)
        if isinstance(given, Feedback):
            return given
        right, wrong, open_, bad = [], [], [], []
        for i, q in enumerate(self.questions, start=1):
            value = given.get(i, ...)
            if value is ... or value is None:
                open_.append(i)
                continue
            letter = _letter(value, q)
            if letter is None:
                bad.append(f"**Question {i}**: {_not_a_letter(value, q)}")
            elif letter == q.answer:
                right.append(i)
            else:
                why = q.why.get(letter, "That is not it.")
                wrong.append((i, letter, why, q.tag or "wrong_choice"))
        n = len(self.questions)
        if not right and not wrong and not bad:
            return not_attempted(
                f"No question answered yet: put a letter in place of each `...` in "
                f"`answers`, then run `{self.name}.check(answers)`."
            )
        lines = [f"{len(right)} of {n} right so far."]
        lines += [f"- **Question {i}**, you chose ({k}): {why}" for i, k, why, _ in wrong]
        lines += [f"- {text}" for text in bad]
        if open_:
            lines.append(f"Still to answer: {', '.join(map(str, open_))}.")
        if wrong or bad:
            lines.append("Change those answers and check again.")
            tag = wrong[0][3] if wrong else "wrong_type"
            return incorrect("\n".join(lines), tag)
        if open_:
            return not_attempted("\n".join(lines))
        recap = "\n".join(
            f"- **{i}** ({q.answer}): {q.why.get(q.answer, q.options[q.answer])}"
            for i, q in enumerate(self.questions, start=1)
        )
        return correct(f"All {n} right!\n{recap}")
