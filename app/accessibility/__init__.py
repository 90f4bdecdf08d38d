"""The accessibility statement (tillgänglighetsredogörelse) that lag (2018:1937) om
tillgänglighet till digital offentlig service requires, public and linked from every page."""

from flask import Blueprint

bp = Blueprint("accessibility", __name__)

from . import views  # noqa: E402, F401
