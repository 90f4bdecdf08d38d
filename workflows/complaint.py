"""Complaints and views (synpunkter och klagomål, SOSFS 2011:9 5 kap. 3–6 §§, PSL 3 kap.
8 a–b §§): DOMAIN.md §3.4 (rev. 2).

The unit's manager (or the SAS/MAS, as the ``complaint_investigator`` setting says) acknowledges
the complaint, investigates it and answers; praise and questions may be answered at once. One
that reveals a misconduct or a care injury goes on as a lex Sarah, lex Maria or deviation case,
and is still answered and closed itself.
"""

from __future__ import annotations

from forms.closing import ReopenForm
from forms.complaint import (
    AcknowledgeForm,
    AnswerForm,
    AssignComplaintForm,
    CloseComplaintForm,
    ComplaintFindingsForm,
    EscalateForm,
)

from . import complaint_steps as cs
from . import steps
from .definition import Effect, Flow, RoleRule, Route, Step
from .permissions import (
    as_case_handler,
    as_complaint_mas,
    as_complaint_overseer,
    as_complaint_sas,
)
from .record_steps import (
    STAYS,
    as_action_handler,
    as_report_contributor,
    came_with_receipt,
    no_user,
)
from .registry import register
from .steps import CLOSED

STATES = ("received", "acknowledged", "under_investigation", "answered", "closed", "escalated")
OPEN = ("received", "acknowledged", "under_investigation", "answered", "escalated")
# Where the handler writes what was found and adds actions.
WORKING = ("acknowledged", "under_investigation", "answered", "escalated")
ESCALATE_FROM = ("received", "acknowledged", "under_investigation", "answered")


def _escalation(trigger: str, effect: Effect, who: RoleRule) -> Step:
    return Step(
        trigger,
        sources=ESCALATE_FROM,
        routes=(Route("escalated"),),
        who=who,
        section="investigation",
        form=EscalateForm,
        guards=(cs.not_escalated,),
        effect=effect,
    )


FLOW = register(
    Flow(
        case_type="complaint",
        states=STATES,
        initial="received",
        final=("closed",),
        investigating_role="sas",
        records=(
            Step(
                "register_complaint",
                ("received",),
                (Route(None, opens=("complaint_received",)),),
                who=as_report_contributor,
                section="report",
            ),
            Step("add_attachment", OPEN, STAYS, who=as_report_contributor, section="report"),
            # The thread with a sender who has no account (DOMAIN.md §3.5 rev. 2), as for a
            # report that came through the e-service (workflows/record_steps.py).
            Step(
                "reply_to_sender",
                OPEN,
                STAYS,
                who=as_case_handler,
                section="messages",
                guards=(came_with_receipt,),
            ),
            Step("sender_message", STATES, STAYS, who=no_user, section="messages"),
            Step(
                "update_findings",
                WORKING,
                STAYS,
                who=as_case_handler,
                section="investigation",
                form=ComplaintFindingsForm,
            ),
            Step("add_action", WORKING, STAYS, who=as_case_handler, section="actions"),
            Step("update_action", OPEN, STAYS, who=as_action_handler, section="actions"),
            Step(
                "record_unanswerable",
                OPEN,
                STAYS,
                who=as_case_handler,
                section="feedback",
                guards=(cs.no_contact,),
                # Nobody to answer: the answer's deadline has nothing left to wait for.
                meets=("complaint_answer", "complaint_acknowledgement"),
            ),
            Step(
                "mark_spam",
                OPEN,
                STAYS,
                who=as_case_handler,
                section="status",
                guards=(cs.not_spam,),
                meets=("complaint_answer", "complaint_acknowledgement"),
            ),
        ),
        steps=(
            Step(
                "acknowledge",
                sources=("received",),
                routes=(Route("acknowledged"),),
                who=as_case_handler,
                section="feedback",
                form=AcknowledgeForm,
                meets=("complaint_acknowledgement",),
                effect=cs.acknowledge,
            ),
            Step(
                "assign",
                sources=("acknowledged",),
                routes=(Route("under_investigation"),),
                who=as_case_handler,
                section="investigation",
                form=AssignComplaintForm,
                checks=(cs.investigator_may_handle,),
                effect=cs.assign,
            ),
            Step(
                "answer",
                sources=("received", "acknowledged", "under_investigation", "escalated"),
                routes=(Route("answered"),),
                who=as_case_handler,
                section="feedback",
                form=AnswerForm,
                # An answer at once is also the acknowledgement.
                meets=("complaint_answer", "complaint_acknowledgement"),
                guards=(cs.may_answer_now,),
                effect=cs.answer,
            ),
            Step(
                "close",
                sources=OPEN,
                routes=(Route("closed"),),
                who=as_case_handler,
                section="feedback",
                form=CloseComplaintForm,
                guards=(cs.answered_or_unanswerable,),
                checks=(steps.actions_settled,),
                effect=cs.close,
                ends=CLOSED,
            ),
            Step(
                "reopen",
                sources=("closed",),
                routes=(Route("under_investigation"),),
                who=as_case_handler,
                section="investigation",
                form=ReopenForm,
                checks=(steps.not_purged,),
                effect=cs.reopen,
            ),
            _escalation("escalate_to_lex_sarah", cs.escalate_to_lex_sarah, as_complaint_sas),
            _escalation("escalate_to_lex_maria", cs.escalate_to_lex_maria, as_complaint_mas),
            _escalation("escalate_to_deviation", cs.escalate_to_deviation, as_complaint_overseer),
        ),
    )
)
