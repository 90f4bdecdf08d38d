"""The annual statistics as JSON, with the same figures (and the same "< 5") as the page, for
the same period and the same units."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _

from app import db
from app.statistics.access import unit_scope
from app.statistics.export import to_json
from app.statistics.queries import compute
from app.statistics.views import chosen_period
from workflows.errors import NotAllowed

from . import bp
from .auth import caller


@bp.get("/statistics")
def statistics_view() -> Response:
    user = caller()
    session = db.session()
    units = unit_scope(session, user)
    if units == set():
        raise NotAllowed(_("Du har inte behörighet att se statistiken."))
    return jsonify(to_json(compute(session, chosen_period(), units=units)))
