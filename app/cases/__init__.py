"""Case work in the browser: the inbox, the case list and the case page with its steps."""

from flask import Blueprint

bp = Blueprint("cases", __name__)

from . import documents, inbox, own_case_number, records_request, views  # noqa: E402, F401
