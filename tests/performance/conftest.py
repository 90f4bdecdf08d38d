"""A committed database of its own for the module (as own_app, but built once per module: the
query-count tests grow it from a dozen cases to a thousand and measure the same pages twice)."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from flask import Flask

from app import create_app
from tests.conftest import IsolatedClient, _config, _copy_of, _drop_postgres_database


@pytest.fixture(scope="module")
def scale_app(own_template: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Flask]:
    tmp = tmp_path_factory.mktemp("performance")
    url, name = _copy_of(own_template, tmp)
    app = create_app(_config(url, tmp))
    app.test_client_class = IsolatedClient
    yield app
    app.extensions["lexflode_engine"].dispose()
    if name:
        _drop_postgres_database(os.environ.get("LEXFLODE_TEST_DATABASE_URL", ""), name)
