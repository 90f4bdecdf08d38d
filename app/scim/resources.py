"""Rows to SCIM resources and back: a ``User`` row is a SCIM User, a ``DirectoryGroup`` a SCIM
Group. The columns are the truth for what they hold (userName is the e-mail address people
sign in with, name, title, employer, active); the name parts, displayName and e-mail addresses
the directory sent are kept as sent (ScimUserAttributes), so that it reads back what it wrote."""

from __future__ import annotations

import hashlib
import json
from datetime import datetime
from typing import Any

from scim2_models import Resource

from app.models import DirectoryGroup, ScimUserAttributes, User

from .schema import models

USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group"
ENTERPRISE_SCHEMA = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"


def _version(payload: dict[str, Any]) -> str:
    digest = hashlib.sha256(json.dumps(payload, sort_keys=True, default=str).encode())
    return f'W/"{digest.hexdigest()[:16]}"'


def _meta(kind: str, created: datetime, modified: datetime, payload: dict[str, Any]) -> dict:
    return {
        "resourceType": kind,
        "created": created.isoformat(),
        "lastModified": modified.isoformat(),
        "version": _version(payload),
    }


def user_resource(
    user: User, extra: ScimUserAttributes | None, groups: list[DirectoryGroup]
) -> Resource[Any]:
    kept: dict[str, Any] = dict(extra.attributes) if extra is not None else {}
    payload: dict[str, Any] = {
        "schemas": [USER_SCHEMA],
        "id": user.scim_id,
        "externalId": user.external_id,
        "userName": user.email,
        "title": user.title or None,
        "active": user.active,
    }
    if extra is not None and "active" not in kept and user.active:
        # The directory never said, or removed it: absent, which means active here.
        del payload["active"]
    if extra is None:
        # A user SCIM has never written: what the columns say.
        payload["name"] = {"formatted": user.name}
        payload["displayName"] = user.name
        payload["emails"] = [{"value": user.email, "type": "work", "primary": True}]
    else:
        name = dict(kept.get("name") or {})
        if "formatted" in name:
            name["formatted"] = user.name
        payload["name"] = name or None
        payload["displayName"] = kept.get("displayName")
        payload["emails"] = kept.get("emails") or None
    if user.employer:
        payload["schemas"].append(ENTERPRISE_SCHEMA)
        payload[ENTERPRISE_SCHEMA] = {"organization": user.employer}
    payload["groups"] = [
        {"value": g.scim_id, "$ref": f"Groups/{g.scim_id}", "display": g.display_name}
        for g in sorted(groups, key=lambda g: g.display_name)
    ] or None
    modified = max(user.created_at, extra.updated_at) if extra is not None else user.created_at
    payload["meta"] = _meta("User", user.created_at, modified, payload)
    model = models()[0][models()[2]]  # type: ignore[index]
    resource: Resource[Any] = model.model_validate(_without_none(payload))
    return resource


def group_resource(group: DirectoryGroup) -> Resource[Any]:
    payload: dict[str, Any] = {
        "schemas": [GROUP_SCHEMA],
        "id": group.scim_id,
        "externalId": group.external_id,
        "displayName": group.display_name,
        "members": [
            {
                "value": member.scim_id,
                "$ref": f"Users/{member.scim_id}",
                "type": "User",
            }
            for member in sorted(group.members, key=lambda m: m.id)
        ]
        or None,
    }
    payload["meta"] = _meta("Group", group.created_at, group.updated_at, payload)
    resource: Resource[Any] = models()[1].model_validate(_without_none(payload))
    return resource


def _without_none(payload: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in payload.items() if v is not None}


class UserValues:
    """What a SCIM User says, in Lexflöde's terms."""

    def __init__(self, resource: Resource[Any]) -> None:
        data = resource.model_dump()
        name: dict[str, Any] = data.get("name") or {}
        self.email: str = str(data.get("userName") or "").strip().lower()
        self.external_id: str | None = data.get("externalId")
        joined = " ".join(p for p in (name.get("givenName"), name.get("familyName")) if p)
        self.name: str = (
            name.get("formatted") or data.get("displayName") or joined or self.email
        ).strip()[:200]
        self.title: str = str(data.get("title") or "")[:200]
        self.active: bool = data.get("active") is not False
        self.employer: str = str((data.get(ENTERPRISE_SCHEMA) or {}).get("organization") or "")[
            :200
        ]
        self.attributes: dict[str, Any] = _without_none(
            {
                "name": name or None,
                "displayName": data.get("displayName"),
                "emails": data.get("emails"),
                "active": data.get("active"),
            }
        )


class GroupValues:
    def __init__(self, resource: Resource[Any]) -> None:
        data = resource.model_dump()
        self.display_name: str = str(data.get("displayName") or "").strip()
        self.external_id: str | None = data.get("externalId")
        self.member_ids: list[str] = [
            str(m["value"]) for m in data.get("members") or [] if m.get("value")
        ]
