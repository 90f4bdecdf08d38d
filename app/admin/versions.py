"""Two administrators editing the same record: the later save must not silently undo the
earlier one. An edit page carries, in a hidden field, a fingerprint of the record's values as it
showed them; saving compares it with the values stored now and refuses (409) if they differ.

A fingerprint of the values the form edits rather than a version column: the settings are rows
of their own, and a deadline rule's version is its policy's, which any other rule's edit moves
on; what must not be overwritten unseen is exactly what this page shows. A post without the
field (a new record, or a client that never showed the page) is not compared.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from typing import Any

from flask_babel import gettext as _

from workflows.errors import StaleVersion

FIELD = "loaded_version"


def fingerprint(values: Mapping[str, Any]) -> str:
    raw = json.dumps(values, sort_keys=True, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()[:20]


def stamped(values: Mapping[str, Any]) -> dict[str, Any]:
    """The form's data for an edit page: the values, and their fingerprint."""
    return {**values, FIELD: fingerprint(values)}


def check_unchanged(data: Mapping[str, Any] | None, stored: Mapping[str, Any]) -> None:
    loaded = (data or {}).get(FIELD) or ""
    if loaded and loaded != fingerprint(stored):
        raise StaleVersion(
            _(
                "Någon annan har ändrat uppgifterna sedan du öppnade sidan. Ladda om sidan för "
                "att se ändringarna och gör sedan om din ändring."
            )
        )
