"""The report (rapport) a member of staff submits. Plain words: no legal knowledge needed."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from stdnum.se import personnummer
from wtforms import (
    BooleanField,
    DateField,
    FieldList,
    FormField,
    MultipleFileField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    TimeField,
    ValidationError,
)
from wtforms.validators import Length, Optional

from app.labels import AFFECTED_LABELS, HARM_LABELS, INFORMED_LABELS, REPORT_KIND_LABELS

from .base import StepForm, SubForm, not_in_future, options, required, required_choice


def valid_personnummer(_form: Any, field: Any) -> None:
    if not field.data:
        return
    if not personnummer.is_valid(field.data):
        raise ValidationError(
            _l("Personnumret är inte giltigt. Skriv ÅÅÅÅMMDD-NNNN och kontrollera sista siffran.")
        )


class PersonForm(SubForm):
    name = StringField(_l("Namn"), validators=[Optional(), Length(max=200)])
    personnummer = StringField(
        _l("Personnummer"),
        validators=[Optional(), valid_personnummer],
        description=_l("Frivilligt. ÅÅÅÅMMDD-NNNN."),
    )
    description = StringField(
        _l("Beskrivning"),
        validators=[Optional(), Length(max=300)],
        description=_l("Till exempel ”boende på avdelning 2” om du inte vet namnet."),
    )


# The plain questions the report page asks with no answer chosen beforehand: a preselected "Vet
# inte" turned an injured resident's report into a deviation. The API, whose clients may not
# know them, still reads a missing answer as "unknown" (records.create_reported_case).
QUESTIONS_ON_THE_PAGE = {
    "affected": _l("Svara på vem som berördes. Välj ”vet inte” om du inte vet."),
    "harm": _l("Svara på om någon kom till skada eller kunde ha gjort det."),
}


def unanswered(data: Any) -> dict[str, list[str]]:
    """The page's plain questions left without an answer, as field errors."""
    return {
        name: [str(message)]
        for name, message in QUESTIONS_ON_THE_PAGE.items()
        if not str(data.get(name) or "").strip()
    }


class ReportForm(StepForm):
    # Plain questions first: they decide what kind of case the report becomes.
    affected = RadioField(
        _l("Vem berördes?"),
        choices=options(AFFECTED_LABELS.items()),
        validators=[Optional()],
    )
    harm = RadioField(
        _l("Kom någon till skada, eller kunde någon ha gjort det?"),
        choices=options(HARM_LABELS.items()),
        validators=[Optional()],
    )
    report_kind = SelectField(
        _l("Vad gäller rapporten?"),
        choices=options(REPORT_KIND_LABELS.items()),
        default="auto",
        validators=[Optional()],
        description=_l(
            "Vi föreslår utifrån dina svar. Du kan ändra – den som utreder kan också ändra senare."
        ),
    )
    medical_device = BooleanField(
        _l("En medicinteknisk produkt var inblandad (till exempel lyft, säng, infusionspump)")
    )
    unit_id = SelectField(_l("Var hände det? (enhet)"), coerce=int, validators=[required_choice()])
    occurred_on = DateField(
        _l("När hände det? (datum)"),
        validators=[Optional(), not_in_future],
        description=_l("Lämna tomt om du inte vet."),
    )
    occurred_time = TimeField(_l("Klockslag, om du vet"), validators=[Optional()])
    discovered_on = DateField(_l("När upptäcktes det?"), validators=[Optional(), not_in_future])
    location = StringField(
        _l("Plats"),
        validators=[Optional(), Length(max=300)],
        description=_l("Till exempel rum, avdelning eller adress."),
    )
    description = TextAreaField(
        _l("Vad hände?"),
        validators=[required(), Length(max=20000)],
        description=_l("Beskriv med egna ord vad som hände eller vad som riskerade att hända."),
    )
    reporter_actions = TextAreaField(
        _l("Vad har du redan gjort?"),
        validators=[Optional(), Length(max=10000)],
        description=_l(
            "Till exempel om du larmade, tillkallade sjuksköterska eller informerade chefen."
        ),
    )
    person_informed = SelectField(
        _l("Har personen eller en anhörig fått veta vad som hänt?"),
        choices=options(INFORMED_LABELS.items()),
        default="unknown",
        validators=[required_choice()],
    )
    persons = FieldList(
        FormField(PersonForm), label=_l("Vem eller vilka berördes?"), min_entries=1, max_entries=10
    )
    attachments = MultipleFileField(_l("Bilagor"), validators=[Optional()])

    def __init__(
        self, *args: Any, unit_choices: list[tuple[int, str]] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.unit_id.choices = options([(0, _l("Välj enhet")), *(unit_choices or [])])

    def validate_unit_id(self, field: Any) -> None:
        if not field.data:
            raise ValidationError(_l("Välj enheten där det hände."))
