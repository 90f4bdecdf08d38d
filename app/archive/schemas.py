"""The XML schemas the package carries in ``schemas/`` (CSIPSTR15) and validates against before
it leaves: a package the archive would refuse is not delivered."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import xmlschema

from .mets import CSIP, SIP, XLINK

SCHEMA_DIR = Path(__file__).parent / "schemas"
# In the order METS.xml lists them.
PACKAGE_SCHEMAS = (
    "mets.xsd",
    "xlink.xsd",
    "DILCISExtensionMETS.xsd",
    "DILCISExtensionSIPMETS.xsd",
    "ERMS.xsd",
)


def _local(namespace: str, name: str) -> tuple[str, str]:
    return namespace, (SCHEMA_DIR / name).as_uri()


@cache
def mets_schema() -> xmlschema.XMLSchema:
    # mets.xsd imports XLink from loc.gov: the local copy instead, and nothing fetched.
    return xmlschema.XMLSchema(
        str(SCHEMA_DIR / "mets.xsd"),
        locations=[
            _local(XLINK, "xlink.xsd"),
            _local(CSIP, "DILCISExtensionMETS.xsd"),
            _local(SIP, "DILCISExtensionSIPMETS.xsd"),
        ],
        allow="local",
    )


@cache
def erms_schema() -> xmlschema.XMLSchema:
    return xmlschema.XMLSchema(str(SCHEMA_DIR / "ERMS.xsd"), allow="local")
