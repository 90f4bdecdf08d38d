"""The system administrator's pages: users, units, deviation categories and settings. The admin
sees no case content (DOMAIN.md §2, §9), and no one else sees these pages."""

from flask import Blueprint

bp = Blueprint("admin", __name__)

from . import (  # noqa: E402, F401
    complaint_themes,
    group_mapping_views,
    history_views,
    public_link_views,
    scim_views,
    second_factor,
    unit_views,
    user_views,
    views,
)
