"""Forms for the investigation (SOSFS 2011:5 5 kap.) and its actions."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    IntegerField,
    RadioField,
    SelectField,
    SelectMultipleField,
    StringField,
    TextAreaField,
    widgets,
)
from wtforms.validators import Length, Optional

from app.labels import (
    ACTION_STATUS_LABELS,
    CAUSE_AREA_LABELS,
    EFFECT_LABELS,
    EVENT_TYPE_LABELS,
    GRADE_LABELS,
    LIKELIHOOD_LABELS,
    POLICE_REPORT_LABELS,
    REPRESENTATIVE_LABELS,
    SEVERITY_LABELS,
    STATEMENT_KIND_LABELS,
    UNDERLYING_CAUSE_LABELS,
)
from app.models.investigation import GRADES, ITEM_KEYS, SERIOUS_GRADES

from .base import StepForm, SubForm, numbered, options, required, required_choice

YES_NO = options([("yes", _l("Ja")), ("no", _l("Nej"))])
TEXT = [Optional(), Length(max=20000)]


class CheckboxesField(SelectMultipleField):
    widget = widgets.ListWidget(prefix_label=False)
    option_widget = widgets.CheckboxInput()


class StartInvestigationForm(StepForm):
    investigator_id = IntegerField(
        _l("Utredare"),
        validators=[Optional()],
        description=_l("Lämna tomt för att själv bli utredare."),
    )


class ParticipantForm(SubForm):
    """One member of the analysis team; a row left empty is no member."""

    name = StringField(_l("Namn"), validators=[Optional(), Length(max=200)])
    role = StringField(
        _l("Roll"),
        validators=[Optional(), Length(max=200)],
        description=_l("Till exempel sjuksköterska, analysledare."),
    )
    unit = StringField(_l("Enhet"), validators=[Optional(), Length(max=200)])
    # Works without JavaScript: a ticked row is left out when the investigation is saved.
    remove = BooleanField(_l("Ta bort deltagaren"))


# The most participants one form takes; a larger team is unheard of in an event analysis.
MAX_PARTICIPANTS = 30


class InvestigationForm(StepForm):
    """Saved as often as the investigator likes; completeness is checked on completion."""

    what_happened = TextAreaField(
        _l(
            "1. Vad missförhållandet eller risken bestod i och dess faktiska eller möjliga konsekvenser för den enskilde"
        ),
        validators=TEXT,
    )
    how_noticed = TextAreaField(_l("2. När och hur det uppmärksammades"), validators=TEXT)
    when_occurred = TextAreaField(_l("3. När det inträffade"), validators=TEXT)
    cause_areas = CheckboxesField(
        _l("4. Orsaksområden"), choices=options(CAUSE_AREA_LABELS.items()), validators=[Optional()]
    )
    underlying_causes = CheckboxesField(
        _l("Bakomliggande orsaker"),
        choices=options(UNDERLYING_CAUSE_LABELS.items()),
        validators=[Optional()],
    )
    causes_text = TextAreaField(_l("Beskrivning av orsakerna"), validators=TEXT)
    happened_before = TextAreaField(
        _l("5. Har liknande hänt tidigare, och i så fall varför det upprepades"), validators=TEXT
    )
    severity = SelectField(
        _l("6. Allvarlighetsgrad"),
        choices=options(
            [("", "—")] + [(str(k), numbered(k, v)) for k, v in SEVERITY_LABELS.items()]
        ),
        validators=[Optional()],
    )
    likelihood = SelectField(
        _l("Sannolikhet för upprepning"),
        choices=options(
            [("", "—")] + [(str(k), numbered(k, v)) for k, v in LIKELIHOOD_LABELS.items()]
        ),
        validators=[Optional()],
    )
    measures_text = TextAreaField(
        _l("7. Åtgärder som vidtagits och planeras"),
        validators=TEXT,
        description=_l("Planerade åtgärder läggs också in som åtgärder med ansvarig och datum."),
    )
    other_findings = TextAreaField(_l("8. Annat som framkommit"), validators=TEXT)
    proposed_grade = SelectField(
        _l("9. Det rapporterade utgjorde (förslag)"), validators=[Optional()]
    )
    grade_motivation = TextAreaField(_l("Motivering"), validators=TEXT)
    event_types = CheckboxesField(
        _l("Typ av händelse"), choices=options(EVENT_TYPE_LABELS.items()), validators=[Optional()]
    )
    person_informed = RadioField(
        _l("Har den enskilde informerats?"), choices=YES_NO, validators=[Optional()]
    )
    representative_informed = RadioField(
        _l("Har den enskildes företrädare informerats?"),
        choices=options(REPRESENTATIVE_LABELS.items()),
        validators=[Optional()],
        description=_l("God man, förvaltare eller anhörig."),
    )
    person_heard = RadioField(
        _l("Har den enskilde fått lämna synpunkter?"), choices=YES_NO, validators=[Optional()]
    )
    noted_in_record = RadioField(
        _l("Är händelsen dokumenterad i personakten?"), choices=YES_NO, validators=[Optional()]
    )
    police_report = RadioField(
        _l("Polisanmälan"),
        choices=options(POLICE_REPORT_LABELS.items()),
        validators=[Optional()],
        description=_l("Stöld och ekonomiska övergrepp polisanmäls alltid."),
    )

    # Lex Maria: the event analysis (händelseanalys) adds its assignment, team and method.
    purpose = TextAreaField(_l("Uppdrag: syfte med analysen"), validators=TEXT)
    commissioner = StringField(_l("Uppdragsgivare"), validators=[Optional(), Length(max=200)])
    assignment_date = DateField(_l("Datum för uppdraget"), validators=[Optional()])
    report_due_date = DateField(_l("Analysen ska vara klar"), validators=[Optional()])
    analysis_team = FieldList(
        FormField(ParticipantForm),
        label=_l("Analysteam: deltagare"),
        max_entries=MAX_PARTICIPANTS,
    )
    method = TextAreaField(_l("Metod"), validators=TEXT)
    contributing_factors = TextAreaField(_l("Bidragande faktorer"), validators=TEXT)
    other_risks = TextAreaField(_l("Andra risker som upptäckts"), validators=TEXT)
    analysis_evaluation = TextAreaField(_l("Utvärdering av analysen"), validators=TEXT)
    commissioner_comment = TextAreaField(_l("Uppdragsgivarens kommentar"), validators=TEXT)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposed_grade.choices = [*options([("", "—")]), *grade_choices(self.case)]

    def item_note(self, item: str) -> tuple[Any, Any]:
        """The two fields an item's statement is qualified with: its source and its kind."""
        return self[f"{item}_source"], self[f"{item}_kind"]


# Each item's source (varifrån uppgiften kommer) and whether it states a fact or an assessment
# (SOSFS 2011:5 5 kap.), one pair per item of app.models.investigation.ITEMS: "causes_source",
# "causes_kind". WTForms' form class takes fields set on it before it is first instantiated.
for _item in ITEM_KEYS:
    setattr(
        InvestigationForm,
        f"{_item}_source",
        StringField(
            _l("Källa: varifrån uppgiften kommer"),
            validators=[Optional(), Length(max=2000)],
            description=_l("Till exempel samtal med personal, journalen eller den enskilde."),
        ),
    )
    setattr(
        InvestigationForm,
        f"{_item}_kind",
        RadioField(
            _l("Uppgiften är"),
            choices=options(STATEMENT_KIND_LABELS.items()),
            validators=[Optional()],
        ),
    )


class CompleteInvestigationForm(StepForm):
    """Completing takes no new data: what is checked is the saved investigation."""


def grade_choices(case: Any, *, serious: bool | None = None) -> list[Any]:
    """The grades of the case's own law; ``serious`` narrows to those that go (or not) to IVO."""
    grades = GRADES.get(getattr(case, "case_type", "lex_sarah"), GRADES["lex_sarah"])
    return options(
        (g, GRADE_LABELS[g]) for g in grades if serious is None or (g in SERIOUS_GRADES) == serious
    )


class EarlyFilingForm(StepForm):
    proposed_grade = SelectField(_l("Det rapporterade utgör"), validators=[required_choice()])
    grade_motivation = TextAreaField(
        _l("Motivering till tidig anmälan"), validators=[required(), Length(max=20000)]
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposed_grade.choices = grade_choices(self.case, serious=True)


class ActionForm(StepForm):
    description = TextAreaField(_l("Åtgärd"), validators=[required(), Length(max=5000)])
    owner_id = IntegerField(_l("Ansvarig"), validators=[required()])
    due_on = DateField(_l("Klar senast"), validators=[required()])


class ActionUpdateForm(StepForm):
    status = SelectField(
        _l("Status"),
        choices=options(ACTION_STATUS_LABELS.items()),
        validators=[required_choice()],
    )
    completed_on = DateField(_l("Genomförd datum"), validators=[Optional()])
    effect_achieved = RadioField(
        _l("Ledde åtgärden till önskad effekt?"),
        choices=options(EFFECT_LABELS.items()),
        validators=[Optional()],
    )
    effect_evaluation = TextAreaField(_l("Utvärdering av effekten"), validators=TEXT)
    handed_over_note = TextAreaField(_l("Överlämnad till (plan och ansvarig)"), validators=TEXT)
