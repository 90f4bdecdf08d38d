"""Reporting: the report form any member of staff fills in, and their own reports."""

from flask import Blueprint

bp = Blueprint("reports", __name__)

from . import views  # noqa: E402, F401
