"""The administrator's upload of counts from the years before go-live (DOMAIN.md §8 rev. 2).
The file's rows are checked by the operation (app/statistics/history_import.py), which names
each bad line and field."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from wtforms import FileField

from .base import AppForm


class HistoryImportForm(AppForm):
    file = FileField(
        _l("CSV-fil"),
        description=_l(
            "Rubrikrad: år;ärendetyp;enhet;antal. Ärendetyp: Lex Sarah, Lex Maria eller "
            "Avvikelse. Lämna enheten tom för ett antal för hela kommunen."
        ),
    )
