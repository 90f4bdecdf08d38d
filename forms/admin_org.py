"""The organisation as the system administrator edits it (DOMAIN.md §2): users with their roles
and the units they lead, and the tree of units förvaltning → verksamhetsområde → enhet.

The choices that come from the database (units, managers) are handed in by the caller; what
needs the database beyond them (a taken e-mail, a cycle in the tree) is checked by the
operations in app/admin/users.py and app/admin/units.py."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from flask_babel import lazy_gettext as _l
from wtforms import EmailField, HiddenField, RadioField, StringField, ValidationError
from wtforms.validators import Length, Optional

from app.labels import LEGAL_AREA_LABELS, ROLE_LABELS
from app.models.org import LEGAL_AREAS, ROLES, UNIT_KINDS

from .admin import WholeNumberField
from .base import AppForm, options, required, required_choice
from .investigation import CheckboxesField

# What each role may do, in a line the administrator can choose by (DOMAIN.md §2).
ROLE_EXPLANATIONS = {
    "reporter": _l(
        "Rapporterar händelser och ser hur de egna rapporterna går och vilken återkoppling som "
        "getts, men aldrig utredningen."
    ),
    "manager": _l(
        "Ansvarar för sina enheter och enheterna under dem: omedelbara åtgärder, bedömning och "
        "lokal utredning av avvikelser, åtgärder."
    ),
    "sas": _l(
        "Utreder alla lex Sarah-ärenden och avvikelser enligt SoL och LSS, föreslår beslut, "
        "anmäler till IVO och avslutar."
    ),
    "mas": _l(
        "Utreder alla lex Maria-ärenden och avvikelser enligt HSL, beslutar om och gör anmälan "
        "till IVO och avslutar."
    ),
    "chair": _l(
        "Beslutar på förslag av SAS om ett lex Sarah-ärende ska anmälas till IVO och ser samlad "
        "statistik."
    ),
    "admin": _l(
        "Sköter användare, enheter, tidsfrister och inställningar. Ser inget innehåll i ärenden."
    ),
    "log_reviewer": _l("Läser åtkomstloggen och gör stickprovsgranskningar av den."),
}

UNIT_KIND_LABELS = {
    "administration": _l("Förvaltning"),
    "area": _l("Verksamhetsområde"),
    "unit": _l("Enhet"),
}
# A unit sits below a unit of a higher kind: förvaltning 0, verksamhetsområde 1, enhet 2.
KIND_RANK = {kind: rank for rank, kind in enumerate(UNIT_KINDS)}

# Enough to catch a slip of the keyboard; whether the address works shows when mail arrives.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s.]+$")


def _valid_email(_form: Any, field: Any) -> None:
    if field.data and not _EMAIL.match(field.data.strip()):
        raise ValidationError(_l("Skriv e-postadressen som namn@exempel.se."))


class UserForm(AppForm):
    # The record's values as the page showed them (app/admin/versions.py).
    loaded_version = HiddenField(_l("Uppgifternas version när sidan visades"))
    name = StringField(_l("Namn"), validators=[required(), Length(max=200)])
    email = EmailField(
        _l("E-postadress"),
        validators=[required(), Length(max=254), _valid_email],
        description=_l("Används för inloggning och för mejl från Lexflöde."),
    )
    title = StringField(
        _l("Titel"),
        validators=[Optional(), Length(max=200)],
        description=_l("Till exempel undersköterska eller enhetschef."),
    )
    employer = StringField(
        _l("Arbetsgivare"),
        validators=[Optional(), Length(max=200)],
        description=_l("Fylls i för inhyrd personal och personal hos utförare på entreprenad."),
    )
    roles = CheckboxesField(
        _l("Roller"),
        choices=options((r, ROLE_LABELS[r]) for r in ROLES),
        description=_l("En användare kan ha flera roller."),
    )
    managed_units = CheckboxesField(
        _l("Leder enheterna"),
        coerce=int,
        description=_l(
            "Bara för enhetschefer. En chef ansvarar också för alla enheter under de valda."
        ),
    )

    # Recorded with the change in the administrative trail (app/audit/admin_trail.py).
    reason = StringField(
        _l("Anledning"),
        validators=[Optional(), Length(max=500)],
        description=_l(
            "Frivilligt. Till exempel ett ärendenummer eller vem som beställt behörigheten. "
            "Sparas i den administrativa loggen."
        ),
    )

    def __init__(
        self, *args: Any, unit_choices: Iterable[tuple[int, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.managed_units.choices = options(unit_choices)

    def validate_roles(self, field: Any) -> None:
        if not field.data:
            raise ValidationError(_l("Välj minst en roll."))

    def validate_managed_units(self, field: Any) -> None:
        is_manager = "manager" in (self.roles.data or [])
        if is_manager and not field.data:
            raise ValidationError(_l("En enhetschef måste leda minst en enhet."))
        if field.data and not is_manager:
            raise ValidationError(
                _l(
                    "Bara enhetschefer kan leda enheter. Välj rollen Enhetschef eller ta bort "
                    "enheterna."
                )
            )


class UnitForm(AppForm):
    # The record's values as the page showed them (app/admin/versions.py).
    loaded_version = HiddenField(_l("Uppgifternas version när sidan visades"))
    name = StringField(_l("Namn"), validators=[required(), Length(max=200)])
    kind = RadioField(
        _l("Typ"),
        choices=options((k, UNIT_KIND_LABELS[k]) for k in UNIT_KINDS),
        validators=[required_choice()],
    )
    # Chosen from a list of units (the page offers names); the operation checks the tree.
    # No Optional(): it would stop the check below, which needs a parent for all but the top.
    parent_id = WholeNumberField(
        _l("Ligger under"),
        description=_l(
            "Ett verksamhetsområde ligger under en förvaltning, en enhet under ett "
            "verksamhetsområde eller en förvaltning. En förvaltning ligger högst upp."
        ),
    )
    legal_areas = CheckboxesField(
        _l("Lagstiftning"),
        choices=options((a, LEGAL_AREA_LABELS[a]) for a in LEGAL_AREAS),
        description=_l(
            "Vilka lagar verksamheten bedrivs enligt. Styr om avvikelser går till SAS eller MAS."
        ),
    )
    managers = CheckboxesField(
        _l("Enhetschefer"),
        coerce=int,
        description=_l("Användare med rollen Enhetschef. En enhet kan ha flera chefer."),
    )

    def __init__(
        self, *args: Any, manager_choices: Iterable[tuple[int, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.managers.choices = options(manager_choices)

    def validate_parent_id(self, field: Any) -> None:
        if self.kind.data == "administration":
            if field.data is not None:
                raise ValidationError(
                    _l("En förvaltning ligger högst upp och har ingen överordnad.")
                )
        elif self.kind.data in KIND_RANK and field.data is None:
            raise ValidationError(_l("Välj vilken enhet den ligger under."))

    def validate_legal_areas(self, field: Any) -> None:
        if self.kind.data == "unit" and not field.data:
            raise ValidationError(_l("Välj minst en lag som enheten arbetar enligt."))
