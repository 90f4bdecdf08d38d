"""Swedish labels (via the i18n layer) for the contract names of DOMAIN.md."""

from flask_babel import lazy_gettext as _l

# The later states of lex Sarah and lex Maria read the same (DOMAIN.md §3.2: "as lex Sarah").
_IVO_STATES = {
    "under_investigation": _l("Under utredning"),
    "awaiting_decision": _l("Förslag till beslut"),
    "awaiting_filing": _l("Beslut om anmälan – skickas till IVO"),
    "filed": _l("Anmäld till IVO"),
    "follow_up": _l("Uppföljning av åtgärder"),
    "closed": _l("Avslutad"),
    "reclassified": _l("Omklassificerad"),
}

STATE_LABELS = {
    "lex_sarah": {
        **_IVO_STATES,
        "submitted": _l("Rapport inkommen"),
        "awaiting_investigation": _l("Väntar på utredning"),
    },
    "lex_maria": {
        **_IVO_STATES,
        "submitted": _l("Händelse rapporterad"),
        "awaiting_assessment": _l("Väntar på MAS bedömning"),
        "under_investigation": _l("Under utredning (händelseanalys)"),
    },
    "deviation": {
        "submitted": _l("Avvikelse rapporterad"),
        "escalated": _l("Bedöms av SAS/MAS"),
        "local_investigation": _l("Utreds lokalt"),
        "follow_up": _l("Uppföljning av åtgärder"),
        "closed": _l("Avslutad"),
        "converted": _l("Omvandlad till lex Sarah eller lex Maria"),
    },
    "complaint": {
        "received": _l("Inkommen"),
        "acknowledged": _l("Mottagen"),
        "under_investigation": _l("Utreds"),
        "answered": _l("Besvarad"),
        "closed": _l("Avslutad"),
        "escalated": _l("Vidare till lex Sarah, lex Maria eller avvikelse"),
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
    "assess": _l("Bedöm avvikelsen"),
    "convert_to_lex_sarah": _l("Gör om till lex Sarah-ärende"),
    "convert_to_lex_maria": _l("Gör om till lex Maria-ärende"),
    "return_to_manager": _l("Återför till enhetschefen för lokal utredning"),
    "converted_from": _l("Skapat från avvikelse"),
    "reported_together": _l("Rapporterat tillsammans med ett annat ärende"),
    "record_patient_information": _l("Information till patienten registrerad"),
    "record_feedback": _l("Återkoppling till den som rapporterade registrerad"),
    "record_medical_device_report": _l("Rapport till Läkemedelsverket registrerad"),
    "add_co_investigator": _l("Medutredare tillagd"),
    "remove_co_investigator": _l("Medutredare borttagen"),
    "release_records": _l("Allmän handling utlämnad"),
    "record_own_case_number": _l("Nämndens diarienummer registrerat"),
    "register_complaint": _l("Synpunkt eller klagomål registrerat"),
    "acknowledge": _l("Bekräfta mottagandet"),
    "assign": _l("Utse utredare"),
    "answer": _l("Registrera svaret"),
    "escalate_to_lex_sarah": _l("Gå vidare som lex Sarah-ärende"),
    "escalate_to_lex_maria": _l("Gå vidare som lex Maria-ärende"),
    "escalate_to_deviation": _l("Gå vidare som avvikelse"),
    "escalated_from": _l("Skapat från synpunkt eller klagomål"),
    "update_findings": _l("Utredningen av klagomålet uppdaterad"),
    "mark_spam": _l("Markerat som skräp"),
    "record_unanswerable": _l("Kan inte besvaras: kontaktuppgift saknas"),
    "sender_message": _l("Meddelande från avsändaren"),
    "reply_to_sender": _l("Meddelande till avsändaren"),
}

CASE_TYPE_LABELS = {
    "lex_sarah": _l("Lex Sarah"),
    "lex_maria": _l("Lex Maria"),
    "deviation": _l("Avvikelse"),
    "complaint": _l("Synpunkt eller klagomål"),
}

COMPLAINT_KIND_LABELS = {
    "complaint": _l("Klagomål"),
    "suggestion": _l("Synpunkt eller förslag"),
    "question": _l("Fråga"),
    "praise": _l("Beröm"),
}
COMPLAINT_SENDER_LABELS = {
    "care_recipient": _l("Den som får omsorg eller stöd"),
    "patient": _l("Patient"),
    "relative": _l("Närstående"),
    "staff": _l("Medarbetare"),
    "organisation": _l("Annan myndighet eller organisation"),
    "anonymous": _l("Anonym"),
}
COMPLAINT_CHANNEL_LABELS = {
    "e_service": _l("E-tjänsten"),
    "letter": _l("Brev"),
    "phone": _l("Telefon"),
    "in_person": _l("Personligt besök"),
    "patient_committee": _l("Via patientnämnden"),
    "ivo": _l("Via IVO"),
}
COMPLAINT_ANSWER_CHANNEL_LABELS = {
    "letter": _l("Brev"),
    "email": _l("E-post"),
    "phone": _l("Telefon"),
    "in_person": _l("Personligt möte"),
    "e_service": _l("E-tjänsten (kvittokoden)"),
    "ivo": _l("Till IVO"),
}

ROLE_LABELS = {
    "reporter": _l("Medarbetare"),
    "manager": _l("Enhetschef"),
    "sas": _l("Socialt ansvarig samordnare (SAS)"),
    "mas": _l("Medicinskt ansvarig sjuksköterska (MAS)"),
    "chair": _l("Nämndens ordförande"),
    "admin": _l("Systemförvaltare"),
    "log_reviewer": _l("Logggranskare"),
    # Who sent through the public e-service without an account (DOMAIN.md §3.5 rev. 2).
    "sender": _l("Avsändare utan konto"),
}

GRADE_LABELS = {
    "no_misconduct": _l("Inget missförhållande"),
    "risk_of_misconduct": _l("Påtaglig risk för missförhållande"),
    "misconduct": _l("Missförhållande"),
    "risk_of_serious_misconduct": _l("Påtaglig risk för allvarligt missförhållande"),
    "serious_misconduct": _l("Allvarligt missförhållande"),
    "no_care_injury": _l("Ingen vårdskada"),
    "risk_of_care_injury": _l("Kunde ha medfört vårdskada"),
    "care_injury": _l("Vårdskada"),
    "risk_of_serious_care_injury": _l("Kunde ha medfört allvarlig vårdskada"),
    "serious_care_injury": _l("Allvarlig vårdskada"),
}

LEGAL_AREA_LABELS = {
    "SoL": _l("Socialtjänstlagen (SoL)"),
    "LSS": _l("LSS"),
    "HSL": _l("Hälso- och sjukvårdslagen (HSL)"),
}

# The reporter's plain questions (DOMAIN.md §3: a reporter never has to know the laws' names).
AFFECTED_LABELS = {
    "care_recipient": _l(
        "En person som får omsorg eller stöd (till exempel hemtjänst, boende, LSS)"
    ),
    "patient": _l("En patient i hälso- och sjukvården (till exempel läkemedel, sår, hemsjukvård)"),
    "both": _l("Både omsorg och hälso- och sjukvård berörs"),
    "unknown": _l("Ingen särskild person, eller vet inte"),
}
HARM_LABELS = {
    "harmed": _l("Ja, någon kom till skada eller for illa"),
    "risk": _l("Nej, men det var nära – någon kunde ha kommit till skada eller farit illa"),
    "none": _l("Nej, ingen skada och ingen allvarlig risk"),
    "unknown": _l("Vet inte"),
}
REPORT_KIND_LABELS = {
    "auto": _l("Föreslå utifrån mina svar"),
    "deviation": _l("Avvikelse – något som inte blev som det skulle"),
    "lex_sarah": _l("Missförhållande eller risk i omsorg eller stöd (lex Sarah)"),
    "lex_maria": _l("Vårdskada eller risk för vårdskada (lex Maria)"),
    "both": _l("Både missförhållande i omsorgen och vårdskada (lex Sarah och lex Maria)"),
}
INFORMATION_TOPIC_LABELS = {
    "injury_occurred": _l("Att en vårdskada har inträffat"),
    "planned_measures": _l("Vilka åtgärder vårdgivaren planerar"),
    "how_to_complain": _l("Hur man lämnar klagomål till vårdgivaren"),
    "patient_advisory_committee": _l("Möjligheten att vända sig till patientnämnden"),
    "ivo_complaint": _l("Möjligheten att klaga hos IVO"),
    "compensation": _l("Möjligheten till ersättning (patientförsäkringen, läkemedelsförsäkringen)"),
}
RECIPIENT_LABELS = {"patient": _l("Patienten"), "relative": _l("Närstående")}

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


# Whether an investigation item states a fact or an assessment (SOSFS 2011:5 5 kap.).
STATEMENT_KIND_LABELS = {"fact": _l("Faktauppgift"), "assessment": _l("Bedömning")}
REPRESENTATIVE_LABELS = {
    "yes": _l("Ja"),
    "no": _l("Nej"),
    "no_representative": _l("Den enskilde har ingen företrädare"),
}
# The items of each investigation (app.models.investigation.ITEMS), as the page and the PDF
# name them.
ITEM_LABELS = {
    "lex_sarah": {
        "what_happened": _l("1. Missförhållandet eller risken och dess konsekvenser"),
        "how_noticed": _l("2. När och hur det uppmärksammades"),
        "when_occurred": _l("3. När det inträffade"),
        "causes": _l("4. Orsaker"),
        "happened_before": _l("5. Har liknande hänt tidigare?"),
        "risk": _l("6. Risk för upprepning"),
        "measures": _l("7. Åtgärder"),
        "other_findings": _l("8. Annat som framkommit"),
        "proposal": _l("9. Förslag till bedömning"),
    },
    "lex_maria": {
        "assignment": _l("Uppdrag"),
        "analysis_team": _l("Analysteam"),
        "method": _l("Metod"),
        "what_happened": _l("Händelsebeskrivning"),
        "causes": _l("Identifierade orsaker"),
        "underlying_causes": _l("Bakomliggande orsaker"),
        "contributing_factors": _l("Bidragande faktorer och andra risker"),
        "risk": _l("Risk för upprepning"),
        "measures": _l("Åtgärder"),
        "analysis_evaluation": _l("Utvärdering av analysen"),
        "commissioner_comment": _l("Uppdragsgivarens kommentar"),
        "proposal": _l("Förslag till bedömning"),
    },
}
