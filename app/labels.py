"""Swedish labels (via the i18n layer) for the contract names of DOMAIN.md."""

from flask_babel import lazy_gettext as _l

STATE_LABELS = {
    "lex_sarah": {
        "submitted": _l("Rapport inkommen"),
        "awaiting_investigation": _l("Väntar på utredning"),
        "under_investigation": _l("Under utredning"),
        "awaiting_decision": _l("Förslag till beslut"),
        "awaiting_filing": _l("Beslut om anmälan – skickas till IVO"),
        "filed": _l("Anmäld till IVO"),
        "follow_up": _l("Uppföljning av åtgärder"),
        "closed": _l("Avslutad"),
        "reclassified": _l("Omklassificerad"),
    },
}

TRIGGER_LABELS = {
    "submit": _l("Rapport inlämnad"),
    "record_immediate_measures": _l("Dokumentera omedelbara åtgärder"),
    "start_investigation": _l("Starta utredning"),
    "complete_investigation": _l("Slutför utredning"),
    "propose_early_filing": _l("Föreslå tidig anmälan till IVO"),
    "approve_filing": _l("Besluta om anmälan till IVO"),
    "decline_filing": _l("Besluta att inte anmäla"),
    "return_to_investigator": _l("Återsänd till utredaren"),
    "record_filing": _l("Registrera anmälan till IVO"),
    "record_ivo_response": _l("Registrera IVO:s svar"),
    "close": _l("Avsluta ärendet"),
    "reopen": _l("Återuppta ärendet"),
    "reclassify": _l("Omklassificera"),
    "update_investigation": _l("Utredningen uppdaterad"),
    "add_action": _l("Åtgärd tillagd"),
    "update_action": _l("Åtgärd uppdaterad"),
    "record_investigation_sent": _l("Utredningen skickad till IVO"),
    "add_attachment": _l("Bilaga tillagd"),
    "created_from": _l("Skapat genom omklassificering"),
}

CASE_TYPE_LABELS = {
    "lex_sarah": _l("Lex Sarah"),
    "lex_maria": _l("Lex Maria"),
    "deviation": _l("Avvikelse"),
}

ROLE_LABELS = {
    "reporter": _l("Medarbetare"),
    "manager": _l("Enhetschef"),
    "sas": _l("Socialt ansvarig samordnare (SAS)"),
    "mas": _l("Medicinskt ansvarig sjuksköterska (MAS)"),
    "chair": _l("Nämndens ordförande"),
    "admin": _l("Systemförvaltare"),
    "log_reviewer": _l("Logggranskare"),
}

GRADE_LABELS = {
    "no_misconduct": _l("Inget missförhållande"),
    "risk_of_misconduct": _l("Påtaglig risk för missförhållande"),
    "misconduct": _l("Missförhållande"),
    "risk_of_serious_misconduct": _l("Påtaglig risk för allvarligt missförhållande"),
    "serious_misconduct": _l("Allvarligt missförhållande"),
}

CAUSE_AREA_LABELS = {
    "communication": _l("Kommunikation och information"),
    "environment_organisation": _l("Omgivning och organisation"),
    "processes_routines": _l("Processer, rutiner och riktlinjer"),
    "technology_equipment": _l("Teknik, utrustning och apparatur"),
    "training_competence": _l("Utbildning och kompetens"),
}

UNDERLYING_CAUSE_LABELS = {
    "communication_failure": _l("Brist i kommunikation"),
    "time_pressure": _l("Tidsbrist/arbetsbelastning"),
    "lack_of_knowledge": _l("Kunskapsbrist"),
    "routine_missing_or_not_followed": _l("Rutin saknas eller följs inte"),
    "technical_fault": _l("Tekniskt fel"),
    "other": _l("Övrigt"),
}

EVENT_TYPE_LABELS = {
    "physical_or_psychological_abuse": _l("Fysisk eller psykisk kränkning"),
    "care_support_service_failure": _l("Brister i omsorg, stöd eller service"),
    "financial_irregularity": _l("Ekonomiska oegentligheter"),
    "treatment_integrity_failure": _l("Brister i bemötande eller integritet"),
    "legal_certainty_failure": _l("Brister i rättssäkerhet"),
}

SEVERITY_LABELS = {1: _l("Mindre"), 2: _l("Måttlig"), 3: _l("Betydande"), 4: _l("Katastrofal")}
LIKELIHOOD_LABELS = {1: _l("Mycket liten"), 2: _l("Liten"), 3: _l("Stor"), 4: _l("Mycket stor")}

FILING_CHANNEL_LABELS = {"e_service": _l("IVO:s e-tjänst"), "post": _l("Post")}

IVO_OUTCOME_LABELS = {
    "closed_duty_fulfilled": _l("Ärendet avslutat – utredningsplikten fullgjord"),
    "closed_with_criticism": _l("Avslutat med kritik"),
    "supplement_requested": _l("Begäran om komplettering"),
    "supervision_opened": _l("Tillsyn inleds"),
}

INFORMED_LABELS = {"yes": _l("Ja"), "no": _l("Nej"), "unknown": _l("Vet inte")}
PERSON_INFORMED_AT_CLOSE = {
    "yes": _l("Ja, personen eller företrädaren har informerats"),
    "no": _l("Nej"),
    "not_possible": _l("Inte möjligt (t.ex. okänd person)"),
}
FEEDBACK_CHANNEL_LABELS = {
    "direct": _l("Direkt till den som rapporterade"),
    "workplace_meeting": _l("På arbetsplatsträff (APT)"),
    "both": _l("Både direkt och på APT"),
}
POLICE_REPORT_LABELS = {
    "not_required": _l("Behövs inte"),
    "required": _l("Ska polisanmälas"),
    "made": _l("Polisanmälan gjord"),
}
ACTION_STATUS_LABELS = {
    "planned": _l("Planerad"),
    "completed": _l("Genomförd"),
    "handed_over": _l("Överlämnad till enhetens plan"),
}
EFFECT_LABELS = {"yes": _l("Ja"), "partly": _l("Delvis"), "no": _l("Nej")}


def state_label(case_type: str, state: str) -> str:
    return str(STATE_LABELS.get(case_type, {}).get(state, state))
