"""JSON Schemas of what the API answers, one per shape serialize.py, sections.py, deadlines.py,
units.py and the statistics export build. Written by hand beside the code that builds each
shape (a dict literal has no type to read them off); tests/api/test_response_schemas.py checks
every operation's real answers against them, so a key added there without one here fails.

Objects are closed (``additionalProperties: false``): a client may rely on knowing every key.
"""

from __future__ import annotations

from typing import Any

from app.models import CASE_TYPES
from app.models.complaint import CHANNELS, COMPLAINT_KINDS, SENDER_ROLES
from app.models.org import LEGAL_AREAS, UNIT_KINDS
from workflows.permissions import ALL_SECTIONS

JsonSchema = dict[str, Any]


def obj(
    required: dict[str, JsonSchema], optional: dict[str, JsonSchema] | None = None
) -> JsonSchema:
    return {
        "type": "object",
        "required": list(required),
        "properties": {**required, **(optional or {})},
        "additionalProperties": False,
    }


def nullable(schema: JsonSchema) -> JsonSchema:
    if "$ref" in schema or "enum" in schema or "type" not in schema:
        return {"anyOf": [schema, {"type": "null"}]}
    kind = schema["type"]
    return {**schema, "type": [*(kind if isinstance(kind, list) else [kind]), "null"]}


def ref(name: str) -> JsonSchema:
    return {"$ref": f"#/components/schemas/{name}"}


def array(items: JsonSchema) -> JsonSchema:
    return {"type": "array", "items": items}


STRING: JsonSchema = {"type": "string"}
INTEGER: JsonSchema = {"type": "integer"}
BOOLEAN: JsonSchema = {"type": "boolean"}
ID: JsonSchema = {"type": "integer", "minimum": 1}
MOMENT: JsonSchema = {"type": "string", "format": "date-time", "description": "UTC, ISO 8601."}
DAY: JsonSchema = {"type": "string", "format": "date"}
CLOCK: JsonSchema = {"type": "string", "pattern": r"^\d{2}:\d{2}$"}
URL: JsonSchema = {"type": "string", "format": "uri-reference"}
STRINGS = array(STRING)
YES_NO = {"enum": ["yes", "no", None]}


def response_schemas(states: list[str]) -> dict[str, JsonSchema]:
    person = obj({"id": ID, "name": STRING})
    unit = obj({"id": ID, "name": STRING, "path": STRING})
    case_type = {"enum": list(CASE_TYPES)}
    summary = {
        "id": ID,
        "reference": STRING,
        "case_type": case_type,
        "case_type_label": STRING,
        "state": {"enum": states},
        "state_label": STRING,
        "version": {
            "type": "integer",
            "minimum": 1,
            "description": "Changes with every write; name it in expected_version or If-Match.",
        },
        "unit": ref("UnitRef"),
        "received_at": MOMENT,
        "updated_at": MOMENT,
        "closed_at": nullable(MOMENT),
        "purged_at": nullable(MOMENT),
        "url": URL,
    }
    link = nullable(
        obj(
            {
                "id": ID,
                "reference": STRING,
                "case_type": case_type,
                "url": URL,
                "may_open": BOOLEAN,
            }
        )
    )
    sections = sorted(ALL_SECTIONS)
    feedback = obj(
        {
            "id": INTEGER,
            "feedback_on": nullable(DAY),
            "feedback_channel": nullable(STRING),
            "feedback_text": nullable(STRING),
            "recorded_at": nullable(MOMENT),
        }
    )
    case_required = {
        **summary,
        "sections": {**array({"enum": sections}), "description": "What this caller sees."},
        "available_triggers": {
            **STRINGS,
            "description": "The steps this caller could take now (POST …/transitions).",
        },
        "available_records": {
            **STRINGS,
            "description": (
                "The recording steps (the state stays) this caller could take now: "
                "update_investigation, add_action, update_action, add_attachment, "
                "add_investigation_attachment, record_investigation_sent, "
                "record_patient_information, record_medical_device_report, record_feedback, "
                "add_co_investigator, remove_co_investigator, release_records "
                "(a records request, taken on the case page)."
            ),
        },
        "links": obj(
            {
                "origin": link,
                "successor": link,
                "related": link,
                "events": nullable(URL),
            }
        ),
    }
    case_optional = {
        "report": ref("CaseReport"),
        "persons": array(
            obj(
                {
                    "id": ID,
                    "name": STRING,
                    "personnummer": nullable(STRING),
                    "description": STRING,
                }
            )
        ),
        "immediate_measures": nullable(
            obj(
                {
                    "none_needed": BOOLEAN,
                    "measures": STRING,
                    "none_needed_reason": STRING,
                    "taken_at": nullable(MOMENT),
                    "recorded_by": nullable(person),
                    "recorded_at": MOMENT,
                }
            )
        ),
        "medical_device": obj({"involved": BOOLEAN, "reported_on": nullable(DAY)}),
        "investigator": nullable(person),
        "investigation": nullable(ref("Investigation")),
        "co_investigators": array(obj({"id": ID, "name": STRING, "added_at": MOMENT})),
        "assessment": nullable(
            obj(
                {
                    "legal_area": {"enum": list(LEGAL_AREAS)},
                    "category": obj({"id": ID, "name": STRING}),
                    "severity": INTEGER,
                    "likelihood": INTEGER,
                    "score": INTEGER,
                    "escalated": BOOLEAN,
                    "police_report": BOOLEAN,
                    "assessed_by": nullable(person),
                    "assessed_at": MOMENT,
                }
            )
        ),
        "patient_information": array(ref("PatientInformation")),
        "actions": array(ref("Action")),
        "decisions": array(
            obj(
                {
                    "id": ID,
                    "outcome": STRING,
                    "motivation": STRING,
                    "decider_grade": nullable(STRING),
                    "proposed_grade": nullable(STRING),
                    "early": BOOLEAN,
                    "decider": obj({"id": INTEGER, "name": STRING}),
                    "decider_role": STRING,
                    "decided_at": MOMENT,
                }
            )
        ),
        "filings": array(
            obj(
                {
                    "id": ID,
                    "filed_on": DAY,
                    "channel": STRING,
                    "ivo_case_number": STRING,
                    "own_case_number": STRING,
                    "recorded_at": MOMENT,
                }
            )
        ),
        "ivo_responses": array(
            obj(
                {
                    "id": ID,
                    "received_on": DAY,
                    "outcome": STRING,
                    "text": STRING,
                    "recorded_at": MOMENT,
                }
            )
        ),
        "obligations": array(
            obj(
                {
                    "kind": {"enum": ["investigation_to_ivo", "medical_device_report"]},
                    "due_at": nullable(MOMENT),
                    "overdue": BOOLEAN,
                }
            )
        ),
        "feedback": array(feedback),
        "closures": array(
            obj({"closed_at": nullable(MOMENT), "person_informed": nullable(STRING)})
        ),
    }
    case_optional["complaint"] = obj(
        {
            "kind": {"enum": list(COMPLAINT_KINDS)},
            "sender_role": {"enum": list(SENDER_ROLES)},
            "channel": {"enum": list(CHANNELS)},
            "sender_name": STRING,
            "sender_contact": STRING,
            "ivo_case_number": STRING,
            "ivo_answer_by": nullable(DAY),
            "units": array(obj({"id": ID, "name": STRING})),
            "acknowledged_at": nullable(MOMENT),
            "receipt_sent": BOOLEAN,
            "spam": BOOLEAN,
            "findings": nullable(STRING),
            "themes": nullable(array(obj({"id": ID, "name": STRING}))),
            "answer": nullable(obj({"answered_on": DAY, "channel": STRING, "text": STRING})),
            "unanswerable": nullable(BOOLEAN),
        }
    )
    case = obj(case_required, case_optional)
    case["description"] = (
        "A case as the caller may see it: the parts outside ``sections`` are left out."
    )
    created = obj(
        case_required,
        {
            **case_optional,
            "created": array(obj({"id": ID, "reference": STRING, "case_type": case_type})),
        },
    )
    created["required"] = [*case_required, "created"]
    event = obj(
        {
            "id": ID,
            "at": MOMENT,
            "actor": obj({"id": nullable(INTEGER), "name": STRING}),
            "actor_role": STRING,
            "trigger": STRING,
            "trigger_label": STRING,
            "from_state": nullable(STRING),
            "to_state": STRING,
            "data": nullable({"type": "object"}),
            "comment": nullable(STRING),
            "redacted": {
                "type": "boolean",
                "description": "True when data and comment belong to a section the caller "
                "does not see (both null then).",
            },
        },
        {"case_id": ID, "case_reference": STRING},
    )
    deadline = obj(
        {
            "id": ID,
            "kind": STRING,
            "kind_label": STRING,
            "start_at": MOMENT,
            "due_at": MOMENT,
            "status": STRING,
            "status_label": STRING,
            "status_reason": nullable(STRING),
            "met_at": nullable(MOMENT),
            "overdue": BOOLEAN,
            "late": nullable(BOOLEAN),
            "escalation_level": INTEGER,
            "action_id": nullable(INTEGER),
            "responsible": obj(
                {"role": nullable(STRING), "role_label": nullable(STRING), "user": nullable(person)}
            ),
            "rule": obj(
                {
                    "version": INTEGER,
                    "duration": obj({"value": INTEGER, "unit": STRING}),
                    "legal_basis": STRING,
                    "basis_kind": STRING,
                    "basis_kind_label": STRING,
                }
            ),
        }
    )
    return {
        "PersonRef": person,
        "UnitRef": unit,
        "CaseSummary": obj(summary),
        "CaseList": obj(
            {
                "items": array(ref("CaseSummary")),
                "page": {
                    **nullable({"type": "integer", "minimum": 1}),
                    "description": "Null in a page reached by a cursor.",
                },
                "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
                "total": {"type": "integer", "minimum": 0},
                "total_exact": {
                    "type": "boolean",
                    "description": "False: there are more than total (counted to 1 000).",
                },
                "next": nullable(URL),
                "prev": nullable(URL),
            }
        ),
        "Case": case,
        "CaseCreated": created,
        "CaseReport": obj(
            {
                "occurred_on": nullable(DAY),
                "occurred_time": nullable(CLOCK),
                "discovered_on": nullable(DAY),
                "location": nullable(STRING),
                "description": STRING,
                "reporter_actions": nullable(STRING),
                "person_informed": nullable(STRING),
                "affected": nullable(STRING),
                "harm": nullable(STRING),
                "medical_device": BOOLEAN,
                "reporter": obj(
                    {
                        "id": nullable(INTEGER),
                        "name": nullable(STRING),
                        "title": nullable(STRING),
                        "employer": nullable(STRING),
                    }
                ),
                "attachments": array(
                    obj(
                        {
                            "id": ID,
                            "filename": STRING,
                            "content_type": STRING,
                            "size": INTEGER,
                            "uploaded_at": MOMENT,
                        }
                    )
                ),
            }
        ),
        "Investigation": obj(
            {
                "what_happened": STRING,
                "how_noticed": STRING,
                "when_occurred": STRING,
                "cause_areas": STRINGS,
                "underlying_causes": STRINGS,
                "causes_text": STRING,
                "happened_before": STRING,
                "severity": nullable(INTEGER),
                "likelihood": nullable(INTEGER),
                "measures_text": STRING,
                "other_findings": STRING,
                "proposed_grade": nullable(STRING),
                "grade_motivation": STRING,
                "event_types": STRINGS,
                "person_informed": YES_NO,
                "person_heard": YES_NO,
                "representative_informed": {"enum": ["yes", "no", "no_representative", None]},
                "noted_in_record": YES_NO,
                "police_report": nullable(STRING),
                "purpose": STRING,
                "commissioner": STRING,
                "assignment_date": nullable(DAY),
                "report_due_date": nullable(DAY),
                "analysis_team": array(obj({"name": STRING, "role": STRING, "unit": STRING})),
                "method": STRING,
                "contributing_factors": STRING,
                "other_risks": STRING,
                "analysis_evaluation": STRING,
                "commissioner_comment": STRING,
                "number": {"type": "integer", "minimum": 1},
                "started_at": MOMENT,
                "completed_at": nullable(MOMENT),
                "locked": BOOLEAN,
                "writable": BOOLEAN,
                "risk_score": nullable(INTEGER),
                "items": {
                    **array(
                        obj(
                            {
                                "item": STRING,
                                "source": STRING,
                                "kind": {"enum": ["fact", "assessment", None]},
                                "written_by": nullable(
                                    obj(
                                        {
                                            "id": nullable(INTEGER),
                                            "name": STRING,
                                            "title": STRING,
                                        }
                                    )
                                ),
                                "written_at": nullable(MOMENT),
                            }
                        )
                    ),
                    "description": "Each item of the case type's investigation (SOSFS 2011:5 "
                    "5 kap.): who wrote it (name and title as recorded), when, its source and "
                    "whether it states a fact or an assessment. Written as <item>_source and "
                    "<item>_kind.",
                },
                "item_authors": {
                    "type": "object",
                    "description": "Field name to who last wrote it and when.",
                    "additionalProperties": {"type": "object"},
                },
                "early_filing": BOOLEAN,
                "sent_to_ivo_on": nullable(DAY),
            }
        ),
        "PatientInformation": obj(
            {
                "id": ID,
                "informed_on": DAY,
                "informed_by": STRING,
                "recipient": STRING,
                "recipient_name": STRING,
                "topics": STRINGS,
                "noted_in_patient_record": BOOLEAN,
                "patient_account": STRING,
                "recorded_by": nullable(person),
                "recorded_at": MOMENT,
            }
        ),
        "Action": obj(
            {
                "id": ID,
                "description": STRING,
                "owner": nullable(person),
                "due_on": DAY,
                "status": STRING,
                "completed_on": nullable(DAY),
                "effect_achieved": nullable(STRING),
                "effect_evaluation": STRING,
                "handed_over_note": STRING,
                "created_at": MOMENT,
            }
        ),
        "CaseResult": obj({"case": ref("Case")}),
        "ActionCreated": obj({"action": ref("Action"), "case": ref("Case")}),
        "ActionResult": obj(
            {
                "action": ref("Action"),
                "case": {
                    **nullable(ref("Case")),
                    "description": "Null for an action's owner who does not see the case.",
                },
                "case_version": INTEGER,
            }
        ),
        "ActionDetail": obj({"action": ref("Action"), "case_version": INTEGER}),
        "PatientInformationCreated": obj(
            {"patient_information": ref("PatientInformation"), "case": ref("Case")}
        ),
        "FeedbackCreated": obj({"feedback": feedback, "case": ref("Case")}),
        "TransitionResult": obj({"case": ref("Case"), "event": ref("Event")}),
        "Event": event,
        "Events": obj({"case_id": ID, "reference": STRING, "items": array(ref("Event"))}),
        "Deadline": deadline,
        "Deadlines": obj(
            {
                "case_id": ID,
                "reference": STRING,
                "overdue": BOOLEAN,
                "items": array(ref("Deadline")),
            }
        ),
        "Statistics": obj(
            {
                "year": INTEGER,
                "years": array(INTEGER),
                "tables": array(
                    obj(
                        {
                            "key": STRING,
                            "title": STRING,
                            "kind": STRING,
                            "masked": BOOLEAN,
                            "note": nullable(STRING),
                            "columns": STRINGS,
                            "rows": array(
                                obj(
                                    {
                                        "label": STRING,
                                        "values": array(
                                            {
                                                "type": ["integer", "number", "string", "null"],
                                                "description": 'A count, a measure, or "< 5".',
                                            }
                                        ),
                                    }
                                )
                            ),
                        }
                    )
                ),
            }
        ),
        "Unit": obj(
            {
                "id": ID,
                "name": STRING,
                "kind": {"enum": list(UNIT_KINDS)},
                "parent_id": nullable(ID),
                "path": {**STRING, "description": "From the top: Förvaltningen › Område › Enhet."},
                "legal_areas": array({"enum": list(LEGAL_AREAS)}),
                "active": {
                    "type": "boolean",
                    "description": "False: kept for old cases, not offered for new reports.",
                },
            }
        ),
        "UnitList": obj(
            {
                "items": array(ref("Unit")),
                "per_page": {"type": "integer", "minimum": 1, "maximum": 100},
                "next": nullable(URL),
            }
        ),
        "OpenApiDocument": {
            "type": "object",
            "required": ["openapi", "info", "paths"],
            "description": "This document (OpenAPI 3.1).",
        },
    }


# Which shape each operation answers with on success.
SUCCESS_SCHEMAS: dict[str, str] = {
    "api.openapi_document": "OpenApiDocument",
    "api.create_case": "CaseCreated",
    "api.list_cases": "CaseList",
    "api.case_detail": "Case",
    "api.case_events": "Events",
    "api.case_deadlines_view": "Deadlines",
    "api.fire_transition": "TransitionResult",
    "api.save_investigation": "CaseResult",
    "api.patch_investigation": "CaseResult",
    "api.add_action": "ActionCreated",
    "api.action_detail": "ActionDetail",
    "api.update_action": "ActionResult",
    "api.investigation_sent": "CaseResult",
    "api.record_patient_information": "PatientInformationCreated",
    "api.record_medical_device_report": "CaseResult",
    "api.record_feedback": "FeedbackCreated",
    "api.add_co_investigator": "CaseResult",
    "api.remove_co_investigator": "CaseResult",
    "api.statistics_view": "Statistics",
    "api.list_units": "UnitList",
}
