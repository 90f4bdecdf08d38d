"""SCIM filters (RFC 7644 §3.4.2.2) as SQL, for the attributes a directory searches by:
userName, externalId, id, displayName, active, title and name.formatted on users; displayName,
externalId and id on groups; and, or and not between them.

Anything else (a value path such as ``emails[type eq "work"]``, an ordering comparison, a
case-insensitive comparison of non-ASCII text, which SQLite's lower() does not fold) raises
Untranslatable, and the storage weighs each resource with scim2-models' own evaluator instead:
slower, never wrong."""

from __future__ import annotations

from typing import Any

from scim2_models.path import (
    CompareOperator,
    Comparison,
    FilterVisitor,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)
from sqlalchemy import ColumnElement, and_, false, func, not_, or_, true
from sqlalchemy.orm import InstrumentedAttribute

from app.models import DirectoryGroup, User

from .resources import GROUP_SCHEMA, USER_SCHEMA


class Untranslatable(Exception):
    pass


# attribute (lower case) → (column, case exact)
Columns = dict[str, tuple[InstrumentedAttribute[Any], bool]]

USER_COLUMNS: Columns = {
    "username": (User.email, False),
    "externalid": (User.external_id, True),
    "id": (User.scim_id, True),
    "title": (User.title, False),
    "name.formatted": (User.name, False),
    "active": (User.active, True),
}
GROUP_COLUMNS: Columns = {
    "displayname": (DirectoryGroup.display_name, False),
    "externalid": (DirectoryGroup.external_id, True),
    "id": (DirectoryGroup.scim_id, True),
}


class SqlFilter(FilterVisitor[ColumnElement[bool]]):
    def __init__(self, columns: Columns, schema: str) -> None:
        self.columns = columns
        self.schema = schema.lower()

    def _column(self, node: Comparison | Present) -> tuple[Any, bool]:
        path = node.attr_path
        if path.uri is not None and path.uri.lower() != self.schema:
            raise Untranslatable(str(path))
        key = path.attr.lower() + (f".{path.sub_attr.lower()}" if path.sub_attr else "")
        if key not in self.columns:
            raise Untranslatable(key)
        return self.columns[key]

    def visit_comparison(self, node: Comparison) -> ColumnElement[bool]:
        column, case_exact = self._column(node)
        value = node.value
        if isinstance(value, bool):
            if node.op not in (CompareOperator.eq, CompareOperator.ne):
                raise Untranslatable(node.op)
            return column.is_(value) if node.op == CompareOperator.eq else column.isnot(value)
        if not isinstance(value, str):
            raise Untranslatable(repr(value))
        if not case_exact:
            if not value.isascii():
                raise Untranslatable(value)
            column, value = func.lower(column), value.lower()
        if node.op == CompareOperator.eq:
            return column == value
        if node.op == CompareOperator.ne:
            return or_(column != value, column.is_(None))
        if node.op == CompareOperator.sw:
            return column.startswith(value, autoescape=True)
        if node.op == CompareOperator.ew:
            return column.endswith(value, autoescape=True)
        if node.op == CompareOperator.co:
            return column.contains(value, autoescape=True)
        raise Untranslatable(node.op)

    def visit_present(self, node: Present) -> ColumnElement[bool]:
        column, _ = self._column(node)
        if column.type.python_type is str:
            return and_(column.isnot(None), column != "")
        return column.isnot(None)

    def visit_not(self, node: Not) -> ColumnElement[bool]:
        return not_(self.visit(node.expr))

    def visit_logical_expr(self, node: LogicalExpr) -> ColumnElement[bool]:
        terms = [self.visit(term) for term in node.terms]
        if node.op == LogicalOperator.and_:
            return and_(true(), *terms)
        return or_(false(), *terms)

    def visit_value_path(self, node: ValuePath) -> ColumnElement[bool]:
        raise Untranslatable(str(node.attr_path))


def user_filter(ast: Any) -> ColumnElement[bool]:
    return SqlFilter(USER_COLUMNS, USER_SCHEMA).visit(ast)


def group_filter(ast: Any) -> ColumnElement[bool]:
    return SqlFilter(GROUP_COLUMNS, GROUP_SCHEMA).visit(ast)
