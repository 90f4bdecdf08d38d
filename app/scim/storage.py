"""scim2-server's storage over Lexflöde's tables (scim2_server.storage.ScimStorage): it reads
and writes rows through the request's session and operations.py; scim2-server does the
protocol (validation, PUT and PATCH applied to the stored resource, paging, errors)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Union

from scim2_models import (
    InvalidValueException,
    NotFoundException,
    Resource,
    ResourceType,
    ResponseParameters,
    ScimFilter,
    SearchRequest,
    UniquenessException,
)
from scim2_server.storage import ScimStorage, SearchPage
from scim2_server.utils import parametrize
from sqlalchemy import ColumnElement, func, select
from sqlalchemy.orm import Session, selectinload

from app import db
from app.models import DirectoryGroup, DirectoryGroupMember, ScimUserAttributes, User

from . import operations
from .filters import Untranslatable, group_filter, user_filter
from .resources import GroupValues, UserValues, group_resource, user_resource


def _is_user(resource_type: ResourceType) -> bool:
    return resource_type.name == "User"


def _page(resources: list[Resource[Any]], search_request: SearchRequest[Any]) -> SearchPage:
    scim_filter = search_request.filter
    if scim_filter is not None and not scim_filter.models and resources:
        # Bound to the models found, as scim2-server's own in-memory storage does.
        found_models = tuple(dict.fromkeys(type(r) for r in resources))
        scim_filter = parametrize(ScimFilter, Union[found_models])(str(scim_filter))  # noqa: UP007
    found = [r for r in resources if scim_filter is None or scim_filter.match(r)]
    start = search_request.start_index_0 or 0
    stop = None if search_request.count is None else start + search_request.count
    return SearchPage(len(found), found[start:stop])


class SqlStorage(ScimStorage):
    @property
    def session(self) -> Session:
        return db.session()

    # -- reading ----------------------------------------------------------------------------

    def _user(self, scim_id: str | None) -> User:
        user = self.session.scalar(select(User).where(User.scim_id == scim_id)) if scim_id else None
        if user is None:
            raise NotFoundException(detail=f"User {scim_id!r} not found")
        return user

    def _group(self, scim_id: str | None) -> DirectoryGroup:
        group = (
            self.session.scalar(
                select(DirectoryGroup)
                .where(DirectoryGroup.scim_id == scim_id)
                .options(selectinload(DirectoryGroup.members))
            )
            if scim_id
            else None
        )
        if group is None:
            raise NotFoundException(detail=f"Group {scim_id!r} not found")
        return group

    def _user_resources(self, users: Sequence[User]) -> list[Resource[Any]]:
        ids = [u.id for u in users]
        if not ids:
            return []
        extras = {
            e.user_id: e
            for e in self.session.scalars(
                select(ScimUserAttributes).where(ScimUserAttributes.user_id.in_(ids))
            )
        }
        groups: dict[int, list[DirectoryGroup]] = {}
        rows = self.session.execute(
            select(DirectoryGroupMember.user_id, DirectoryGroup)
            .join(DirectoryGroup, DirectoryGroup.id == DirectoryGroupMember.group_id)
            .where(DirectoryGroupMember.user_id.in_(ids))
        ).all()
        for user_id, group in rows:
            groups.setdefault(user_id, []).append(group)
        return [user_resource(u, extras.get(u.id), groups.get(u.id, [])) for u in users]

    def get(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        response_parameters: ResponseParameters[Any] | None = None,
    ) -> Resource[Any]:
        if _is_user(resource_type):
            return self._user_resources([self._user(resource_id)])[0]
        return group_resource(self._group(resource_id))

    def search(
        self,
        resource_types: list[ResourceType],
        search_request: SearchRequest[Any],
        *,
        position: Any = None,
    ) -> SearchPage:
        if len(resource_types) != 1:
            return self._search_everything(resource_types, search_request)
        is_user = _is_user(resource_types[0])
        model: Any = User if is_user else DirectoryGroup
        scim_filter = search_request.filter
        start = search_request.start_index_0 or 0
        count = search_request.count
        query = select(model).where(model.scim_id.isnot(None))
        if not is_user:
            query = query.options(selectinload(DirectoryGroup.members))
        where: ColumnElement[bool] | None = None
        if scim_filter is not None:
            try:
                where = (user_filter if is_user else group_filter)(scim_filter.ast)
            except Untranslatable:
                return self._search_in_memory(query, model, search_request)
        if where is not None:
            query = query.where(where)
        total = self.session.scalar(select(func.count()).select_from(query.subquery())) or 0
        page = query.order_by(model.id).offset(start)
        if count is not None:
            page = page.limit(count)
        rows = list(self.session.scalars(page).all()) if count != 0 else []
        resources = self._user_resources(rows) if is_user else [group_resource(g) for g in rows]
        return SearchPage(total, resources)

    def _search_in_memory(
        self, query: Any, model: Any, search_request: SearchRequest[Any]
    ) -> SearchPage:
        rows = list(self.session.scalars(query.order_by(model.id)))
        resources = (
            self._user_resources(rows) if model is User else [group_resource(g) for g in rows]
        )
        return _page(resources, search_request)

    def _search_everything(
        self, resource_types: list[ResourceType], search_request: SearchRequest[Any]
    ) -> SearchPage:
        """A search at the root (RFC 7644 §3.4.3), users then groups: rare, and weighed in
        memory, an attribute one type lacks matching none of its resources."""
        resources: list[Resource[Any]] = []
        if any(_is_user(rt) for rt in resource_types):
            users = self.session.scalars(
                select(User).where(User.scim_id.isnot(None)).order_by(User.id)
            ).all()
            resources += self._user_resources(users)
        if any(not _is_user(rt) for rt in resource_types):
            groups = self.session.scalars(
                select(DirectoryGroup)
                .where(DirectoryGroup.scim_id.isnot(None))
                .options(selectinload(DirectoryGroup.members))
                .order_by(DirectoryGroup.id)
            ).all()
            resources += [group_resource(g) for g in groups]
        return _page(resources, search_request)

    # -- writing ----------------------------------------------------------------------------

    def create(self, resource_type: ResourceType, resource: Resource[Any]) -> Resource[Any]:
        try:
            if _is_user(resource_type):
                user = operations.create_user(self.session, UserValues(resource))
                return self._user_resources([user])[0]
            group = operations.create_group(self.session, GroupValues(resource))
            return group_resource(group)
        except operations.Conflict as error:
            raise UniquenessException(detail=f"{error} is already taken") from None
        except operations.UnknownMember as error:
            raise InvalidValueException(detail=f"No such user: {error}") from None
        except operations.Invalid as error:
            raise InvalidValueException(detail=str(error)) from None

    def update(
        self,
        resource_type: ResourceType,
        resource: Resource[Any],
        *,
        expected_version: str | None = None,
    ) -> Resource[Any]:
        try:
            if _is_user(resource_type):
                user = self._user(resource.id)
                operations.update_user(self.session, user, UserValues(resource))
                return self._user_resources([user])[0]
            group = self._group(resource.id)
            operations.update_group(self.session, group, GroupValues(resource))
            return group_resource(group)
        except operations.Conflict as error:
            raise UniquenessException(detail=f"{error} is already taken") from None
        except operations.UnknownMember as error:
            raise InvalidValueException(detail=f"No such user: {error}") from None
        except operations.Invalid as error:
            raise InvalidValueException(detail=str(error)) from None

    def delete(
        self,
        resource_type: ResourceType,
        resource_id: str,
        *,
        expected_version: str | None = None,
    ) -> None:
        if _is_user(resource_type):
            operations.delete_user(self.session, self._user(resource_id))
        else:
            operations.delete_group(self.session, self._group(resource_id))
