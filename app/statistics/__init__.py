"""The annual statistics for the quality and patient-safety report (DOMAIN.md §8)."""

from flask import Blueprint

bp = Blueprint("statistics", __name__)

from . import views  # noqa: E402, F401
