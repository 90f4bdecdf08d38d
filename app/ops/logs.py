"""Logging, configured once per process: JSON lines for a log collector in production,
readable lines for a developer. Everything logs through the standard library's loggers (the
requests, the scheduler, the outbox, lexflode.admin), so pytest's caplog sees it all.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from flask import Flask

# The attributes every LogRecord has; anything else was passed in ``extra`` and is a field.
_STANDARD = frozenset(
    logging.LogRecord("", 0, "", 0, "", None, None).__dict__.keys() | {"message", "asctime"}
)
_MARK = "lexflode_ops_handler"


def fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in record.__dict__.items() if k not in _STANDARD}


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, event (the message), then the fields."""

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname.lower(),
            "logger": record.name,
            "event": record.getMessage(),
        }
        line.update(fields(record))
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class ConsoleFormatter(logging.Formatter):
    """``12:04:05 INFO  app.scheduler  clock run  acts=3 sweep_ms=41.2``"""

    def __init__(self) -> None:
        super().__init__("%(asctime)s %(levelname)-5s %(name)s  %(message)s", "%H:%M:%S")

    def format(self, record: logging.LogRecord) -> str:
        text = super().format(record)
        extra = " ".join(f"{k}={v}" for k, v in fields(record).items())
        return f"{text}  {extra}" if extra else text


class _NoWerkzeugAccessLines(logging.Filter):
    """The development server logs each request as well; ours already did, with more."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.levelno == logging.INFO and " - - [" in str(record.msg))


def configure(app: Flask) -> None:
    """Installs one stderr handler on the root logger, replacing the one an earlier app of
    this process installed. A test app installs none: pytest captures the records itself."""
    if app.testing:
        return
    handler = logging.StreamHandler(sys.stderr)
    json_lines = app.config["LOG_FORMAT"] == "json"
    handler.setFormatter(JsonFormatter() if json_lines else ConsoleFormatter())
    setattr(handler, _MARK, True)
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    # APScheduler says "Running job …" at every run; the clock logs what the run did.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    # WeasyPrint reports each step of a layout at INFO ("Step 1 - Fetching and parsing HTML");
    # its warnings (a missing font, a bad stylesheet) are what an operator needs.
    logging.getLogger("weasyprint").setLevel(logging.WARNING)
    # transitions logs every callback of every step at INFO; the history is the record of steps.
    logging.getLogger("transitions").setLevel(logging.WARNING)
    werkzeug = logging.getLogger("werkzeug")
    if not any(isinstance(f, _NoWerkzeugAccessLines) for f in werkzeug.filters):
        werkzeug.addFilter(_NoWerkzeugAccessLines())
