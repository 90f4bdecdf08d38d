"""How many SQL statements a request sends to the database."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, event


@dataclass
class Statements:
    sql: list[str] = field(default_factory=list)

    @property
    def count(self) -> int:
        """Statements, with a run of the same INSERT counted once: one flush of many access-log
        rows is one batched INSERT on PostgreSQL (insertmanyvalues), while on SQLite, whose
        RETURNING gives no order to match ids by, SQLAlchemy sends the rows one at a time."""
        return sum(
            1
            for i, sql in enumerate(self.sql)
            if not (i and sql.startswith("INSERT") and sql == self.sql[i - 1])
        )

    def collapsed(self, width: int = 160) -> list[str]:
        """The statements cut to ``width``, a run of the same one shown once with its length."""
        out: list[str] = []
        for sql in self.sql:
            line = sql[:width]
            if out and out[-1].split("  ×")[0] == line:
                head, _, times = out[-1].partition("  ×")
                out[-1] = f"{head}  ×{int(times or 1) + 1}"
            else:
                out.append(line)
        return out

    def __str__(self) -> str:
        return "\n".join(f"{i:3d}. {s}" for i, s in enumerate(self.collapsed(240), 1))


@contextmanager
def counting(engine: Engine) -> Iterator[Statements]:
    found = Statements()

    def _before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        found.sql.append(" ".join(statement.split()))

    event.listen(engine, "before_cursor_execute", _before)
    try:
        yield found
    finally:
        event.remove(engine, "before_cursor_execute", _before)
