"""flask demo generate: years of realistic cases for the demo municipality (DOMAIN.md §10).

Every case is walked through the real operations by the demo user who would do each step, under
a frozen clock (app.models.base.frozen_now) set to the moment the step happens, so history,
deadlines and references carry the dates of their year. The most recent year also holds one case
in every state of every type. One transaction per case.
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

import click
from sqlalchemy import func, select

from app import db
from app.models import Action, Case, Category, Notification, Unit, User
from app.models.base import frozen_now, utcnow
from notifications.inbox import mark_read
from workflows.engine import fire
from workflows.errors import WorkflowError
from workflows.feedback import record_feedback
from workflows.intake import report_event
from workflows.lex_maria_records import record_medical_device_report, record_patient_information
from workflows.records import add_action, save_investigation, update_action
from workflows.registry import flow_for
from workflows.sweep import sweep
from workflows.workdays import STOCKHOLM

from .demo import demo_cli
from .demo import seed as seed_demo
from .demo_scale import Clone, Cloner, Sink, Workplace, generate_scale, load_prototypes
from .demo_scale import _counters as scale_counters
from .demo_scale import _save_counters as save_scale_counters
from .demo_texts import (
    DEVIATION_TEXTS,
    INVESTIGATION_CAUSES,
    LEX_MARIA_TEXTS,
    LEX_SARAH_TEXTS,
    all_texts,
)

# Reports a year per type; lex Sarah also arrives through converted deviations.
PROFILES: dict[str, dict[str, int]] = {
    "tiny": {"deviation": 8, "lex_sarah": 3, "lex_maria": 2},
    "small": {"deviation": 60, "lex_sarah": 10, "lex_maria": 3},
    "medium": {"deviation": 400, "lex_sarah": 25, "lex_maria": 6},
}


@dataclass(frozen=True)
class YearShape:
    """One year's figures exactly as a municipality published them (DOMAIN.md §10)."""

    lex_sarah: int = 0  # reported directly as lex Sarah
    lex_sarah_filed: int = 0  # of those, filed with IVO the same year
    converted: int = 0  # deviations converted to lex Sarah
    deviations: int = 0  # deviations that stay deviations
    theft: int = 0  # theft deviations, the converted ones first
    unassessed: int = 0  # of the deviations, never assessed: "no severity noted"
    falls: int = 0  # of the assessed deviations, falls


# Years shaped after the seeds, keyed by their distance from the last year generated (0 is the
# last). Vänersborg (seed 001): 76 lex Sarah reports, about 10 more from converted deviations,
# 6 filed with IVO, about 2,650 deviations of which 17 theft or financial abuse, no lex Maria;
# 44 and 44 lex Sarah the two years before (6 and 1 filed). Theft always escalates and a theft
# deviation cannot stay local, so the 7 theft deviations not converted are still with the SAS.
# Nässjö (seed 000): 38.5 % of the deviations with no severity noted, falls 65.8 % of the
# assessed ones (a category comes with the assessment here, so an unassessed one has neither).
SHAPES: dict[str, dict[int, YearShape]] = {
    "vanersborg": {
        0: YearShape(lex_sarah=76, lex_sarah_filed=6, converted=10, deviations=2650, theft=17),
        -1: YearShape(lex_sarah=44, lex_sarah_filed=6),
        -2: YearShape(lex_sarah=44, lex_sarah_filed=1),
    },
    "nassjo": {0: YearShape(deviations=195, unassessed=75, falls=79)},
}

# The units whose managers the demo has: (unit, manager's e-mail, share of reports).
UNITS = (
    ("Solgårdens särskilda boende", "enhetschef@exempelby.se", 35),
    ("Hemtjänst Norr", "omradeschef@exempelby.se", 30),
    ("Gruppbostaden Linden", "enhetschef@exempelby.se", 15),
    ("Hemsjukvården", "hemsjukvard@exempelby.se", 20),
)
HSL_UNITS = ("Solgårdens särskilda boende", "Hemtjänst Norr", "Hemsjukvården")

# Falls are the largest category by far (Nässjö: two thirds of all deviations).
CATEGORY_WEIGHTS = {
    "Fall": 45,
    "Läkemedel": 20,
    "Brister i omvårdnad": 6,
    "Utebliven insats": 6,
    "Brister i dokumentation": 4,
    "Brister i rutiner/följsamhet till rutin": 4,
    "Hot och våld": 4,
    "Teknik/larm": 3,
    "Tryckskada": 2,
    "Brister i bemötande": 2,
    "Stöld/ekonomiska övergrepp": 1,
    "Smitta": 1,
    "Medicintekniska produkter": 1,
    "Samverkan": 1,
    "Övrigt": 1,
}
THEFT = "Stöld/ekonomiska övergrepp"  # always escalates, and only to lex Sarah
HEALTH_CATEGORIES = ("Läkemedel", "Tryckskada", "Smitta", "Medicintekniska produkter")

# The walks a case can take; each passes through the states listed with it.
IVO_PLANS = {
    "serious": ("awaiting_decision", "awaiting_filing", "filed", "follow_up", "closed"),
    "declined": ("awaiting_decision", "follow_up", "closed"),
    "minor": ("follow_up", "closed"),
    "reclassify": ("reclassified",),
}
IVO_EARLY = ("submitted", "awaiting_investigation", "awaiting_assessment", "under_investigation")
IVO_PLAN_WEIGHTS = {
    "lex_sarah": {"serious": 14, "declined": 4, "minor": 76, "reclassify": 6},
    "lex_maria": {"serious": 40, "declined": 10, "minor": 44, "reclassify": 6},
}
DEVIATION_PLANS = {
    "local": ("local_investigation", "follow_up", "closed"),
    "returned": ("escalated", "local_investigation", "follow_up", "closed"),
    "converted": ("escalated", "converted"),
}


class Stop(Exception):
    """The walk reached the case's target state, or the next step would lie in the future."""


@dataclass
class Planned:
    case_type: str
    received: datetime
    target: (
        str | None
    )  # a state to stop in (the last year's coverage), or walk as far as time allows
    # A municipality-shaped year (SHAPES) decides these; otherwise the walker draws them.
    plan: str | None = None
    unit: str | None = None
    category: str | None = None
    kind: str | None = None


@dataclass
class People:
    reporter: User
    nurse: User
    sas: User
    mas: User
    chair: User
    managers: dict[str, User]


def _user(email: str) -> User:
    user = db.session().scalar(select(User).where(User.email == email))
    if user is None:
        raise click.ClickException(f"demoanvändaren {email} saknas")
    return user


def _people() -> People:
    return People(
        reporter=_user("medarbetare@exempelby.se"),
        nurse=_user("sjukskoterska@exempelby.se"),
        sas=_user("sas@exempelby.se"),
        mas=_user("mas@exempelby.se"),
        chair=_user("ordforande@exempelby.se"),
        managers={unit: _user(email) for unit, email, _share in UNITS},
    )


def generated_exists() -> bool:
    session = db.session()
    return (
        session.scalar(select(Case.id).where(Case.description.in_(all_texts())).limit(1))
        is not None
    )


def plan_cases(rng: random.Random, years: range, profile: str, now: datetime) -> list[Planned]:
    planned: list[Planned] = []
    for year in years:
        start = datetime(year, 1, 1, tzinfo=STOCKHOLM)
        # Late-December reports would have their linked cases start the next year.
        end = min(datetime(year, 12, 20, tzinfo=STOCKHOLM), now - timedelta(days=1))
        span = max((end - start).days, 1)
        for case_type, count in PROFILES[profile].items():
            states = flow_for(case_type).states if year == years[-1] else []
            moments = sorted(
                start + timedelta(days=rng.randrange(span), minutes=rng.randrange(7 * 60, 21 * 60))
                for _ in range(max(count, len(states)))
            )
            # The year's last reports are the ones still open: they take the coverage states,
            # the newest the earliest state.
            targets: list[str | None] = [None] * (len(moments) - len(states))
            targets += reversed(states)
            planned += [
                Planned(case_type, m.astimezone(UTC), t)
                for m, t in zip(moments, targets, strict=True)
            ]
    return sorted(planned, key=lambda p: p.received)


def plan_shaped(rng: random.Random, years: range, profile: str) -> list[Planned]:
    """A shaped profile's cases, each with its walk decided so the year comes out exactly.
    Each carries its kind (its walk and what is counted of it), for cloning (``clone_shaped``)."""
    planned: list[Planned] = []
    for offset, shape in SHAPES[profile].items():
        year = years[-1] + offset
        if year in years:
            planned += _shaped_year(rng, year, shape)
    return sorted(planned, key=lambda p: p.received)


def _moment(rng: random.Random, year: int, last_day: int) -> datetime:
    """A working-hours moment between 1 January and the year's ``last_day`` (day of the year):
    a later report could have its filing or conversion fall in the next year."""
    start = datetime(year, 1, 1, tzinfo=STOCKHOLM)
    moment = start + timedelta(days=rng.randrange(last_day), minutes=rng.randrange(7 * 60, 21 * 60))
    return moment.astimezone(UTC)


def _shaped_year(rng: random.Random, year: int, shape: YearShape) -> list[Planned]:
    def plan(case_type: str, kind: str, walk: str | None, **kw: Any) -> Planned:
        # A case filed with IVO is reported early enough to be filed the same year.
        moment = _moment(rng, year, 240 if kind == "lex_sarah_filed" else 340)
        return Planned(case_type, moment, kw.pop("target", None), walk, kind=kind, **kw)

    not_health = [u for u, _m, _s in UNITS if u != "Hemsjukvården"]
    planned = [
        plan("lex_sarah", "lex_sarah_filed", "serious") for _ in range(shape.lex_sarah_filed)
    ]
    planned += [
        plan("lex_sarah", "lex_sarah", rng.choices(["minor", "declined"], [76, 4])[0])
        for _ in range(shape.lex_sarah - shape.lex_sarah_filed)
    ]
    for i in range(shape.converted):
        # Theft becomes lex Sarah; otherwise a care failure outside health care (not lex Maria).
        category = THEFT if i < shape.theft else "Brister i omvårdnad"
        unit = rng.choice(not_health)
        planned.append(plan("deviation", "converted", "converted", unit=unit, category=category))
    pending = max(0, shape.theft - shape.converted)
    for _ in range(pending):
        unit = rng.choice(not_health)
        planned.append(
            plan(
                "deviation", "escalated", "converted", target="escalated", unit=unit, category=THEFT
            )
        )
    for i in range(shape.deviations - pending):
        if i < shape.unassessed:
            planned.append(plan("deviation", "unassessed", None, target="submitted"))
            continue
        walk = rng.choices(["local", "returned"], [85, 12])[0]
        unit = rng.choices([u for u, _m, _s in UNITS], [share for _u, _m, share in UNITS])[0]
        if i - shape.unassessed < shape.falls:
            planned.append(plan("deviation", "fall", walk, unit=unit, category="Fall"))
        else:
            category = _shaped_category(rng, unit, no_falls=shape.falls > 0)
            planned.append(plan("deviation", "deviation", walk, unit=unit, category=category))
    return planned


def _shaped_category(rng: random.Random, unit: str, *, no_falls: bool) -> str:
    """Any category but theft (counted exactly), nor falls where they are counted too."""
    excluded = {THEFT, "Läkemedel" if unit == "Gruppbostaden Linden" else THEFT}
    if no_falls:
        excluded.add("Fall")
    names = [n for n in CATEGORY_WEIGHTS if n not in excluded]
    return rng.choices(names, [CATEGORY_WEIGHTS[n] for n in names])[0]


# How many cases of a kind a shaped year walks through the real operations; the rest of that
# kind are clones of them (app/cli/demo_scale.py's cloner: every row shifted by whole weeks
# within the year). Walking 2,650 deviations would take half an hour; the clones hold the same
# states, rows and figures. Conversions and cases left mid-way are few: all walked.
WALKED = {"lex_sarah_filed": 2, "lex_sarah": 4, "unassessed": 5, "fall": 8, "deviation": 25}


def split_walked(planned: list[Planned]) -> tuple[list[Planned], list[Planned]]:
    """(walked, cloned): the first few of each kind and year walked, the rest cloned."""
    seen: dict[tuple[str | None, int], int] = {}
    walked: list[Planned] = []
    cloned: list[Planned] = []
    for p in planned:
        key = (p.kind, p.received.astimezone(STOCKHOLM).year)
        seen[key] = seen.get(key, 0) + 1
        limit = WALKED.get(p.kind or "")
        (walked if limit is None or seen[key] <= limit else cloned).append(p)
    return walked, cloned


def clone_shaped(
    rng: random.Random,
    cloned: list[Planned],
    prototypes: dict[tuple[str | None, int], list[int]],
    managers: dict[int, int],
    now: datetime,
) -> None:
    """Each planned case as a clone of a walked case of its kind and year, moved by whole weeks
    to near its planned moment and kept within its year (a filed case with its filing)."""
    session = db.session()
    protos = load_prototypes(session)
    groups = {cid: g for gs in protos.groups.values() for g in gs for cid in g.case_ids}
    counters = scale_counters(session)
    cloner = Cloner(session, protos, counters, now, rng)
    for p in cloned:
        year = p.received.astimezone(STOCKHOLM).year
        group = groups[rng.choice(prototypes[(p.kind, year)])]
        first = datetime(year, 1, 1, tzinfo=STOCKHOLM)
        last = datetime(year, 12, 20, tzinfo=STOCKHOLM)
        # A filing comes within about 50 days of the report (Walker.walk_ivo_case).
        filed = p.kind == "lex_sarah_filed"
        reach = group.start + timedelta(days=60 if filed else 0)
        lowest = -((group.start - first) // timedelta(weeks=1))
        highest = (last - reach) // timedelta(weeks=1)
        wanted = (p.received - group.start) // timedelta(weeks=1)
        weeks = min(max(wanted, lowest), highest) if lowest <= highest else 0
        proto = protos.cases[group.case_ids[0]]
        reporter = proto["reporter_id"]
        place = Workplace(proto["unit_id"], managers[proto["unit_id"]], [reporter, reporter])
        cloner.add(Clone(group, timedelta(weeks=weeks), place))
    cloner.flush(Sink(session.connection()))
    save_scale_counters(session, counters)


class Walker:
    """Walks one case (and any case it opens) through its steps, advancing a frozen clock."""

    def __init__(self, rng: random.Random, people: People, now: datetime) -> None:
        self.rng = rng
        self.p = people
        self.now = now
        self.session = db.session()
        self.categories = dict(self.session.execute(select(Category.name, Category.id)).all())
        self.unit_ids = dict(self.session.execute(select(Unit.name, Unit.id)).all())
        self.at = now
        self.target: str | None = None
        self.plan: str | None = None
        self.case: Case | None = None  # the last one reported

    # -- the clock ---------------------------------------------------------------------------

    def step(self, case: Case, days: tuple[float, float], op: Callable[[], Any]) -> None:
        """Runs ``op`` some days after the previous step, unless the case is where it should
        stop, or (walking freely) the moment is still to come."""
        if self.target is not None and case.state == self.target:
            raise Stop
        moment = self.at + timedelta(days=self.rng.uniform(*days))
        if moment >= self.now:
            if self.target is None:
                raise Stop
            moment = max(self.at, self.now - timedelta(minutes=5))
        self.at = moment
        with frozen_now(moment):
            try:
                op()
            except WorkflowError as exc:
                # A refusal here is a bug in the generator (or the flow): say where.
                raise click.ClickException(
                    f"{case.reference} ({case.state}): {exc.message} {exc.field_errors}"
                ) from exc

    def day(self, offset: int = 0) -> str:
        return (self.at.astimezone(STOCKHOLM).date() + timedelta(days=offset)).isoformat()

    # -- reports -----------------------------------------------------------------------------

    def report(self, planned: Planned) -> None:
        self.at = planned.received
        self.target = planned.target
        self.plan = planned.plan
        case_type = planned.case_type
        if case_type == "deviation":
            unit = planned.unit or self._pick_unit()
            category = planned.category or self._pick_category(unit)
            while planned.category is None and (
                category == THEFT and self.target not in (None, "submitted", "escalated")
            ):
                category = self._pick_category(unit)
            text = self.rng.choice(DEVIATION_TEXTS[category])
        else:
            unit = self._pick_unit(HSL_UNITS if case_type == "lex_maria" else None)
            category = ""
            text = self.rng.choice(LEX_MARIA_TEXTS if case_type == "lex_maria" else LEX_SARAH_TEXTS)
        reporter = self.p.nurse if unit == "Hemsjukvården" else self.p.reporter
        occurred = self.at.astimezone(STOCKHOLM) - timedelta(hours=self.rng.choice((1, 2, 5, 20)))
        data = {
            "unit_id": self.unit_ids[unit],
            "description": text,
            "occurred_on": occurred.date().isoformat(),
            "occurred_time": occurred.strftime("%H:%M"),
            "discovered_on": occurred.date().isoformat(),
            "location": f"Avdelning {self.rng.randint(1, 4)}" if "boende" in unit else "",
            "person_informed": self.rng.choice(("yes", "yes", "no")),
            "report_kind": case_type,
            "affected": "patient" if case_type == "lex_maria" else "care_recipient",
            "harm": "none" if case_type == "deviation" else "harmed",
            "medical_device": case_type == "lex_maria" and "pump" in text,
            "persons": [{"description": "Patient" if case_type == "lex_maria" else "Boende"}],
        }
        with frozen_now(self.at):
            [case] = report_event(self.session, reporter, data)
        self.case = case
        try:
            if case_type == "deviation":
                self.walk_deviation(case, unit, category)
            else:
                self.walk_ivo_case(case, unit)
        except Stop:
            # The walk reached today: the case stays in the state it has now.
            return

    def _pick_unit(self, among: tuple[str, ...] | None = None) -> str:
        units = [(u, share) for u, _m, share in UNITS if among is None or u in among]
        return self.rng.choices([u for u, _ in units], [s for _, s in units])[0]

    def _pick_category(self, unit: str) -> str:
        # Theft always becomes lex Sarah, which a health-care-only unit does not have.
        excluded = {"Gruppbostaden Linden": "Läkemedel", "Hemsjukvården": THEFT}.get(unit)
        names = [n for n in CATEGORY_WEIGHTS if n != excluded]
        return self.rng.choices(names, [CATEGORY_WEIGHTS[n] for n in names])[0]

    # -- deviations --------------------------------------------------------------------------

    def _deviation_plan(self, category: str) -> str:
        if self.plan is not None:
            return self.plan
        if category == THEFT:
            return "converted"
        wanted = self.target
        if wanted in (None, "submitted"):
            return self.rng.choices(["local", "returned", "converted"], [85, 12, 3])[0]
        if wanted in ("follow_up", "closed"):
            return self.rng.choices(["local", "returned"], [85, 12])[0]
        return self.rng.choice([p for p, states in DEVIATION_PLANS.items() if wanted in states])

    def walk_deviation(self, case: Case, unit: str, category: str) -> None:
        manager = self.p.managers[unit]
        plan = self._deviation_plan(category)
        if unit == "Hemsjukvården" or (unit in HSL_UNITS and category in HEALTH_CATEGORIES):
            area = "HSL"
        elif unit == "Gruppbostaden Linden":
            area = "LSS"
        else:
            area = "SoL"
        if plan == "local":
            severity, likelihood = self.rng.choice(((1, 1), (1, 2), (1, 3), (2, 1), (2, 2), (2, 3)))
        else:
            severity, likelihood = self.rng.choice(((3, 1), (3, 2), (3, 3), (4, 1), (4, 2)))
        assessment = {
            "legal_area": area,
            "category_id": self.categories[category],
            "severity": severity,
            "likelihood": likelihood,
        }
        self.step(case, (0.5, 4), lambda: fire(self.session, case, manager, "assess", assessment))
        overseer = self.p.mas if area == "HSL" else self.p.sas
        if plan == "converted":
            to_maria = area == "HSL" and category != THEFT
            trigger = "convert_to_lex_maria" if to_maria else "convert_to_lex_sarah"
            comment = {"comment": "Utreds som allvarligt missförhållande/vårdskada."}
            self.step(case, (0.5, 5), lambda: fire(self.session, case, overseer, trigger, comment))
            self._walk_successor(case, unit)
            return
        if plan == "returned":
            comment = {"comment": "Utreds lokalt av enhetschefen."}
            self.step(
                case,
                (0.5, 5),
                lambda: fire(self.session, case, overseer, "return_to_manager", comment),
            )
        cause = self.rng.choice(INVESTIGATION_CAUSES)
        local = {
            "what_happened": "Händelsen gicks igenom med personalen på arbetsplatsträffen.",
            "causes_text": cause[2],
            "measures_text": "Rutinen repeterades med all personal.",
        }
        self.step(case, (2, 15), lambda: save_investigation(self.session, case, manager, local))
        self.step(
            case,
            (0.5, 10),
            lambda: fire(self.session, case, manager, "complete_investigation", {}),
        )
        self.step(
            case, (1, 14), lambda: record_feedback(self.session, case, manager, self._feedback())
        )
        self.step(case, (2, 16), lambda: fire(self.session, case, manager, "close", self._close()))

    def _walk_successor(self, case: Case, unit: str) -> None:
        """The case a conversion or reclassification opened goes its own way from there."""
        successor = self.session.get(Case, case.successor_case_id)
        if successor is None:
            return
        self.target = None
        self.plan = None
        if successor.case_type == "deviation":
            category = self._pick_category(unit)
            while category == THEFT:
                category = self._pick_category(unit)
            self.walk_deviation(successor, unit, category)
        else:
            theft = (
                case.assessment is not None
                and case.assessment.category_id == self.categories[THEFT]
            )
            self.walk_ivo_case(successor, unit, plan="minor", police=theft)

    # -- lex Sarah and lex Maria -------------------------------------------------------------

    def _ivo_plan(self, case_type: str) -> str:
        wanted = self.target
        if wanted is None or wanted in IVO_EARLY or wanted in ("follow_up", "closed"):
            weights = IVO_PLAN_WEIGHTS[case_type]
            plans = [p for p in weights if wanted is None or p != "reclassify"]
            return self.rng.choices(plans, [weights[p] for p in plans])[0]
        return next(p for p, states in IVO_PLANS.items() if wanted in states)

    def walk_ivo_case(
        self, case: Case, unit: str, plan: str | None = None, *, police: bool = False
    ) -> None:
        lex_maria = case.case_type == "lex_maria"
        plan = plan or self.plan or self._ivo_plan(case.case_type)
        manager = self.p.managers[unit]
        investigator = self.p.mas if lex_maria else self.p.sas
        decider = self.p.mas if lex_maria else self.p.chair
        s = self.session
        if plan == "reclassify":
            target_type = "lex_sarah" if lex_maria and unit != "Hemsjukvården" else "deviation"
            data = {"target_type": target_type, "comment": "Händelsen hör till en annan ordning."}
            self.step(case, (1, 5), lambda: fire(s, case, investigator, "reclassify", data))
            self._walk_successor(case, unit)
            return
        measures = {
            "measures": "Personalen informerades och extra tillsyn infördes.",
            "taken_at": self._local_minute(),
        }
        self.step(
            case,
            (0.1, 1),
            lambda: fire(s, case, manager, "record_immediate_measures", measures),
        )
        self.step(case, (0.5, 3), lambda: fire(s, case, investigator, "start_investigation", {}))
        grade = self._grade(lex_maria, serious=plan in ("serious", "declined"))
        self.step(
            case,
            (5, 20),
            lambda: save_investigation(
                s, case, investigator, self._investigation(lex_maria, grade, police)
            ),
        )
        if lex_maria:
            self.step(
                case,
                (0.5, 5),
                lambda: record_patient_information(s, case, investigator, self._informed()),
            )
        action: list[Action] = []
        action_data = {
            "description": "Rutinen ses över och gås igenom med all personal.",
            "owner_id": manager.id,
        }
        self.step(
            case,
            (0, 2),
            lambda: action.append(
                add_action(s, case, investigator, {**action_data, "due_on": self.day(45)})
            ),
        )
        self.step(case, (1, 5), lambda: fire(s, case, investigator, "complete_investigation", {}))
        if plan == "serious":
            approve = {"motivation": "Händelsen är allvarlig och ska anmälas till IVO."}
            self.step(case, (1, 10), lambda: fire(s, case, decider, "approve_filing", approve))
            self.step(
                case, (1, 10), lambda: fire(s, case, investigator, "record_filing", self._filing())
            )
            self.step(
                case,
                (30, 90),
                lambda: fire(s, case, investigator, "record_ivo_response", self._ivo_response()),
            )
        elif plan == "declined":
            decline = {
                "decider_grade": "misconduct" if not lex_maria else "care_injury",
                "motivation": "Risken bedöms inte som påtaglig för ett allvarligt missförhållande.",
            }
            self.step(case, (1, 10), lambda: fire(s, case, decider, "decline_filing", decline))
        completed = {
            "status": "completed",
            "completed_on": "",
            "effect_achieved": self.rng.choice(("yes", "yes", "partly")),
            "effect_evaluation": "Följdes upp på arbetsplatsträff.",
        }
        self.step(
            case,
            (10, 45),
            lambda: update_action(s, action[0], manager, {**completed, "completed_on": self.day()}),
        )
        if case.medical_device:
            self.step(
                case,
                (0, 3),
                lambda: record_medical_device_report(
                    s, case, investigator, {"reported_on": self.day()}
                ),
            )
        self.step(case, (0, 7), lambda: record_feedback(s, case, investigator, self._feedback()))
        self.step(case, (1, 7), lambda: fire(s, case, investigator, "close", self._close()))

    def _local_minute(self) -> str:
        return self.at.astimezone(STOCKHOLM).strftime("%Y-%m-%dT%H:%M")

    def _grade(self, lex_maria: bool, *, serious: bool) -> str:
        if lex_maria:
            grades = ("serious_care_injury", "risk_of_serious_care_injury")
            minor = ("no_care_injury", "risk_of_care_injury", "care_injury")
        else:
            grades = ("serious_misconduct", "risk_of_serious_misconduct")
            minor = ("no_misconduct", "risk_of_misconduct", "misconduct")
        return self.rng.choice(grades if serious else minor)

    def _investigation(self, lex_maria: bool, grade: str, police: bool) -> dict[str, Any]:
        area, cause, text = self.rng.choice(INVESTIGATION_CAUSES)
        data: dict[str, Any] = {
            "what_happened": "Förloppet har klarlagts genom intervjuer med personal och anhöriga.",
            "cause_areas": [area],
            "underlying_causes": [cause],
            "causes_text": text,
            "severity": self.rng.randint(2, 4),
            "likelihood": self.rng.randint(1, 3),
            "measures_text": "Rutinen ses över och gås igenom med all personal.",
            "proposed_grade": grade,
            "grade_motivation": "Bedömningen grundar sig på utredningens iakttagelser.",
        }
        if lex_maria:
            return data | {
                "purpose": "Klarlägga händelseförloppet och orsakerna.",
                "commissioner": "Maria MAS, medicinskt ansvarig sjuksköterska",
                "assignment_date": self.day(),
                "report_due_date": self.day(30),
                "analysis_team": [
                    {"name": "Sanna Sjuksköterska", "role": "analysledare", "unit": ""},
                    {"name": "Ulla Undersköterska", "role": "undersköterska", "unit": ""},
                ],
                "method": "Händelseanalys med tidslinje och orsaksträd.",
                "contributing_factors": "Hög arbetsbelastning.",
                "other_risks": "Samma arbetssätt finns på fler enheter.",
                "analysis_evaluation": "Analysen gav en tydlig bild av förloppet.",
                "commissioner_comment": "Åtgärderna godkänns.",
            }
        return data | {
            "how_noticed": "Personal uppmärksammade det vid tillsyn.",
            "when_occurred": "Vid det tillfälle rapporten anger.",
            "happened_before": "Nej.",
            "other_findings": "",
            "event_types": ["care_support_service_failure"],
            "person_informed": "yes",
            "representative_informed": "yes",
            "person_heard": "yes",
            "noted_in_record": "yes",
            "police_report": "made" if police else "not_required",
        }

    def _informed(self) -> dict[str, Any]:
        recipient = self.rng.choice(("patient", "relative"))
        return {
            "informed_on": self.day(),
            "informed_by": "Maria MAS, medicinskt ansvarig sjuksköterska",
            "recipient": recipient,
            "recipient_name": "Dottern" if recipient == "relative" else "",
            "topics": [
                "injury_occurred",
                "planned_measures",
                "how_to_complain",
                "patient_advisory_committee",
                "ivo_complaint",
                "compensation",
            ],
            "noted_in_patient_record": True,
            "patient_account": "Patienten och de närstående har fått berätta om händelsen.",
        }

    def _filing(self) -> dict[str, str]:
        return {
            "filed_on": self.day(),
            "channel": "e_service",
            "own_case_number": f"SN {self.at.year}/{self.rng.randint(10, 400)}",
        }

    def _ivo_response(self) -> dict[str, str]:
        outcome = self.rng.choices(["closed_duty_fulfilled", "closed_with_criticism"], [4, 1])[0]
        return {"received_on": self.day(), "outcome": outcome, "text": "IVO avslutar ärendet."}

    def _feedback(self) -> dict[str, str]:
        return {
            "feedback_on": self.day(),
            "feedback_channel": self.rng.choice(("direct", "workplace_meeting", "both")),
            "feedback_text": "Tack för din rapport. Utredningen är klar och rutinen är ändrad.",
        }

    def _close(self) -> dict[str, str]:
        return {"person_informed": "yes"}


def _years(text: str) -> range:
    first, _, last = text.partition("-")
    try:
        years = range(int(first), int(last or first) + 1)
    except ValueError as exc:
        raise click.BadParameter(f"inte ett årsintervall: {text}") from exc
    if not years or years[-1] > datetime.now(UTC).year or years[0] < 2000:
        raise click.BadParameter(f"inte ett årsintervall fram till i år: {text}")
    return years


def _mark_read(after_id: int, at: datetime) -> None:
    """The generated years' notifications were dealt with back then: read, as their users
    would have read them."""
    session = db.session()
    rows = session.execute(
        select(Notification.user_id, Notification.id).where(Notification.id > after_id)
    ).all()
    by_user: dict[int, list[int]] = {}
    for user_id, notification_id in rows:
        by_user.setdefault(user_id, []).append(notification_id)
    for user_id, ids in by_user.items():
        user = session.get(User, user_id)
        if user is not None:
            mark_read(session, user, ids, at)


def generate(years: range, profile: str, seed: int | None) -> Iterator[Planned]:
    """Yields each planned case after it is made and committed."""
    session = db.session()
    now = datetime.now(UTC)
    rng = random.Random(seed)  # noqa: S311  (demo data, not secrets)
    walker = Walker(rng, _people(), now)
    last_notification = session.scalar(select(func.max(Notification.id))) or 0
    cloned: list[Planned] = []
    if profile in SHAPES:
        plans, cloned = split_walked(plan_shaped(rng, years, profile))
    else:
        plans = plan_cases(rng, years, profile, now)
    prototypes: dict[tuple[str | None, int], list[int]] = {}
    for planned in plans:
        walker.report(planned)
        session.commit()
        key = (planned.kind, planned.received.astimezone(STOCKHOLM).year)
        if walker.case is not None:
            prototypes.setdefault(key, []).append(walker.case.id)
        yield planned
    if cloned:
        managers = {
            walker.unit_ids[unit]: walker.p.managers[unit].id for unit, _email, _share in UNITS
        }
        clone_shaped(rng, cloned, prototypes, managers, now)
        session.commit()
        yield from cloned
    _mark_read(last_notification, now)
    session.commit()


@demo_cli.command("generate")
@click.option("--years", "years_text", default=None, help="Årsintervall, t.ex. 2023-2025.")
@click.option(
    "--profile",
    type=click.Choice([*PROFILES, *SHAPES]),
    default="small",
    show_default=True,
    help="Antal per år, eller en kommuns år så som den publicerade dem (vanersborg, nassjo).",
)
@click.option("--seed", type=int, default=None, help="Slumpfrö, för samma data varje gång.")
@click.option("--if-empty", is_flag=True, help="Gör ingenting om genererade ärenden redan finns.")
@click.option(
    "--cases",
    type=click.IntRange(min=1),
    default=None,
    help="Nationell skala: så många ärenden till, klonade i bulk (se app/cli/demo_scale.py).",
)
@click.option(
    "--units", type=click.IntRange(min=1), default=2000, show_default=True, help="Med --cases."
)
def generate_command(
    years_text: str | None,
    profile: str,
    seed: int | None,
    if_empty: bool,
    cases: int | None,
    units: int,
) -> None:
    """Generate years of cases of all three types, walked through the real operations; with
    --cases, clone those walked cases in bulk to national scale."""
    this_year = datetime.now(UTC).year
    years = _years(years_text or f"{this_year - 2}-{this_year}")
    seed_demo()
    db.session().commit()
    if cases is not None:
        if not generated_exists():
            _walk(years, profile, seed)
        _scale(cases, units, seed)
        return
    if if_empty and generated_exists():
        click.echo("Genererade demoärenden finns redan.")
        return
    _walk(years, profile, seed)


def _scale(cases: int, units: int, seed: int | None) -> None:
    started = time.monotonic()
    with click.progressbar(length=cases, label="Klonar ärenden i bulk", show_pos=True) as bar:
        for made in generate_scale(cases, units, seed):
            bar.update(made)
    click.echo(f"{cases} ärenden och {units} enheter på {time.monotonic() - started:.0f} s.")


def _walk(years: range, profile: str, seed: int | None) -> None:
    started = time.monotonic()
    count = 0
    with click.progressbar(
        generate(years, profile, seed), length=_count(years, profile), label="Skapar ärenden"
    ) as bar:
        for _planned in bar:
            count += 1
    # One sweep at the end, as the clock would have swept all along: past deadlines of cases
    # still open become overdue now. Its mail is left to the scheduler.
    session = db.session()
    report = sweep(session, utcnow())
    session.commit()
    summary = str(report).splitlines()[-1]  # not every act it did
    click.echo(f"{count} rapporter på {time.monotonic() - started:.0f} s. Svep: {summary}")


def _count(years: range, profile: str) -> int:
    if profile in SHAPES:
        shapes = [shape for offset, shape in SHAPES[profile].items() if years[-1] + offset in years]
        return sum(s.lex_sarah + s.converted + s.deviations for s in shapes)
    per_year = sum(PROFILES[profile].values())
    coverage = sum(max(0, len(flow_for(t).states) - n) for t, n in PROFILES[profile].items())
    return per_year * len(years) + coverage
