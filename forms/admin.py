"""What the system administrator edits (DOMAIN.md §2, §3.3, §5): the deviation categories, the
escalation thresholds of the risk matrix, and which role decides on filing with IVO."""

from __future__ import annotations

import re
from typing import Any

from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from wtforms import (
    BooleanField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TextAreaField,
    ValidationError,
)
from wtforms.validators import InputRequired, Length, Optional
from wtforms.widgets import TextInput

from app.labels import CASE_TYPE_LABELS, ROLE_LABELS

from .base import AppForm, options, required, required_choice

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


class FactorField(WholeNumberField):
    """A factor such as 1,5 (Swedish decimal comma or a point), from 1 to 10: a text input,
    since a number input refuses the comma in some browsers."""

    widget = TextInput()

    def process_formdata(self, valuelist: list[Any]) -> None:
        if not valuelist or not str(valuelist[0]).strip():
            self.data = None
            return
        try:
            value = float(str(valuelist[0]).strip().replace(",", "."))
        except ValueError as exc:
            self.data = None
            raise ValueError(_l("Ange ett tal, t.ex. 2 eller 1,5.")) from exc
        if not 1 <= value <= 10:
            self.data = None
            raise ValueError(_l("Ange ett tal från 1 till 10."))
        self.data = value  # type: ignore[assignment]

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return "" if self.data is None else f"{float(self.data):g}".replace(".", ",")


def between(low: int, high: int) -> Any:
    message = _l("Ange ett heltal från %(low)d till %(high)d.", low=low, high=high)

    def check(_form: Any, field: Any) -> None:
        if field.data is not None and not low <= field.data <= high:
            raise ValidationError(message)

    return check


class CategoryForm(AppForm):
    # The record's values as the page showed them (app/admin/versions.py).
    loaded_version = HiddenField(_l("Uppgifternas version när sidan visades"))
    name = StringField(_l("Namn"), validators=[required(), Length(max=120)])
    always_escalate = BooleanField(
        _l("Eskaleras alltid till SAS eller MAS"),
        description=_l(
            "Oavsett allvarlighetsgrad och riskpoäng, till exempel stöld och ekonomiska övergrepp."
        ),
    )
    escalate_to = SelectField(
        _l("Blir alltid ett ärende av typen"),
        choices=options(
            [
                ("", _l("Ingen bestämd – SAS eller MAS avgör")),
                *((t, CASE_TYPE_LABELS[t]) for t in ESCALATE_TO),
            ]
        ),
        default="",
        validators=[Optional()],
        description=_l("Gäller bara kategorier som alltid eskaleras."),
    )
    police_report = BooleanField(_l("Ska alltid polisanmälas"))
    active = BooleanField(
        _l("Aktiv"),
        default=True,
        description=_l(
            "En inaktiv kategori kan inte väljas vid nya bedömningar men finns kvar i äldre ärenden."
        ),
    )
    sort_order = WholeNumberField(
        _l("Sorteringsordning"),
        default=0,
        validators=[Optional(), between(0, 9999)],
        description=_l("Lägre tal visas först. Kategorier med samma tal visas i bokstavsordning."),
    )

    def validate_escalate_to(self, field: Any) -> None:
        if field.data and not self.always_escalate.data:
            raise ValidationError(
                _l("Välj ”Eskaleras alltid” om kategorin alltid ska bli ett visst slags ärende.")
            )


def _role_choices() -> list[Any]:
    return options((r, ROLE_LABELS[r]) for r in DECIDING_ROLES)


def _retention_field(label: Any) -> Any:
    return WholeNumberField(
        label,
        validators=[InputRequired(message=_l("Fältet måste fyllas i.")), between(1, 50)],
        description=_l("Antal hela år efter att ärendet avslutades (1–50). Standard: 5."),
    )


# What the document management plan says of a case type (DOMAIN.md §9, rev. 2).
RETENTION_PLAN_LABELS = {
    "purge": _l("Gallras"),
    "keep": _l("Bevaras: levereras till e-arkivet innan det gallras här"),
}


def _plan_field(label: Any) -> Any:
    return RadioField(
        label, choices=options(RETENTION_PLAN_LABELS.items()), validators=[required_choice()]
    )


class SettingsForm(AppForm):
    # The record's values as the page showed them (app/admin/versions.py).
    loaded_version = HiddenField(_l("Uppgifternas version när sidan visades"))
    escalation_severity = WholeNumberField(
        _l("Eskalera vid allvarlighetsgrad från och med"),
        validators=[InputRequired(message=_l("Fältet måste fyllas i.")), between(1, 4)],
        description=_l("1 Mindre, 2 Måttlig, 3 Betydande, 4 Katastrofal. Standard: 3."),
    )
    escalation_score = WholeNumberField(
        _l("Eskalera vid riskpoäng från och med"),
        validators=[InputRequired(message=_l("Fältet måste fyllas i.")), between(1, 16)],
        description=_l(
            "Riskpoäng = allvarlighetsgrad × sannolikhet för upprepning (1–16). Standard: 8."
        ),
    )
    deciding_role_lex_sarah = RadioField(
        _l("Beslutar om anmälan till IVO i lex Sarah-ärenden"),
        choices=_role_choices(),
        validators=[required_choice()],
    )
    deciding_role_lex_maria = RadioField(
        _l("Beslutar om anmälan till IVO i lex Maria-ärenden"),
        choices=_role_choices(),
        validators=[required_choice()],
    )
    retention_lex_sarah = _retention_field(_l("Lex Sarah-ärenden gallras efter (år)"))
    retention_lex_maria = _retention_field(_l("Lex Maria-ärenden gallras efter (år)"))
    retention_deviation = _retention_field(_l("Avvikelser gallras efter (år)"))
    retention_complaint = _retention_field(_l("Synpunkter och klagomål gallras efter (år)"))
    retention_plan_lex_sarah = _plan_field(_l("Lex Sarah-ärenden enligt dokumenthanteringsplanen"))
    retention_plan_lex_maria = _plan_field(_l("Lex Maria-ärenden enligt dokumenthanteringsplanen"))
    retention_plan_deviation = _plan_field(_l("Avvikelser enligt dokumenthanteringsplanen"))
    retention_plan_complaint = _plan_field(
        _l("Synpunkter och klagomål enligt dokumenthanteringsplanen")
    )
    pattern_min_cases = WholeNumberField(
        _l("Återkommande mönster: minst antal ärenden under perioden"),
        validators=[InputRequired(message=_l("Fältet måste fyllas i.")), between(1, 1000)],
        description=_l("Färre ärenden än så visas aldrig som ett mönster (1–1000). Standard: 5."),
    )
    pattern_factor = FactorField(
        _l("Återkommande mönster: minst så många gånger enhetens eget snitt"),
        validators=[InputRequired(message=_l("Fältet måste fyllas i."))],
        description=_l(
            "Jämfört med snittet för lika långa perioder före perioden, t.ex. 2 eller 1,5 "
            "(1–10). Standard: 2."
        ),
    )


# Each settings field and the key it is stored under (app/models/settings.py).
SETTING_KEYS = {
    "escalation_severity": "escalation.severity",
    "escalation_score": "escalation.score",
    "deciding_role_lex_sarah": "deciding_role.lex_sarah",
    "deciding_role_lex_maria": "deciding_role.lex_maria",
    "retention_lex_sarah": "retention.lex_sarah",
    "retention_lex_maria": "retention.lex_maria",
    "retention_deviation": "retention.deviation",
    "retention_complaint": "retention.complaint",
    "retention_plan_lex_sarah": "retention_plan.lex_sarah",
    "retention_plan_lex_maria": "retention_plan.lex_maria",
    "retention_plan_deviation": "retention_plan.deviation",
    "retention_plan_complaint": "retention_plan.complaint",
    "pattern_min_cases": "statistics.pattern_min_cases",
    "pattern_factor": "statistics.pattern_factor",
}


# --- The deadline policy (DOMAIN.md §4) --------------------------------------------------------

DURATION_UNIT_LABELS = {
    "hours": _l("timmar"),
    "calendar_days": _l("kalenderdagar"),
    "working_days": _l("arbetsdagar"),
    "months": _l("månader"),
    "own_date": _l("åtgärdens eget slutdatum"),
}
ESCALATION_TARGET_LABELS = {
    "superior": _l("Chefens chef (chefen för enheten ovanför)"),
    "oversight": _l("SAS eller MAS"),
    "head_of_administration": _l("Förvaltningschefen"),
}
CAP_ANCHOR_LABELS = {"report_received": _l("rapporten kom in"), "event": _l("händelsen inträffade")}
BASIS_KIND_CHOICES = {"law": _l("Lag eller föreskrift"), "local_routine": _l("Lokal rutin")}
RULE_FIELD_LABELS = {
    "duration_value": _l("Tidsfristens längd"),
    "duration_unit": _l("Räknas i"),
    "reminders": _l("Påminnelser före tidsfristen"),
    "escalation_target": _l("Eskaleras först till"),
    "second_escalation_target": _l("Eskaleras sedan till"),
    "second_escalation_after": _l("Andra eskaleringen efter"),
    "second_escalation_unit": _l("Räknat i"),
    "cap_months": _l("Aldrig senare än (månader)"),
    "cap_anchor": _l("räknat från att"),
    "legal_basis": _l("Grund"),
    "basis_kind": _l("Grunden är"),
    "enabled": _l("Tidsfristen gäller"),
}

# Reminders as the admin writes them: "halvvägs", "1 arbetsdag", "2 dagar", "4 timmar" — or, on
# the English pages, "halfway", "1 working day", "2 days", "4 hours". Either is read whatever the
# page's language, so a value copied from one still works on the other.
_REMINDER = re.compile(
    r"^(\d{1,3})\s*(timme|timmar|dag|dagar|arbetsdag|arbetsdagar|hours?|days?|working\s+days?)"
    r"(\s+(före|before))?$"
)
_REMINDER_UNITS = {
    "timme": "h",
    "timmar": "h",
    "dag": "d",
    "dagar": "d",
    "arbetsdag": "wd",
    "arbetsdagar": "wd",
    "hour": "h",
    "hours": "h",
    "day": "d",
    "days": "d",
    "working day": "wd",
    "working days": "wd",
}
_HALFWAY = ("halvvägs", "half", "halfway")


def _reminder_words(unit: str, n: int) -> str:
    if unit == "h":
        return ngettext("%(num)d timme", "%(num)d timmar", n)
    if unit == "d":
        return ngettext("%(num)d dag", "%(num)d dagar", n)
    return ngettext("%(num)d arbetsdag", "%(num)d arbetsdagar", n)


def parse_reminders(text: str) -> list[str]:
    """'halvvägs, 1 arbetsdag' → ['half', '1wd']; raises ValueError on anything else."""
    specs = []
    for part in (p.strip().lower() for p in text.split(",")):
        if not part:
            continue
        if part in _HALFWAY:
            specs.append("half")
            continue
        match = _REMINDER.match(part) or re.match(r"^(\d{1,3})(h|d|wd)$", part)
        if match is None:
            raise ValueError(part)
        unit = " ".join(match.group(2).split())
        specs.append(f"{int(match.group(1))}{_REMINDER_UNITS.get(unit, unit)}")
    return specs


def reminders_text(specs: list[str]) -> str:
    words = []
    for spec in specs:
        if spec == "half":
            words.append(gettext("halvvägs"))
            continue
        match = re.match(r"^(\d+)(h|d|wd)$", spec)
        if match is None:
            words.append(spec)
            continue
        words.append(_reminder_words(match.group(2), int(match.group(1))))
    return ", ".join(words)


class RemindersField(StringField):
    """Text in, a list of reminder codes out (``data``); the text is kept as typed."""

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0]) if valuelist else ""
        try:
            self.data = parse_reminders(text)
        except ValueError as exc:
            self.data = []
            raise ValueError(
                _l("Skriv påminnelserna som till exempel ”halvvägs, 1 arbetsdag”.")
            ) from exc

    def process_data(self, value: Any) -> None:
        self.data = list(value or [])

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return reminders_text(self.data or [])

    def pre_validate(self, form: Any) -> None:
        if len(self.data or []) > 2:
            raise ValidationError(_l("Ange högst två påminnelser."))


def _choices(labels: dict[str, Any], blank: Any = None) -> list[Any]:
    pairs = list(labels.items())
    return options(([("", blank)] if blank is not None else []) + pairs)


class DeadlineRuleForm(AppForm):
    # The record's values as the page showed them (app/admin/versions.py).
    loaded_version = HiddenField(_l("Uppgifternas version när sidan visades"))
    duration_value = WholeNumberField(
        RULE_FIELD_LABELS["duration_value"],
        validators=[InputRequired(message=_l("Fältet måste fyllas i.")), between(0, 1000)],
    )
    duration_unit = SelectField(
        RULE_FIELD_LABELS["duration_unit"],
        choices=_choices(DURATION_UNIT_LABELS),
        validators=[required_choice()],
    )
    reminders = RemindersField(
        RULE_FIELD_LABELS["reminders"],
        description=_l(
            "Högst två, åtskilda med kommatecken: ”halvvägs”, eller en tid före, "
            "t.ex. ”1 arbetsdag”, ”2 dagar”, ”4 timmar”. Tomt: inga påminnelser."
        ),
    )
    escalation_target = SelectField(
        RULE_FIELD_LABELS["escalation_target"],
        choices=_choices(ESCALATION_TARGET_LABELS),
        validators=[required_choice()],
    )
    second_escalation_target = SelectField(
        RULE_FIELD_LABELS["second_escalation_target"],
        choices=_choices(ESCALATION_TARGET_LABELS, blank=_l("Ingen andra eskalering")),
        default="",
    )
    second_escalation_after = WholeNumberField(
        RULE_FIELD_LABELS["second_escalation_after"],
        validators=[InputRequired(message=_l("Fältet måste fyllas i.")), between(0, 1000)],
    )
    second_escalation_unit = SelectField(
        RULE_FIELD_LABELS["second_escalation_unit"],
        choices=_choices(
            {k: DURATION_UNIT_LABELS[k] for k in ("hours", "calendar_days", "working_days")}
        ),
        validators=[required_choice()],
    )
    cap_months = WholeNumberField(
        RULE_FIELD_LABELS["cap_months"],
        validators=[Optional(), between(1, 120)],
        description=_l(
            "Tidsfristen blir den tidigaste av längden ovan och detta tak. Tomt: inget tak."
        ),
    )
    cap_anchor = SelectField(
        RULE_FIELD_LABELS["cap_anchor"],
        choices=_choices(CAP_ANCHOR_LABELS, blank=_l("Inget tak")),
        default="",
    )
    legal_basis = TextAreaField(
        RULE_FIELD_LABELS["legal_basis"],
        validators=[required(), Length(max=2000)],
        description=_l("Lagrum eller rutin, som den visas på ärendesidan."),
    )
    basis_kind = RadioField(
        RULE_FIELD_LABELS["basis_kind"],
        choices=_choices(BASIS_KIND_CHOICES),
        validators=[required_choice()],
    )
    enabled = BooleanField(
        RULE_FIELD_LABELS["enabled"],
        description=_l("En avstängd tidsfrist skapas inte i nya ärenden."),
    )
    note = StringField(
        _l("Anledning till ändringen"),
        validators=[Length(max=500)],
        description=_l("Syns i versionshistoriken, t.ex. ett beslut i nämnden."),
    )

    def validate_cap_anchor(self, field: Any) -> None:
        if (self.cap_months.data is None) != (not field.data):
            raise ValidationError(
                _l("Ange både taket i månader och vad det räknas från, eller inget av dem.")
            )
