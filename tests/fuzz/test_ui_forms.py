"""Every POST route of the UI (from the URL map, so a new one cannot escape), posted by the user
who would post it, with hostile and malformed values; and every GET page with hostile query
strings and ids. Never a 500; a refusal is a page in Swedish that shows again what was typed;
no input comes back as markup."""

from __future__ import annotations

import io
from typing import Any

import pytest
from flask.testing import FlaskClient
from hypothesis import given
from hypothesis import strategies as st
from markupsafe import escape
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from wtforms import StringField

from app.api.openapi_schemas import unbound_fields
from app.models import Case
from forms.storable import has_forbidden

from .strategies import IMG, SCRIPT, hostile_text, json_values, mutated, query_values
from .support import FEW, FUZZ, Browsers, assert_html_page, browser_form, page_form, rolled_back
from .targets import early_filed
from .ui_targets import UiTarget, ui_targets

# WTForms' and Flask-WTF's own messages: a page showing one has fallen out of Swedish.
ENGLISH = ("Not a valid", "This field is required", "Invalid ", "Field must be", "CSRF token")


@pytest.fixture
def targets(session, world) -> dict[str, UiTarget]:
    return ui_targets(session, world)


def client_for(app: Any, browsers: Browsers, target: UiTarget) -> FlaskClient:
    return browsers(target.user) if target.user is not None else app.test_client()


def test_every_post_route_has_a_target(app, targets):
    posts = {
        rule.endpoint
        for rule in app.url_map.iter_rules()
        # The API and SCIM answer bearer tokens, not forms (tests/fuzz/test_openapi.py,
        # tests/scim/).
        if "POST" in (rule.methods or ()) and not rule.endpoint.startswith(("api.", "scim."))
    }
    assert posts == set(targets)


def test_spoiled_forms(app, session, targets):
    browsers = Browsers(app)
    for name, target in targets.items():
        if name == "auth.logout":
            continue  # would sign the shared browser out; see test_logout_takes_anything
        client = client_for(app, browsers, target)
        if target.data is not None:
            # The baseline: the target's own data is accepted, so a refusal below is the fuzz's.
            with rolled_back(session):
                response = client.post(target.path, data=browser_form(target.data))
            assert response.status_code < 500, (name, response.data[:500])
            if target.accepted:
                assert response.status_code == 302, (name, response.data[:500])
        valid = target.data if target.data is not None else page_form(client, target.path)
        spoiled_form(session, client, name, target, valid)()


def spoiled_form(
    session: Any, client: FlaskClient, name: str, target: UiTarget, valid: dict[str, Any]
) -> Any:
    valid = valid or {"x": ""}

    @FEW
    @given(data=mutated(valid, ("expected_version", "persons-0-name", "action")))
    def run(data: dict[str, Any]) -> None:
        form = browser_form(data)
        with rolled_back(session):
            response = client.post(target.path, data=form)
            html = assert_html_page(response, (name, data))
        refused(response.status_code, html, name)
        if response.status_code == 422 and target.form is not None:
            kept(html, form, target.form, name)

    return run


def refused(status: int, html: str, name: str) -> None:
    for english in ENGLISH:
        assert english not in html, (name, english)
    if status in (400, 409, 422):
        assert 'lang="sv"' in html, (name, status)
        assert "<h1" in html or "error-summary" in html, (name, status)
    if status == 422:
        # A refused form: the summary at its top, the message at each field.
        assert "error-summary" in html or "error-message" in html, (name, status)


def kept(html: str, form: MultiDict[str, str], form_class: Any, name: str) -> None:
    for field, unbound in unbound_fields(form_class):
        value = form.get(field, "")
        text = issubclass(unbound.field_class, StringField)
        if text and value.strip() and not has_forbidden(value):
            assert str(escape(value)) in html, (name, field, value[:80])


def test_logout_takes_anything(app, world):
    for data in ({}, {"next": "//evil.example"}, {"x": SCRIPT}, {"\x00": "\x00"}):
        client = Browsers(app)(world.reporter)
        response = client.post("/logout", data=data)
        assert response.status_code == 302
        assert response.headers["Location"].endswith("/login")


def test_uploads_with_hostile_names_and_types(app, session, targets):
    target = targets["cases.upload_attachment"]
    client = Browsers(app)(target.user)
    names = ["<script>alert(1)</script>.pdf", IMG + ".pdf", "../../etc/passwd", "a\x00b.pdf"]
    names += ["..", ".pdf", "x" * 5000 + ".pdf", "rapport.exe", "bild.PNG", "ÅÄÖ.txt", ""]

    @FUZZ
    @given(
        # Not the megabyte: Werkzeug's test client spools so large a body to a temporary file
        # it never closes (a ResourceWarning); names that long are tried in names above.
        filename=st.one_of(st.sampled_from(names), hostile_text().filter(lambda s: len(s) < 9999)),
        content_type=st.sampled_from(["application/pdf", "text/html", "image/svg+xml", ""]),
        content=st.sampled_from([b"", b"%PDF-1.4", SCRIPT.encode(), b"\x00" * 100]),
    )
    def run(filename: str, content_type: str, content: bytes) -> None:
        name = filename.encode("utf-8", "replace").decode()
        upload = (io.BytesIO(content), name, content_type or "application/octet-stream")
        with rolled_back(session):
            response = client.post(
                target.path, data={"attachment": upload}, content_type="multipart/form-data"
            )
            html = assert_html_page(response, filename)
        refused(response.status_code, html, "upload")

    run()


def test_hostile_query_strings_and_ids_on_every_page(app, session, world, targets):
    browsers = Browsers(app)
    pages = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith(("api.", "static")) or "GET" not in (rule.methods or ()):
            continue
        pages.append(rule)
    users = [world.sas, world.admin, world.log_reviewer, world.reporter]
    for user in users:
        browsers(user)
    keys = ["typ", "status", "enhet", "sida", "tidsfrist", "forsenad", "year", "nummer", "next"]
    keys += ["namn", "anvandare", "referens", "vy", "fran", "till", "q"]
    values = query_values()
    # Real cases (built by the targets fixture) make the pages exist; the rest must be 404.
    real = [str(i) for i in session.scalars(select(Case.id))]
    ids = st.sampled_from([*real, "0", str(2**31), str(2**63), str(2**64), "9" * 5000])

    @FUZZ
    @given(
        rule=st.sampled_from(pages),
        user=st.sampled_from(users),
        query=st.lists(st.tuples(st.sampled_from(keys), values), max_size=4),
        ident=ids,
        word=st.sampled_from(["lex_sarah", "investigation", "x", SCRIPT, "\x00"]),
    )
    def run(rule: Any, user: Any, query: list[tuple[str, str]], ident: str, word: str) -> None:
        path = rule.rule
        for argument in rule.arguments:
            spec = _spec(rule, argument)
            path = path.replace(f"<{spec}>", ident if spec.startswith("int") else word)
        with rolled_back(session):
            response = browsers(user).get(path, query_string=query)
        if response.mimetype == "text/html":
            assert_html_page(response, (path, query))
        elif rule.endpoint == "ops.readyz":
            # 503 is readiness's own answer here: the test database has no scheduler heartbeat.
            assert response.status_code in (200, 503), (path, query)
            assert response.get_json()["status"] in ("ready", "unavailable")
        else:
            assert response.status_code < 500, (path, query)

    run()


def _spec(rule: Any, argument: str) -> str:
    """The placeholder as written in the rule, e.g. 'int:case_id' or 'key'."""
    for part in rule.rule.split("<")[1:]:
        spec = part.split(">", 1)[0]
        if spec.split(":")[-1] == argument:
            return spec
    raise AssertionError(argument)


def test_expected_version_and_unknown_steps(app, session, targets):
    """What the page's hidden fields and addresses carry can be anything a client makes up."""
    target = targets["cases.save_investigation"]
    client = Browsers(app)(target.user)
    for version in ("²", "१२", "9" * 5000, "-1", " 1", "1e3", "\x00"):
        data = {**(target.data or {}), "expected_version": version}
        with rolled_back(session):
            response = client.post(target.path, data=browser_form(data))
        assert_html_page(response, version)
    case_path = target.path.rsplit("/", 1)[0]
    for trigger in (SCRIPT, IMG, "x" * 3000, "%00", "approve_everything", "..%2F..%2Flogin"):
        with rolled_back(session):
            response = client.post(f"{case_path}/steg/{trigger}", data={"comment": SCRIPT})
        html = assert_html_page(response, trigger)
        assert response.status_code in (404, 422), (trigger, response.status_code)
        refused(response.status_code, html, trigger)


def test_json_values_in_login(app, session):
    client = app.test_client()

    @FEW
    @given(email=json_values(), password=json_values())
    def run(email: Any, password: Any) -> None:
        form = browser_form({"email": email, "password": password})
        with rolled_back(session):
            response = client.post("/login", data=form)
            html = assert_html_page(response, form)
        refused(response.status_code, html, "login")

    run()


def test_numbers_past_any_id_in_query_strings(app, session, world):
    """What SQLite cannot bind (past 64 bits) or int() cannot read ("²", 5000 digits) is an
    unknown value: a filter that filters nothing, a document version that does not exist."""
    case = early_filed(session, world, sent=True)
    browser = Browsers(app)(world.sas)
    pdf = f"/arenden/{case.id}/dokument/investigation.pdf"
    for bad in ("99999999999999999999", "²", "9" * 5000, "-1"):
        for path in ("/", "/arenden", "/tidsfrister", "/statistik"):
            response = browser.get(path, query_string={"enhet": bad, "sida": bad, "year": bad})
            assert response.status_code == 200, (path, bad)
            assert_html_page(response, (path, bad))
        assert browser.get(pdf, query_string={"nummer": bad}).status_code == 404
    assert browser.get(pdf, query_string={"nummer": "1"}).status_code == 200
    assert browser.get(pdf).status_code == 200


def test_nul_in_every_field_of_every_form(app, session, targets, world):
    """PostgreSQL refuses NUL in text, in a query as much as in a row: every form, the login
    and the log search included, must refuse it in words before the database sees it."""
    browsers = Browsers(app)
    for name, target in targets.items():
        client = client_for(app, browsers, target)
        fields = target.data if target.data is not None else page_form(client, target.path)
        for bad in ("a\x00b", "\x00"):
            form = browser_form({key: bad for key in fields or {"x": ""}})
            with rolled_back(session):
                response = client.post(target.path, data=form)
                html = assert_html_page(response, name)
            refused(response.status_code, html, name)
            # A switch stores no text: an unknown language leaves the language as it was.
            switches = name.endswith("_active") or name == "public.language"
            assert response.status_code != 302 or not fields or switches, name
    reviewer = browsers(world.log_reviewer)
    for path in ("/logg", "/arenden", "/", "/tidsfrister", "/statistik"):
        query = dict.fromkeys(["namn", "referens", "vy", "anvandare", "typ", "status"], "a\x00")
        with rolled_back(session):
            response = reviewer.get(path, query_string=query)
        assert response.status_code < 500, path
