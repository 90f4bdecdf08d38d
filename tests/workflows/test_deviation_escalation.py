"""The manager's assessment of a deviation on the risk matrix (DOMAIN.md §3.3, §5): escalated
at severity ≥ 3 or score ≥ 8, or always for a category marked so; thresholds and categories are
data; no deviation passes without a complete assessment; the SAS takes SoL/LSS, the MAS HSL."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.models import Category, set_setting
from tests.factories import (
    assessment,
    case_of,
    category_id,
    deviation_investigation,
    hsl_unit,
    linked_rows,
    new_case_of,
)
from workflows.engine import available_triggers, fire
from workflows.errors import InvalidData, NotAllowed
from workflows.permissions import visible_sections
from workflows.records import save_investigation

from .support import refused, snapshot

GRID = [(s, likelihood) for s in range(1, 5) for likelihood in range(1, 5)]
CONVERSIONS = {"convert_to_lex_sarah", "convert_to_lex_maria", "return_to_manager"}


def assessed(session, world, severity: int, likelihood: int, category: str = "Fall", **kwargs):
    case = new_case_of(session, world, "deviation", **kwargs)
    event = fire(
        session,
        case,
        world.manager,
        "assess",
        assessment(session, category, severity=severity, likelihood=likelihood),
    )
    return case, event


@pytest.mark.parametrize(("severity", "likelihood"), GRID)
def test_the_whole_matrix_with_the_default_thresholds(session, world, severity, likelihood):
    """The 4×4 matrix of §5: severity 3 or more, or a score of 8 or more, escalates."""
    case, event = assessed(session, world, severity, likelihood)
    # Written out rather than computed: 2×4 is the only escalation on the score alone.
    escalating = {(3, 1), (3, 2), (3, 3), (3, 4), (4, 1), (4, 2), (4, 3), (4, 4), (2, 4)}
    want = "escalated" if (severity, likelihood) in escalating else "local_investigation"
    assert case.state == want
    assert (event.from_state, event.to_state) == ("submitted", want)
    assert case.assessment.score == severity * likelihood
    assert case.assessment.escalated == (want == "escalated")
    assert event.data["escalated"] == (want == "escalated")


@pytest.mark.parametrize(
    ("severity", "likelihood", "want"),
    [
        (2, 4, "escalated"),  # score 8: at the score threshold
        (2, 3, "local_investigation"),  # score 6: just below it
        (1, 4, "local_investigation"),  # the highest likelihood alone is not enough
        (3, 1, "escalated"),  # severity 3: at the severity threshold, whatever the score
        (2, 2, "local_investigation"),  # severity 2: just below it
    ],
)
def test_at_and_around_each_threshold(session, world, severity, likelihood, want):
    case, _ = assessed(session, world, severity, likelihood)
    assert case.state == want


def test_what_the_assessment_records(session, world):
    case, event = assessed(session, world, 2, 4)
    a = case.assessment
    assert (a.legal_area, a.category_id, a.severity, a.likelihood, a.score) == (
        "SoL",
        category_id(session, "Fall"),
        2,
        4,
        8,
    )
    assert a.assessed_by_id == world.manager.id
    assert a.assessed_at is not None
    assert not a.police_report
    assert (event.actor_id, event.actor_role) == (world.manager.id, "manager")
    assert event.data == {
        "legal_area": "SoL",
        "category_id": a.category_id,
        "severity": 2,
        "likelihood": 4,
        "escalated": True,
    }
    # Escalated: the investigation is no longer the manager's to start.
    assert case.investigation is None


def test_below_the_thresholds_the_manager_investigates(session, world):
    case, _ = assessed(session, world, 1, 1)
    assert case.state == "local_investigation"
    assert case.investigation is not None
    save_investigation(session, case, world.manager, deviation_investigation())
    fire(session, case, world.manager, "complete_investigation", {})
    assert case.state == "follow_up"
    assert case.investigation.completed_at is not None


@pytest.mark.parametrize("missing", ["what_happened", "measures_text", "causes_text"])
def test_the_local_investigation_needs_what_happened_causes_and_measures(session, world, missing):
    case, _ = assessed(session, world, 1, 1)
    save_investigation(session, case, world.manager, deviation_investigation(**{missing: ""}))
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.manager, "complete_investigation", {}),
    )
    assert set(error.field_errors) == {"cause_areas" if missing == "causes_text" else missing}


@pytest.mark.parametrize("category", ["Stöld/ekonomiska övergrepp"])
def test_a_category_that_always_escalates_does_so_at_the_lowest_risk(session, world, category):
    case, _ = assessed(session, world, 1, 1, category)
    assert case.state == "escalated"
    assert case.assessment.escalated
    assert case.assessment.police_report


def test_of_the_seeded_categories_only_theft_always_escalates(session, world):
    categories = session.scalars(select(Category).order_by(Category.sort_order)).all()
    assert len(categories) == 15
    for category in categories:
        case, _ = assessed(session, world, 1, 1, category.name)
        want = (
            "escalated" if category.name == "Stöld/ekonomiska övergrepp" else "local_investigation"
        )
        assert case.state == want, category.name


def test_an_admin_may_make_a_category_always_escalate(session, world):
    session.get(Category, category_id(session, "Hot och våld")).always_escalate = True
    case, _ = assessed(session, world, 1, 1, "Hot och våld")
    assert case.state == "escalated"
    # Not bound to a case type: the SAS may convert or return it.
    assert set(available_triggers(session, world.sas, case)) == CONVERSIONS


@pytest.mark.parametrize(
    ("settings", "severity", "likelihood", "want"),
    [
        ({"escalation.severity": 4}, 3, 1, "local_investigation"),
        ({"escalation.severity": 4}, 4, 1, "escalated"),
        ({"escalation.severity": 2}, 2, 1, "escalated"),
        ({"escalation.score": 6}, 2, 3, "escalated"),
        ({"escalation.score": 6}, 1, 4, "local_investigation"),
        ({"escalation.score": 4}, 1, 4, "escalated"),
        ({"escalation.score": 9}, 2, 4, "local_investigation"),
        ({"escalation.score": 12}, 3, 3, "escalated"),  # severity still escalates
        ({"escalation.severity": 5, "escalation.score": 17}, 4, 4, "local_investigation"),
    ],
)
def test_changed_thresholds_change_the_outcome(
    session, world, settings, severity, likelihood, want
):
    for key, value in settings.items():
        set_setting(session, key, value)
    case, _ = assessed(session, world, severity, likelihood)
    assert case.state == want


def test_theft_escalates_whatever_the_thresholds(session, world):
    set_setting(session, "escalation.severity", 5)
    set_setting(session, "escalation.score", 17)
    case, _ = assessed(session, world, 1, 1, "Stöld/ekonomiska övergrepp")
    assert case.state == "escalated"


def _without(data, key):
    return {k: v for k, v in data.items() if k != key}


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: _without(d, "severity"), "severity"),
        (lambda d: _without(d, "likelihood"), "likelihood"),
        (lambda d: _without(d, "category_id"), "category_id"),
        (lambda d: _without(d, "legal_area"), "legal_area"),
        (lambda d: {**d, "severity": ""}, "severity"),
        (lambda d: {**d, "severity": "5"}, "severity"),
        (lambda d: {**d, "severity": "0"}, "severity"),
        (lambda d: {**d, "likelihood": "5"}, "likelihood"),
        (lambda d: {**d, "legal_area": "PSL"}, "legal_area"),
        (lambda d: {**d, "category_id": "0"}, "category_id"),
        (lambda d: {**d, "category_id": "999999"}, "category_id"),
    ],
    ids=[
        "no-severity",
        "no-likelihood",
        "no-category",
        "no-legal-area",
        "blank-severity",
        "severity-5",
        "severity-0",
        "likelihood-5",
        "unknown-area",
        "category-0",
        "unknown-category",
    ],
)
def test_no_deviation_passes_without_a_complete_assessment(session, world, change, field):
    case = new_case_of(session, world, "deviation")
    data = change(assessment(session))
    before = linked_rows(session, case.id)
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.manager, "assess", data)
    )
    assert error.status == 422
    assert set(error.field_errors) == {field}
    assert linked_rows(session, case.id) == before
    assert case.assessment is None


def test_an_empty_assessment_names_every_field(session, world):
    case = new_case_of(session, world, "deviation")
    error = refused(
        session, case, InvalidData, lambda: fire(session, case, world.manager, "assess", {})
    )
    assert set(error.field_errors) == {"legal_area", "category_id", "severity", "likelihood"}


def test_an_inactive_category_cannot_be_chosen(session, world):
    session.get(Category, category_id(session, "Fall")).active = False
    case = new_case_of(session, world, "deviation")
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.manager, "assess", assessment(session, "Fall")),
    )
    assert set(error.field_errors) == {"category_id"}


# legal area -> who acts on the escalated deviation, and who may not
TARGETS = [
    ("SoL", "solgarden", "sas", "mas"),
    ("LSS", "linden", "sas", "mas"),
    ("HSL", "solgarden", "mas", "sas"),
    ("HSL", "home_care", "mas", "sas"),
]


@pytest.mark.parametrize(("area", "unit", "target", "other"), TARGETS)
def test_escalation_goes_to_the_sas_or_the_mas_by_legal_area(
    session, world, area, unit, target, other
):
    unit = hsl_unit(session, world) if unit == "home_care" else getattr(world, unit)
    case = case_of(
        session,
        world,
        "deviation",
        "escalated",
        unit=unit,
        legal_area=area,
        manager=world.other_manager if area == "LSS" else world.area_manager,
    )
    target, other = getattr(world, target), getattr(world, other)

    assert set(available_triggers(session, target, case)) == CONVERSIONS
    assert available_triggers(session, other, case) == []
    assert visible_sections(session, other, case) == frozenset()
    refused(
        session,
        case,
        NotAllowed,
        lambda: fire(session, case, other, "return_to_manager", {"comment": "Utreds lokalt."}),
    )

    event = fire(session, case, target, "return_to_manager", {"comment": "Utreds lokalt."})
    assert case.state == "local_investigation"
    assert event.actor_role == ("mas" if area == "HSL" else "sas")
    assert event.comment == "Utreds lokalt."
    # Back with the manager, who writes the local investigation.
    assert case.investigation is not None
    manager = world.other_manager if area == "LSS" else world.area_manager
    assert available_triggers(session, manager, case) == ["complete_investigation"]


def test_the_return_needs_a_motivation(session, world):
    case = case_of(session, world, "deviation", "escalated")
    error = refused(
        session,
        case,
        InvalidData,
        lambda: fire(session, case, world.sas, "return_to_manager", {"comment": "  "}),
    )
    assert set(error.field_errors) == {"comment"}


def test_before_the_assessment_a_health_care_unit_deviation_is_the_mas_s(session, world):
    case = new_case_of(session, world, "deviation", unit=hsl_unit(session, world))
    assert visible_sections(session, world.sas, case) == frozenset()
    assert "investigation" in visible_sections(session, world.mas, case)
    # Only its manager assesses it.
    assert available_triggers(session, world.area_manager, case) == ["assess"]
    assert available_triggers(session, world.mas, case) == []
    before = snapshot(session, case.id)
    with pytest.raises(NotAllowed):
        fire(session, case, world.manager, "assess", assessment(session, legal_area="HSL"))
    assert snapshot(session, case.id) == before
