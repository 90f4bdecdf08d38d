"""What /scim/v2 serves, as scim2-models describes it: the standard User and Group schemas
(RFC 7643 §4) cut down to the attributes Lexflöde keeps, the enterprise extension's
``organization`` (the employer on a report), and the capabilities the service announces.

Announcing only what is kept means a client that reads /Schemas (and scim2-tester) writes only
what it can read back. Microsoft Entra ID sends its default mappings whatever the schema says
(phone numbers, addresses, department…), so the policy ignores attributes no schema declares
instead of refusing the whole request, and reads Entra's PATCH shapes (a ``remove`` carrying
the members to remove as its value; a path filter naming an entry that does not exist yet)."""

from __future__ import annotations

from functools import cache
from typing import Any, cast

from scim2_models import (
    AuthenticationScheme,
    Bulk,
    ChangePassword,
    EnterpriseUser,
    ETag,
    Extension,
    Filter,
    Group,
    Patch,
    Resource,
    ResourceType,
    Schema,
    ScimPolicy,
    ScimProvider,
    ServiceProviderConfig,
    Sort,
    User,
)

# Attribute → the sub-attributes kept (None: all of them, or it has none).
USER_ATTRIBUTES: dict[str, set[str] | None] = {
    "userName": None,
    "name": {"formatted", "givenName", "familyName"},
    "displayName": None,
    "title": None,
    "active": None,
    "emails": {"value", "type", "primary"},
    "groups": None,
}
# A member's display name is the user's name here, not what the client sent: it is left out of
# the schema (RFC 7643 §8.7.1 has none either) rather than read back different.
GROUP_ATTRIBUTES: dict[str, set[str] | None] = {
    "displayName": None,
    "members": {"value", "$ref", "type"},
}
ENTERPRISE_ATTRIBUTES: dict[str, set[str] | None] = {"organization": None}

# One page holds at most this many resources; a client asking for more gets this many and
# pages on (RFC 7644 §3.4.2.4).
MAX_RESULTS = 200


def _kept(schema: Schema, keep: dict[str, set[str] | None]) -> Schema:
    schema = schema.model_copy(deep=True)
    schema.attributes = [a for a in schema.attributes or [] if a.name in keep]
    for attribute in schema.attributes:
        subs = keep[cast(str, attribute.name)]
        if subs is not None and attribute.sub_attributes:
            attribute.sub_attributes = [s for s in attribute.sub_attributes if s.name in subs]
    return schema


@cache
def models() -> tuple[type[Resource[Any]], type[Resource[Any]], type[Extension]]:
    """The User, Group and enterprise extension models of this service."""
    user = Resource.from_schema(_kept(User.to_schema(), USER_ATTRIBUTES))
    group = Resource.from_schema(_kept(Group.to_schema(), GROUP_ATTRIBUTES))
    enterprise = Extension.from_schema(_kept(EnterpriseUser.to_schema(), ENTERPRISE_ATTRIBUTES))
    return user, group, enterprise


def config() -> ServiceProviderConfig:
    return ServiceProviderConfig(
        documentation_uri=None,
        patch=Patch(supported=True),
        bulk=Bulk(supported=False, max_operations=0, max_payload_size=0),
        filter=Filter(supported=True, max_results=MAX_RESULTS),
        change_password=ChangePassword(supported=False),
        sort=Sort(supported=False),
        etag=ETag(supported=False),
        authentication_schemes=[
            AuthenticationScheme(
                type=AuthenticationScheme.Type.oauthbearertoken,
                name="Bearer token",
                description="The SCIM token an administrator creates under Administration › "
                "SCIM, sent as 'Authorization: Bearer <token>'.",
                primary=True,
            )
        ],
    )


POLICY = ScimPolicy(
    unknown=ScimPolicy.Unknown.ignore,
    remove_value_as_filter=ScimPolicy.RemoveValue.apply,
    unmatched_path_filter=ScimPolicy.UnmatchedPathFilter.create,
)


@cache
def provider() -> ScimProvider:
    user, group, enterprise = models()
    return ScimProvider(
        models=[user, group, enterprise],
        resource_types=[
            ResourceType.from_resource(user[enterprise]),  # type: ignore[index]
            ResourceType.from_resource(group),
        ],
        config=config(),
        policy=POLICY,
    )
