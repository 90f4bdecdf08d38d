"""The log reviewer's pages (DOMAIN.md §2, §9): search the access log and run sampled reviews of
who opened what. Only the log rows are shown here, never the content of a case."""

from flask import Blueprint

bp = Blueprint("logreview", __name__)

from . import admin_log, views  # noqa: E402, F401
