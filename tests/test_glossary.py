"""docs/glossary.md: enough terms, in order, each defined and linked to where it is first met."""

from __future__ import annotations

import re

from course_utils.paths import REPO_ROOT

GLOSSARY = REPO_ROOT / "docs" / "glossary.md"
FIRST_MET = re.compile(
    r"^\*First met in notebook \[(?P<number>\d{2}[a-z]?)\]\(\.\./notebooks/(?P<file>[^)]+)\)\.\*$"
)


def entries() -> dict[str, list[str]]:
    """Each ``### term`` heading with the lines of its entry."""
    found: dict[str, list[str]] = {}
    current: list[str] | None = None
    for line in GLOSSARY.read_text(encoding="utf-8").split("\n"):
        if line.startswith("### "):
            term = line[4:].strip()
            assert term not in found, f"{term!r} is defined twice"
            current = found[term] = []
        elif current is not None:
            current.append(line)
    return found


def anchor(term: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces as '-'."""
    return re.sub(r"[^\w\- ]", "", term.lower()).replace(" ", "-")


def test_glossary_has_at_least_60_terms_in_alphabetical_order() -> None:
    terms = list(entries())
    assert len(terms) >= 60, f"only {len(terms)} terms"
    assert terms == sorted(terms, key=str.lower), "terms must be in alphabetical order"


def test_every_term_is_defined_and_says_where_it_is_first_met() -> None:
    for term, lines in entries().items():
        text = [line for line in lines if line.strip()]
        assert len(text) >= 2, f"{term!r} has no definition"
        definition = " ".join(text[:-1])
        assert 20 <= len(definition) <= 500, f"{term!r}: a definition of 1-3 short sentences"
        found = FIRST_MET.match(text[-1])
        assert found, f"{term!r} must end with '*First met in notebook [NN](../notebooks/...).*'"
        path = REPO_ROOT / "notebooks" / found["file"]
        assert path.is_file(), f"{term!r} links to a missing notebook {found['file']}"
        assert found["file"].startswith(found["number"] + "_"), f"{term!r}: number and link differ"


def test_links_inside_the_glossary_point_to_existing_terms() -> None:
    anchors = {anchor(term) for term in entries()}
    links = re.findall(r"\]\(#([^)]+)\)", GLOSSARY.read_text(encoding="utf-8"))
    assert links, "the letter index links to the terms"
    assert not [link for link in links if link not in anchors]


def test_every_glossary_link_in_a_lesson_names_a_term() -> None:
    from course_utils import lessons

    anchors = {anchor(term) for term in entries()}
    broken = [
        f"{lesson.source.name}: glossary:{name}"
        for lesson in lessons.find_lessons()
        for name in lessons.glossary_anchors(lesson.source.read_text(encoding="utf-8"))
        if name not in anchors
    ]
    assert not broken, "links to glossary terms that do not exist:\n" + "\n".join(broken)


def test_glossary_links_are_relative_to_each_notebook() -> None:
    from course_utils import lessons

    assert lessons.glossary_links("[F1](glossary:f1-score)") == (
        "[F1](../docs/glossary.md#f1-score)"
    )
    assert lessons.glossary_links("[F1](glossary:f1-score)", depth=2) == (
        "[F1](../../docs/glossary.md#f1-score)"
    )
    assert lessons.glossary_links("[site](https://x.org/glossary:y)") == (
        "[site](https://x.org/glossary:y)"
    )
