"""Complaints and views (synpunkter och klagomål, DOMAIN.md §3.4): registering one, and the
page staff register it on."""

from flask import Blueprint

bp = Blueprint("complaints", __name__)

from . import views  # noqa: E402, F401
