"""The machine lex Sarah and lex Maria share: report → immediate measures → investigation →
the deciding role's decision → filing with IVO → follow-up → closed (DOMAIN.md §3.1–3.2).

State and trigger names are the contract used by the API, the history and exports.
"""

from __future__ import annotations

from forms.closing import CloseForm, ReclassifyForm, ReopenForm
from forms.decision import ApproveFilingForm, DeclineFilingForm, ReturnToInvestigatorForm
from forms.filing import FilingForm, IvoResponseForm
from forms.immediate_measures import ImmediateMeasuresForm
from forms.investigation import CompleteInvestigationForm, EarlyFilingForm, StartInvestigationForm

from . import steps
from .definition import N_, Check, Flow, Route, Step
from .permissions import as_decider, as_investigator, as_unit_manager
from .record_steps import record_steps
from .start_events import EARLY_FILING_RECORDED, INVESTIGATION_COMPLETED
from .steps import CLOSED


def states(awaiting: str) -> tuple[str, ...]:
    return (
        "submitted",
        awaiting,
        "under_investigation",
        "awaiting_decision",
        "awaiting_filing",
        "filed",
        "follow_up",
        "closed",
        "reclassified",
    )


def build_ivo_flow(
    case_type: str,
    *,
    awaiting: str,
    investigating_role: str,
    close_checks: tuple[Check, ...] = (),
) -> Flow:
    """The shape lex Sarah and lex Maria share (DOMAIN.md §3.1, §3.2): report, immediate
    measures, investigation, the deciding role's decision, filing with IVO, follow-up, closing."""
    all_states = states(awaiting)
    open_states = all_states[:7]
    return Flow(
        case_type=case_type,
        states=all_states,
        initial="submitted",
        final=("closed", "reclassified"),
        investigating_role=investigating_role,
        records=record_steps(case_type, all_states, open_states),
        steps=(
            Step(
                "record_immediate_measures",
                sources=("submitted", "under_investigation"),
                routes=(
                    Route(awaiting, sources=("submitted",)),
                    # Measures recorded after the SAS already started: the state stays.
                    Route(None, sources=("under_investigation",)),
                ),
                who=as_unit_manager,
                section="measures",
                form=ImmediateMeasuresForm,
                meets=("immediate_measures",),
                guards=(steps.measures_not_yet_recorded,),
                effect=steps.record_immediate_measures,
            ),
            Step(
                "start_investigation",
                sources=("submitted", awaiting),
                routes=(Route("under_investigation", opens=("investigation_started",)),),
                who=as_investigator,
                section="investigation",
                form=StartInvestigationForm,
                meets=("investigation_start",),
                checks=(steps.investigator_is_valid,),
                effect=steps.start_investigation,
            ),
            Step(
                "complete_investigation",
                sources=("under_investigation",),
                routes=(
                    Route(
                        "awaiting_decision",
                        steps.proposal_is_serious,
                        opens=("proposal_made", INVESTIGATION_COMPLETED),
                    ),
                    Route(
                        "follow_up", steps.proposal_not_serious, opens=(INVESTIGATION_COMPLETED,)
                    ),
                ),
                who=as_investigator,
                section="investigation",
                form=CompleteInvestigationForm,
                meets=("investigation_complete",),
                checks=(steps.immediate_measures_recorded, steps.investigation_complete),
                effect=steps.complete_investigation,
            ),
            Step(
                "propose_early_filing",
                sources=("under_investigation",),
                # The investigation's two months to IVO start when the filing is recorded
                # (record_filing), not here: the law counts from the filing (DOMAIN.md §3.1).
                routes=(Route("awaiting_decision", opens=("proposal_made",)),),
                who=as_investigator,
                section="investigation",
                form=EarlyFilingForm,
                # Past this point the manager can no longer record them, and an early-filed
                # investigation is completed without complete_investigation's check.
                checks=(steps.immediate_measures_recorded,),
                effect=steps.propose_early_filing,
            ),
            Step(
                "approve_filing",
                sources=("awaiting_decision",),
                routes=(Route("awaiting_filing", opens=("decision_to_file",)),),
                who=as_decider,
                section="decision",
                form=ApproveFilingForm,
                meets=("decision",),
                effect=steps.approve_filing,
            ),
            Step(
                "decline_filing",
                sources=("awaiting_decision",),
                routes=(
                    Route("follow_up", steps.regular_proposal),
                    # An early proposal declined: the investigation goes on to its end.
                    Route("under_investigation", steps.early_proposal),
                ),
                who=as_decider,
                section="decision",
                form=DeclineFilingForm,
                meets=("decision",),
                effect=steps.decline_filing,
            ),
            Step(
                "return_to_investigator",
                sources=("awaiting_decision",),
                routes=(Route("under_investigation"),),
                who=as_decider,
                section="decision",
                form=ReturnToInvestigatorForm,
                meets=("decision",),
                effect=steps.return_to_investigator,
            ),
            Step(
                "record_filing",
                sources=("awaiting_filing",),
                routes=(
                    Route(
                        "filed",
                        opens=(EARLY_FILING_RECORDED,),
                        opens_if=lambda case: case.early_filing,
                    ),
                ),
                who=as_investigator,
                section="filing",
                form=FilingForm,
                meets=("ivo_filing",),
                effect=steps.record_filing,
            ),
            Step(
                "record_ivo_response",
                sources=("filed",),
                routes=(
                    Route("follow_up", steps.not_supplement_requested),
                    # IVO asks for more: the case stays filed until answered.
                    Route(None, steps.supplement_requested),
                ),
                who=as_investigator,
                section="filing",
                form=IvoResponseForm,
                effect=steps.record_ivo_response,
            ),
            Step(
                "close",
                sources=("follow_up",),
                routes=(Route("closed"),),
                who=as_investigator,
                section="feedback",
                form=CloseForm,
                checks=(
                    steps.investigation_done,
                    steps.actions_settled,
                    steps.feedback_given,
                    *close_checks,
                ),
                effect=steps.close,
                ends=CLOSED,
            ),
            Step(
                "reopen",
                sources=("closed",),
                routes=(Route("follow_up"),),
                who=as_investigator,
                section="investigation",
                form=ReopenForm,
                checks=(steps.not_purged,),
                effect=steps.reopen,
            ),
            Step(
                "reclassify",
                sources=open_states,
                routes=(Route("reclassified"),),
                who=as_investigator,
                section="investigation",
                form=ReclassifyForm,
                effect=steps.reclassify,
                ends=N_("Ärendet klassades om; det nya ärendet har egna tidsfrister."),
            ),
        ),
    )
