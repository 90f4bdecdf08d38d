"""The annual statistics as JSON, with the same figures (and the same "< 5") as the page."""

from __future__ import annotations

from flask import Response, jsonify
from flask_babel import gettext as _

from app import db
from app.statistics.access import may_see
from app.statistics.export import to_json
from app.statistics.queries import compute
from app.statistics.views import chosen_year
from workflows.errors import NotAllowed

from . import bp
from .auth import caller


@bp.get("/statistics")
def statistics_view() -> Response:
    user = caller()
    if not may_see(user):
        raise NotAllowed(_("Du har inte behörighet att se statistiken."))
    return jsonify(to_json(compute(db.session(), chosen_year())))
