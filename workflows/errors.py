"""Why a step was refused. Each carries the HTTP status the API answers with."""

from __future__ import annotations


class WorkflowError(Exception):
    status = 400
    code = "error"

    def __init__(self, message: str, field_errors: dict[str, list[str]] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field_errors = field_errors or {}


class NotAllowed(WorkflowError):
    status = 403
    code = "forbidden"


class WrongState(WorkflowError):
    status = 409
    code = "wrong_state"


class StaleVersion(WorkflowError):
    status = 409
    code = "stale_version"


class InvalidData(WorkflowError):
    status = 422
    code = "invalid_data"


class UnknownTrigger(WorkflowError):
    status = 422
    code = "unknown_trigger"
