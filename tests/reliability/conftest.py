from __future__ import annotations

import pytest
from flask import Flask

from .support import Org, commit_org


@pytest.fixture
def org(own_app: Flask) -> Org:
    """The test organisation and a bearer token per person, committed on ``own_app``."""
    return commit_org(own_app)
