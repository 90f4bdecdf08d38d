"""Thin views over app/admin/units.py: the tree, a new unit, one unit's page."""

from __future__ import annotations

from typing import Any

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from sqlalchemy.orm import Session

from app import db
from app.models import Unit
from forms.admin_org import UNIT_KIND_LABELS, UnitForm
from workflows.errors import WorkflowError

from . import bp
from . import units as ops
from .versions import stamped
from .views import Page, _me, _refused, _shown


@bp.get("/enheter")
def units() -> str:
    return render_template("admin/units.html", tree=ops.tree(db.session()), kinds=UNIT_KIND_LABELS)


@bp.route("/enheter/ny", methods=["GET", "POST"])
def new_unit() -> Page:
    session = db.session()
    managers = ops.manager_choices(session)
    if request.method == "GET":
        # "Ny enhet under …" on the tree page names the parent and the kind below it.
        data = {"parent_id": request.args.get("under", type=int), "kind": request.args.get("typ")}
        form = _shown(UnitForm, formdata=None, data=data, manager_choices=managers)
        return _page(session, form, None)
    try:
        unit = ops.create_unit(session, _me(), request.form)
    except WorkflowError as error:
        form = _shown(UnitForm, formdata=request.form, manager_choices=managers)
        return _refused("admin/unit.html", form, error, **_context(session, None))
    flash(_("%(name)s är tillagd.", name=unit.name), "success")
    return redirect(url_for("admin.units"))


@bp.route("/enheter/<int:unit_id>", methods=["GET", "POST"])
def edit_unit(unit_id: int) -> Page:
    session = db.session()
    unit = _unit(unit_id)
    managers = ops.manager_choices(session, unit)
    if request.method == "GET":
        form = _shown(
            UnitForm, formdata=None, data=stamped(ops.unit_values(unit)), manager_choices=managers
        )
        return _page(session, form, unit)
    try:
        changed = ops.update_unit(session, _me(), unit, request.form)
    except WorkflowError as error:
        form = _shown(UnitForm, formdata=request.form, manager_choices=managers)
        return _refused("admin/unit.html", form, error, **_context(session, unit))
    flash(_("%(name)s är sparad.", name=unit.name) if changed else _("Inget ändrades."), "success")
    return redirect(url_for("admin.units"))


@bp.post("/enheter/<int:unit_id>/aktiv")
def unit_active(unit_id: int) -> Page:
    session = db.session()
    unit = _unit(unit_id)
    active = request.form.get("active") == "1"
    try:
        ops.set_unit_active(session, _me(), unit, active)
    except WorkflowError as error:
        managers = ops.manager_choices(session, unit)
        form = _shown(
            UnitForm, formdata=None, data=stamped(ops.unit_values(unit)), manager_choices=managers
        )
        return _refused("admin/unit.html", form, error, **_context(session, unit))
    flash(
        _("%(name)s är aktiverad.", name=unit.name)
        if active
        else _("%(name)s är inaktiverad.", name=unit.name),
        "success",
    )
    return redirect(url_for("admin.edit_unit", unit_id=unit.id))


def _page(session: Session, form: Any, unit: Unit | None) -> str:
    return render_template("admin/unit.html", form=form, **_context(session, unit))


def _context(session: Session, unit: Unit | None) -> dict[str, Any]:
    return {
        "unit": unit,
        "parents": ops.parent_choices(session, unit),
        "open_cases": ops.open_cases(session, unit) if unit is not None else 0,
    }


def _unit(unit_id: int) -> Unit:
    unit = db.session().get(Unit, unit_id)
    if unit is None:
        abort(404)
    return unit
