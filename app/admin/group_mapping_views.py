"""Thin views over app/admin/group_mappings.py: the list of group mappings, adding and
removing one."""

from __future__ import annotations

from typing import Any

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _

from app import db
from app.labels import ROLE_LABELS
from app.models import GroupMapping
from forms.admin_sso import GroupMappingForm
from workflows.errors import WorkflowError

from . import bp
from . import group_mappings as ops
from .users import unit_choices
from .views import Page, _me, _refused, _shown


@bp.route("/grupper", methods=["GET", "POST"])
def group_mappings() -> Page:
    session = db.session()
    if request.method == "GET":
        return render_template(
            "admin/group_mappings.html", form=_shown(GroupMappingForm), **_context()
        )
    try:
        mapping = ops.add_mapping(session, _me(), request.form)
    except WorkflowError as error:
        form = _shown(GroupMappingForm, formdata=request.form)
        return _refused("admin/group_mappings.html", form, error, **_context())
    flash(
        _(
            "Gruppen %(group)s ger nu rollen %(role)s.",
            group=mapping.group_key,
            role=ROLE_LABELS[mapping.role],
        ),
        "success",
    )
    return redirect(url_for("admin.group_mappings"))


@bp.post("/grupper/<int:mapping_id>/ta-bort")
def remove_group_mapping(mapping_id: int) -> Page:
    session = db.session()
    mapping = session.get(GroupMapping, mapping_id)
    if mapping is None:
        # Removed already (a second click, another tab): what was asked for is done.
        flash(_("Kopplingen var redan borttagen."), "info")
        return redirect(url_for("admin.group_mappings"))
    group, role = mapping.group_key, ROLE_LABELS[mapping.role]
    ops.remove_mapping(session, _me(), mapping)
    flash(
        _(
            "Gruppen %(group)s ger inte längre rollen %(role)s. Det gäller från medlemmarnas "
            "nästa inloggning.",
            group=group,
            role=role,
        ),
        "success",
    )
    return redirect(url_for("admin.group_mappings"))


def _context() -> dict[str, Any]:
    session = db.session()
    return {
        "mappings": ops.mappings(session),
        "from_configuration": ops.from_configuration,
        "units": unit_choices(session),
    }
