"""The eventsourcing library's own recorder test cases, on PostgreSQL, configured as our services are.

The recorders come from the infrastructure factory built from `ServiceSettings.eventstore_env()`
(pool size, default schema, single-row tracking, UUID originator ids), exactly the path a
service's `ServiceApplication` takes. Each test gets tables of its own (the factory names them
after the application, so a fresh name per test), as the library's own suite drops its tables.
`NonInterleavingNotificationIDs` is the property the relay and `follow_log` rely on on a shared
store: notification ids become visible in order, so reading "after the last id seen" skips none.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar
from uuid import uuid4

import pytest
from eventsourcing.persistence import (
    AggregateRecorder,
    ApplicationRecorder,
    InfrastructureFactory,
    ProcessRecorder,
    TrackingRecorder,
)
from eventsourcing.postgres import (
    PostgresAggregateRecorder,
    PostgresApplicationRecorder,
    PostgresFactory,
    PostgresProcessRecorder,
    PostgresTrackingRecorder,
)
from eventsourcing.tests.persistence import (
    AggregateRecorderTestCase,
    ApplicationRecorderTestCase,
    InfrastructureFactoryTestCase,
    NonInterleavingNotificationIDsBaseCase,
    ProcessRecorderTestCase,
    TrackingRecorderTestCase,
)
from eventsourcing.utils import Environment

from dvc_kernel.settings import ServiceSettings
from dvc_testing.postgres import TestPostgres

pytestmark = pytest.mark.postgres

R = TypeVar("R")


class StoreSettings(ServiceSettings):
    service_name: ClassVar[str] = "recorders"
    default_port: ClassVar[int] = 18999  # not served: a port only because every service has one
    encrypts_store: ClassVar[bool] = False  # the recorders themselves are under test here


def service_store_env(server: TestPostgres) -> dict[str, str]:
    """What a service configured for this server hands its event store."""
    settings = StoreSettings(
        PERSISTENCE_MODULE="eventsourcing.postgres",
        POSTGRES_HOST=server.host,
        POSTGRES_PORT=server.port,
        POSTGRES_USER=server.user,
        POSTGRES_PASSWORD=server.password,
        POSTGRES_DBNAME=server.dbname,
    )
    env = settings.eventstore_env()
    assert env["PERSISTENCE_MODULE"] == "eventsourcing.postgres"
    return env


class ServiceStore:
    """Mixin: recorders from our store settings, tables fresh for each test, pools closed after."""

    store_env: ClassVar[dict[str, str]]

    def factory(self) -> Any:
        env = Environment(f"t{uuid4().hex[:12]}", service_store_env_or_fail(self))
        factory = InfrastructureFactory.construct(env)
        assert isinstance(factory, PostgresFactory)
        self.addCleanup(factory.close)  # type: ignore[attr-defined]
        return factory

    def recorder(self, make: Callable[[PostgresFactory], object], expected: type[R]) -> R:
        """The recorder `make` takes from a fresh factory, which must be of the `expected` class."""
        recorder = make(self.factory())
        assert isinstance(recorder, expected)
        return recorder


def service_store_env_or_fail(case: Any) -> dict[str, str]:
    env = getattr(type(case), "store_env", None)
    assert env is not None, "the `postgres` fixture did not configure this test case"
    return dict(env)


@pytest.fixture(autouse=True, scope="class")
def _configure(request: pytest.FixtureRequest, postgres: TestPostgres) -> None:
    # unittest cases take no fixtures as arguments; they read the server from the class.
    if request.cls is not None:
        request.cls.store_env = service_store_env(postgres)


class TestAggregateRecorder(ServiceStore, AggregateRecorderTestCase):
    def create_recorder(self) -> AggregateRecorder:
        return self.recorder(PostgresFactory.aggregate_recorder, PostgresAggregateRecorder)


class TestApplicationRecorder(ServiceStore, ApplicationRecorderTestCase):
    def create_recorder(self) -> ApplicationRecorder:
        return self.recorder(PostgresFactory.application_recorder, PostgresApplicationRecorder)


class TestTrackingRecorder(ServiceStore, TrackingRecorderTestCase):
    def create_recorder(self) -> TrackingRecorder:
        return self.recorder(PostgresFactory.tracking_recorder, PostgresTrackingRecorder)


class TestProcessRecorder(ServiceStore, ProcessRecorderTestCase):
    """The recorder of every ServiceApplication (an EventSourcedProjection)."""

    def create_recorder(self) -> ProcessRecorder:
        return self.recorder(PostgresFactory.process_recorder, PostgresProcessRecorder)


class TestNonInterleavingNotificationIDs(ServiceStore, NonInterleavingNotificationIDsBaseCase):
    def create_recorder(self) -> ApplicationRecorder:
        return self.recorder(PostgresFactory.process_recorder, PostgresProcessRecorder)


class TrackingRecorderSubclass(PostgresTrackingRecorder):
    pass


class TestInfrastructureFactory(InfrastructureFactoryTestCase[PostgresFactory]):
    store_env: ClassVar[dict[str, str]]

    def setUp(self) -> None:
        self.env = Environment(f"t{uuid4().hex[:12]}", service_store_env_or_fail(self))
        super().setUp()

    def expected_factory_class(self) -> type[PostgresFactory]:
        return PostgresFactory

    def expected_aggregate_recorder_class(self) -> type[AggregateRecorder]:
        return PostgresAggregateRecorder

    def expected_application_recorder_class(self) -> type[ApplicationRecorder]:
        return PostgresApplicationRecorder

    def expected_tracking_recorder_class(self) -> type[TrackingRecorder]:
        return PostgresTrackingRecorder

    def tracking_recorder_subclass(self) -> type[TrackingRecorder]:
        return TrackingRecorderSubclass

    def expected_process_recorder_class(self) -> type[ProcessRecorder]:
        return PostgresProcessRecorder


# The abstract bases are imported here; pytest must not collect them as tests of their own.
del AggregateRecorderTestCase, ApplicationRecorderTestCase, InfrastructureFactoryTestCase
del NonInterleavingNotificationIDsBaseCase, ProcessRecorderTestCase, TrackingRecorderTestCase
