"""The UI's POST routes of DOMAIN.md revision 2 (feedback, the committee's number, records
requests, complaints, the public intake and its links, the import of earlier years): who posts
each, where, and a form it takes. ``accepted=False`` where the fuzz wants the refusals, not the
happy path (tested in their own suites)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from app.complaints.operations import create_complaint
from app.models import ComplaintTheme
from app.public.operations import create_link
from forms.feedback import FeedbackForm
from tests.factories import FEEDBACK, World, case_of

from .ui_targets import UiTarget


def rev2_targets(session: Session, world: World) -> dict[str, UiTarget]:
    following = case_of(session, world, "lex_sarah", "follow_up")
    deciding = case_of(session, world, "lex_sarah", "awaiting_decision")
    complaint = create_complaint(
        session,
        actor=world.manager,
        kind="complaint",
        sender_role="relative",
        channel="letter",
        text="Hemtjänsten kom inte.",
        unit_ids=[world.solgarden.id],
    )
    theme = session.query(ComplaintTheme).order_by(ComplaintTheme.id).first()
    link = create_link(session, world.solgarden.id)
    session.flush()
    token = link.token
    case = f"/arenden/{following.id}"
    return {
        "cases.record_feedback": UiTarget(
            world.sas, f"{case}/aterkoppling", dict(FEEDBACK), FeedbackForm
        ),
        "cases.own_case_number": UiTarget(
            world.sas,
            f"/arenden/{deciding.id}/diarienummer",
            {"own_case_number": "SN 2026/17"},
            accepted=False,
        ),
        "cases.records_preview": UiTarget(
            world.sas,
            f"{case}/allman-handling/granska",
            {"documents": "report", "requester": "Tidningen"},
            accepted=False,
        ),
        "cases.records_release": UiTarget(
            world.sas, f"{case}/allman-handling", {"documents": "report"}, accepted=False
        ),
        "admin.complaint_themes": UiTarget(
            world.admin, "/admin/klagomalsteman", {"name": "Väntetider"}, accepted=False
        ),
        "admin.complaint_theme_active": UiTarget(
            world.admin,
            f"/admin/klagomalsteman/{theme.id if theme else 999999}/aktiv",
            {},
            accepted=False,
        ),
        "admin.history_import": UiTarget(world.admin, "/admin/tidigare-ar", {}, accepted=False),
        "admin.new_public_link": UiTarget(
            world.admin, "/admin/publika-lankar", {"unit_id": str(world.linden.id)}, accepted=False
        ),
        "admin.rotate_public_link": UiTarget(
            world.admin, f"/admin/publika-lankar/{link.id}/ny-adress", {}, accepted=False
        ),
        "public.reply": UiTarget(
            world.sas, f"{case}/meddelanden", {"text": "Kan du berätta mer?"}, accepted=False
        ),
        "public.mark_spam": UiTarget(world.sas, f"{case}/skrap", {}, accepted=False),
        "public.report": UiTarget(
            None, f"/lamna/{token}/rapport", {"description": "Det hände."}, accepted=False
        ),
        "public.complaint": UiTarget(
            None, f"/lamna/{token}/synpunkt", {"text": "Bra bemötande."}, accepted=False
        ),
        "public.follow_up": UiTarget(
            None, "/foljupp", {"code": "AAAA-BBBB-CCCC", "secret": "fel"}, accepted=False
        ),
        "public.send_message": UiTarget(
            None, "/foljupp/meddelande", {"text": "Hej"}, accepted=False
        ),
        "public.leave": UiTarget(None, "/foljupp/avsluta", {}, accepted=False),
        "public.language": UiTarget(None, "/sprak", {"language": "en"}, accepted=False),
        "complaints.new_complaint": UiTarget(
            world.manager, "/klagomal/registrera", {"text": "Ett klagomål."}, accepted=False
        ),
        "complaints.complaint_record": UiTarget(
            world.manager,
            f"/arenden/{complaint.id}/klagomal/update_findings",
            {"findings": "Vi fann att tiderna inte hölls."},
            accepted=False,
        ),
    }
