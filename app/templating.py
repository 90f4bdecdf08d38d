"""Jinja filters and globals: Swedish dates in Europe/Stockholm, labels for contract names."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from flask import Flask
from flask_babel import format_date, format_datetime

from . import labels


def register(app: Flask) -> None:
    @app.template_filter("dt")
    def _datetime(value: datetime | None, fmt: str = "yyyy-MM-dd HH:mm") -> str:
        return format_datetime(value, fmt) if value else ""

    @app.template_filter("d")
    def _date(value: date | None) -> str:
        return format_date(value, "yyyy-MM-dd") if value else ""

    @app.context_processor
    def _labels() -> dict[str, Any]:
        return {"L": labels, "state_label": labels.state_label}
