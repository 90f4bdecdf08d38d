from __future__ import annotations

from .definition import Flow

_FLOWS: dict[str, Flow] = {}


def register(flow: Flow) -> Flow:
    _FLOWS[flow.case_type] = flow
    return flow


def flow_for(case_type: str) -> Flow:
    if case_type not in _FLOWS:
        from . import complaint, deviation, lex_maria, lex_sarah  # noqa: F401  (each registers itself)
    return _FLOWS[case_type]


def registered_types() -> list[str]:
    flow_for("lex_sarah")
    return list(_FLOWS)


def reportable_types() -> list[str]:
    """The types a staff report may become: those that start as a report. A complaint is
    registered through its own operation (app/complaints/operations.py)."""
    return [t for t in registered_types() if _FLOWS[t].initial == "submitted"]
