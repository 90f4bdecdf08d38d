"""What the system administrator edits (DOMAIN.md §2, §3.3, §5): the deviation categories, the
escalation thresholds of the risk matrix, and which role decides on filing with IVO."""

from __future__ import annotations

from typing import Any

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import (
    BooleanField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional

from app.labels import CASE_TYPE_LABELS, ROLE_LABELS

from .base import options, required, required_choice

# The roles a committee may delegate the filing decision to (Kommunallagen 6 kap. 37–40 §§).
DECIDING_ROLES = ("chair", "sas", "mas")
ESCALATE_TO = ("lex_sarah", "lex_maria")


class WholeNumberField(IntegerField):
    """An integer field that says what is wrong in the form's own words."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            self.data = int(str(valuelist[0]).strip())
        except ValueError as exc:
            self.data = None
            raise ValueError(_l("Ange ett heltal.")) from exc


def between(low: int, high: int) -> Any:
    message = _l("Ange ett heltal från %(low)d till %(high)d.", low=low, high=high)

    def check(_form: Any, field: Any) -> None:
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError(message)

    return check


class CategoryForm(FlaskForm):
    name = StringField(_l("Namn"), validators=[required(), Length(max=120)])
    always_escalate = BooleanField(
        _l("Eskaleras alltid till SAS eller MAS"),
        description=_l("Oavsett allvarlighetsgrad och riskpoäng, till exempel stöld och ekonomiska övergrepp."),
    )
    escalate_to = SelectField(
        _l("Blir alltid ett ärende av typen"),
        choices=options([("", _l("Ingen bestämd – SAS eller MAS avgör")),
                         *((t, CASE_TYPE_LABELS[t]) for t in ESCALATE_TO)]),
        default="", validators=[Optional()],
        description=_l("Gäller bara kategorier som alltid eskaleras."),
    )
    police_report = BooleanField(_l("Ska alltid polisanmälas"))
    active = BooleanField(
        _l("Aktiv"), default=True,
        description=_l("En inaktiv kategori kan inte väljas vid nya bedömningar men finns kvar i äldre ärenden."),
    )
    sort_order = WholeNumberField(
        _l("Sorteringsordning"), default=0, validators=[Optional(), between(0, 9999)],
        description=_l("Lägre tal visas först. Kategorier med samma tal visas i bokstavsordning."),
    )

    def validate_escalate_to(self, field: Any) -> None:
        if field.data and not self.always_escalate.data:
            raise ValidationError(
                _l("Välj ”Eskaleras alltid” om kategorin alltid ska bli ett visst slags ärende.")
            )


def _role_choices() -> list[Any]:
    return options((r, ROLE_LABELS[r]) for r in DECIDING_ROLES)


class SettingsForm(FlaskForm):
    escalation_severity = WholeNumberField(
        _l("Eskalera vid allvarlighetsgrad från och med"),
        validators=[InputRequired(message=_l("Fältet måste fyllas i.")), between(1, 4)],
        description=_l("1 Mindre, 2 Måttlig, 3 Betydande, 4 Katastrofal. Standard: 3."),
    )
    escalation_score = WholeNumberField(
        _l("Eskalera vid riskpoäng från och med"),
        validators=[InputRequired(message=_l("Fältet måste fyllas i.")), between(1, 16)],
        description=_l("Riskpoäng = allvarlighetsgrad × sannolikhet för upprepning (1–16). Standard: 8."),
    )
    deciding_role_lex_sarah = RadioField(
        _l("Beslutar om anmälan till IVO i lex Sarah-ärenden"), choices=_role_choices(),
        validators=[required_choice()],
    )
    deciding_role_lex_maria = RadioField(
        _l("Beslutar om anmälan till IVO i lex Maria-ärenden"), choices=_role_choices(),
        validators=[required_choice()],
    )


# Each settings field and the key it is stored under (app/models/settings.py).
SETTING_KEYS = {
    "escalation_severity": "escalation.severity",
    "escalation_score": "escalation.score",
    "deciding_role_lex_sarah": "deciding_role.lex_sarah",
    "deciding_role_lex_maria": "deciding_role.lex_maria",
}
