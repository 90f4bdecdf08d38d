"""The published links for those without an account (DOMAIN.md §3.5 rev. 2): the list, a new
link, a new token for a link (the old one stops working), and a QR code page to print."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from werkzeug.wrappers import Response

from app import db
from app.models import PublicLink
from app.models.unit_tree import unit_paths
from app.public import links
from app.public import operations as ops
from forms.public import PublicLinkForm
from workflows.errors import WorkflowError
from workflows.records import unit_choices

from . import bp
from .views import _shown


@bp.get("/publika-lankar")
def public_links() -> str:
    session = db.session()
    form = _shown(PublicLinkForm, formdata=None, unit_choices=unit_choices(session))
    return render_template("admin/public_links.html", links=links.listed(session), form=form)


@bp.post("/publika-lankar")
def new_public_link() -> Response | tuple[str, int]:
    session = db.session()
    form = _shown(PublicLinkForm, formdata=request.form, unit_choices=unit_choices(session))
    if not form.validate():
        return render_template(
            "admin/public_links.html", links=links.listed(session), form=form
        ), 422
    try:
        ops.create_link(session, form.unit_id.data or None)
    except WorkflowError as error:
        form.unit_id.errors = [error.message]
        return render_template(
            "admin/public_links.html", links=links.listed(session), form=form
        ), error.status
    flash(_("Länken är skapad."), "success")
    return redirect(url_for("admin.public_links"))


def _active(link_id: int) -> PublicLink:
    link = db.session().get(PublicLink, link_id)
    if link is None or not link.active:
        abort(404)
    return link


@bp.post("/publika-lankar/<int:link_id>/ny-adress")
def rotate_public_link(link_id: int) -> Response:
    ops.rotate_link(db.session(), _active(link_id))
    flash(_("Länken har fått en ny adress. Den gamla fungerar inte längre."), "success")
    return redirect(url_for("admin.public_links"))


@bp.get("/publika-lankar/<int:link_id>/qr")
def public_link_qr(link_id: int) -> str:
    session = db.session()
    link = _active(link_id)
    url = links.public_url(link)
    place = unit_paths(session, {link.unit_id}).get(link.unit_id) if link.unit_id else None
    return render_template("admin/public_link_qr.html", url=url, qr=links.qr_svg(url), place=place)
