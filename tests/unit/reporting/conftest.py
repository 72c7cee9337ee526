"""Helpers for the printing tests."""

from __future__ import annotations

from weasyprint import HTML


def box_texts(document: HTML) -> list[str]:
    """The text of every laid-out box that has one, page by page, in box-tree order."""
    texts: list[str] = []

    def collect(box: object) -> None:
        if hasattr(box, "text"):
            texts.append(box.text)
        for child in getattr(box, "children", ()):
            collect(child)

    for page in document.render().pages:
        collect(page._page_box)
    return texts
