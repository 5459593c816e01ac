"""HTML of the exercise boxes: Markdown rendered by markdown-it-py, raw HTML escaped.

Questions, feedback, hints and solutions are written in Markdown (`code`, **bold**,
*emphasis*, lists). :func:`markdown_html` turns such text into safe HTML: tags typed in
the text are shown as text, never run, and links may only use safe schemes.

>>> markdown_html("Use `df.mean()`, **not** <b>this</b>.")
'Use <code>df.mean()</code>, <strong>not</strong> &lt;b&gt;this&lt;/b&gt;.'
"""

from __future__ import annotations

import html
from functools import cache

__all__ = ["STYLE", "box_html", "markdown_html"]

#: Label and colour of each kind of box. Okabe-Ito colours (colour-blind safe); every box
#: also carries a text label, so nothing depends on colour alone.
STYLE = {
    "correct": ("✔ Correct", "#009E73"),
    "incorrect": ("✘ Not quite", "#D55E00"),
    "not_attempted": ("○ Not attempted yet", "#6B6B6B"),
    "hint": ("➤ Hint", "#0072B2"),
    "solution": ("✎ Solution", "#CC79A7"),
    "info": ("ℹ Note", "#6B6B6B"),
}


@cache
def _renderer():  # noqa: ANN202 - markdown_it is imported lazily
    from markdown_it import MarkdownIt

    # CommonMark with raw HTML disabled (it is escaped) and single newlines kept as <br>.
    return MarkdownIt("commonmark", {"html": False, "breaks": True})


def markdown_html(text: str, *, inline: bool = True) -> str:
    """Render Markdown ``text`` as HTML; raw HTML in ``text`` is escaped, not run.

    With ``inline=True`` a text that is a single paragraph comes back without its
    ``<p>`` wrapper, so it can sit next to a label on one line.

    >>> markdown_html("*emphasis* and `x < 1`")
    '<em>emphasis</em> and <code>x &lt; 1</code>'
    >>> markdown_html("- one\\n- two")
    '<ul>\\n<li>one</li>\\n<li>two</li>\\n</ul>'
    """
    rendered, is_block = _render(text)
    if inline or is_block:
        return rendered
    return f"<p>{rendered}</p>" if rendered else ""


def _render(text: str) -> tuple[str, bool]:
    """The HTML of ``text`` and whether it is block content (not a single paragraph)."""
    if not text:
        return "", False
    try:
        rendered = _renderer().render(str(text)).strip()
    except Exception:  # pragma: no cover - never let rendering break a check
        return html.escape(str(text)).replace("\n", "<br>"), False
    if rendered.startswith("<p>") and rendered.endswith("</p>") and "<p>" not in rendered[3:]:
        return rendered[3:-4], False
    return rendered, True


def box_html(kind: str, label: str, body: str, code: str = "") -> str:
    """A coloured box with a text ``label``, a Markdown ``body`` and optional ``code``.

    >>> "<strong" in box_html("hint", "➤ Hint", "Try **this**.")
    True
    """
    colour = STYLE[kind][1]
    parts = [
        f'<div style="border-left:5px solid {colour};padding:6px 10px;margin:4px 0;'
        f'background:rgba(127,127,127,0.08)">',
        f'<strong style="color:{colour}">{html.escape(label)}</strong>',
    ]
    if body:
        rendered, is_block = _render(body)
        if is_block:  # paragraphs, lists: below the label
            parts.append(f'<div class="course-md" style="margin-top:2px">{rendered}</div>')
        else:
            parts.append(f" <span>{rendered}</span>")
    if code:
        parts.append(
            '<pre style="margin:6px 0 0 0;padding:6px;background:rgba(127,127,127,0.12)">'
            f"{html.escape(code)}</pre>"
        )
    parts.append("</div>")
    return "".join(parts)
