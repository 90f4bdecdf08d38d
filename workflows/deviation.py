"""Deviations (avvikelser, SOSFS 2011:9 5 kap.): DOMAIN.md §3.3.

The unit's manager assesses every deviation on the risk matrix. Serious ones, and categories that
always escalate, go to the SAS (SoL/LSS) or the MAS (HSL), who converts them into a lex Sarah or
lex Maria case or returns them for local investigation; the rest the manager investigates,
follows up and closes.
"""

from __future__ import annotations

from forms.closing import CloseForm, ReopenForm
from forms.deviation import AssessmentForm, ConvertForm, ReturnToManagerForm
from forms.investigation import CompleteInvestigationForm

from . import steps
from .definition import N_, Flow, Route, Step
from .permissions import as_investigator, as_unit_manager
from .record_steps import record_steps
from .registry import register
from .start_events import INVESTIGATION_COMPLETED
from .steps import CLOSED

FLOW = register(
    Flow(
        case_type="deviation",
        states=(
            "submitted",
            "escalated",
            "local_investigation",
            "follow_up",
            "closed",
            "converted",
        ),
        initial="submitted",
        final=("closed", "converted"),
        investigating_role="sas",
        records=record_steps(
            "deviation",
            ("submitted", "escalated", "local_investigation", "follow_up", "closed", "converted"),
            ("submitted", "escalated", "local_investigation", "follow_up"),
        ),
        steps=(
            Step(
                "assess",
                sources=("submitted",),
                routes=(
                    Route("escalated", steps.escalates),
                    Route("local_investigation", steps.stays_local, opens=("assessment",)),
                ),
                who=as_unit_manager,
                section="investigation",
                form=AssessmentForm,
                meets=("deviation_assessment",),
                checks=(steps.category_known,),
                effect=steps.assess,
            ),
            Step(
                "convert_to_lex_sarah",
                sources=("escalated",),
                routes=(Route("converted"),),
                who=as_investigator,
                section="investigation",
                form=ConvertForm,
                guards=(steps.may_become_lex_sarah,),
                effect=steps.convert_to_lex_sarah,
                ends=N_("Avvikelsen blev ett lex Sarah-ärende med egna tidsfrister."),
            ),
            Step(
                "convert_to_lex_maria",
                sources=("escalated",),
                routes=(Route("converted"),),
                who=as_investigator,
                section="investigation",
                form=ConvertForm,
                guards=(steps.may_become_lex_maria,),
                effect=steps.convert_to_lex_maria,
                ends=N_("Avvikelsen blev ett lex Maria-ärende med egna tidsfrister."),
            ),
            Step(
                "return_to_manager",
                sources=("escalated",),
                routes=(Route("local_investigation", opens=("assessment",)),),
                who=as_investigator,
                section="investigation",
                form=ReturnToManagerForm,
                guards=(steps.may_stay_local,),
                effect=steps.return_to_manager,
            ),
            Step(
                "complete_investigation",
                sources=("local_investigation",),
                routes=(Route("follow_up", opens=(INVESTIGATION_COMPLETED,)),),
                who=as_unit_manager,
                section="investigation",
                form=CompleteInvestigationForm,
                meets=("local_investigation",),
                checks=(steps.investigation_complete,),
                effect=steps.complete_investigation,
            ),
            Step(
                "close",
                sources=("follow_up",),
                routes=(Route("closed"),),
                who=as_unit_manager,
                section="feedback",
                form=CloseForm,
                checks=(steps.actions_settled, steps.feedback_given),
                effect=steps.close,
                ends=CLOSED,
            ),
            Step(
                "reopen",
                sources=("closed",),
                routes=(Route("follow_up"),),
                who=as_unit_manager,
                section="investigation",
                form=ReopenForm,
                checks=(steps.not_purged,),
                effect=steps.reopen,
            ),
        ),
    )
)
