"""The signed-in user's own page ("Mitt konto"): the language the pages are shown in."""

from flask import Blueprint

bp = Blueprint("account", __name__)

from . import second_factor, views  # noqa: E402, F401
