"""The committee's papers as PDF: the IVO report, the investigation and the decision (DOMAIN.md §7).

Templates get plain dicts from data.py; renderer.py turns them into PDF without fetching anything;
store.py keeps each completed investigation's PDF under its number."""

from .store import (
    KINDS,
    document_applies,
    filename_for,
    investigation_pdf,
    render_document,
    store_investigation,
)

__all__ = [
    "KINDS",
    "document_applies",
    "filename_for",
    "investigation_pdf",
    "render_document",
    "store_investigation",
]
