"""The shell every service shares: FastAPI + FastStream broker + relay + inbox in one lifespan."""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaProducer
from fastapi import APIRouter, FastAPI
from fastapi.responses import JSONResponse
from faststream.kafka import KafkaBroker

from dvc_contracts import Envelope
from dvc_contracts.topics import ALL_TOPICS, dead_letter_spec, dead_letter_topic

from . import audit_log, dead_letters, docs_ui, kafka_security, personal_data
from .application import ServiceApplication
from .auth.fastapi import install_auth
from .auth.revocations import Revocations
from .auth.verifier import TokenVerifier
from .auth.wiring import verifier_for
from .catalog_replica import CatalogReplica
from .commits import listen_postgres
from .errors import install_error_handlers, install_problem_docs
from .inbox import Inbox
from .kafka_topics import ensure_topics
from .kms_keys import key_provider
from .leadership import Leadership, leader_lock
from .limits import BodyLimits
from .relay import Relay
from .settings import ServiceSettings
from .telemetry.http import HTTP_TELEMETRY
from .telemetry.http import install as install_telemetry
from .telemetry.sampling import Sampler
from .threads import in_thread, run_store_calls_inline

log = logging.getLogger(__name__)

Background = Callable[[], Awaitable[None]]


@dataclass
class Runtime:
    """Everything one service process runs; `main.py` of each service builds one."""

    settings: ServiceSettings
    app: ServiceApplication
    broker: KafkaBroker
    relay: Relay
    inbox: Inbox
    background: list[Background] = field(default_factory=list)
    # Extra readiness conditions of a service (name -> is it satisfied now).
    checks: dict[str, Callable[[], bool]] = field(default_factory=dict)
    # Set by services that read the catalog: consuming starts once it has caught up.
    catalog: CatalogReplica | None = None
    kafka_ready: bool = False
    tasks: list[asyncio.Task[None]] = field(default_factory=list)


def make_runtime(
    settings: ServiceSettings, app: ServiceApplication, translate: Any, produces: list[str]
) -> Runtime:
    """Broker, relay and inbox for `app`; the relay publishes to the `produces` topics."""
    run_store_calls_inline(settings.store_calls_inline and app.store_calls_on_the_loop)
    # The data keys sealing personal fields on the topics (ADR 0021), shared by every service.
    personal_data.configure(
        key_provider(
            settings.personal_keys_dir,
            settings.personal_keys_kms_url,
            settings.personal_keys_kms_token_file,
            settings.personal_keys_kms_key,
            settings.personal_keys_store,
        )
    )
    # How every Kafka client of this process authenticates (ADR 0024): the broker, the relay,
    # the admin client, the followers.
    kafka_security.configure(settings.kafka_security)
    # FastStream logs each consumed batch at DEBUG: the processed-events metric counts them.
    broker = KafkaBroker(
        settings.kafka_bootstrap_servers,
        client_id=settings.service_name,
        log_level=logging.DEBUG,
        security=kafka_security.broker_security(),
    )
    for name in produces:
        spec = next(t for t in ALL_TOPICS if t.name == name)
        # The relay publishes (transactionally); this declaration documents it in AsyncAPI.
        broker.publisher(name, title=name, description=spec.description, schema=Envelope)
    relay = Relay(
        app,
        dead_letters.translating_dead_letters(translate, settings.service_name),
        producer=settings.service_name,
        topics=produces,
        bootstrap=settings.kafka_bootstrap_servers,
        batch_size=settings.relay_batch_size,
        idle_seconds=settings.relay_idle_seconds,
        linger_seconds=settings.relay_linger_seconds,
        instance=settings.instance_id,
        leadership=Leadership(leader_lock(settings)),  # several instances may share the store
    )
    return Runtime(settings, app, broker, relay, Inbox(app, handles=app.handles))


async def wait_for_kafka(bootstrap: str) -> None:
    """Block until the broker answers; services start before Kafka is guaranteed to be up."""
    while True:
        producer = AIOKafkaProducer(bootstrap_servers=bootstrap, **kafka_security.client_options())
        try:
            await producer.start()
            return
        except Exception as exc:
            log.warning("Kafka at %s not reachable yet: %s", bootstrap, exc)
            await asyncio.sleep(1.0)
        finally:
            with contextlib.suppress(Exception):
                await producer.stop()


async def _start(runtime: Runtime) -> None:
    await wait_for_kafka(runtime.settings.kafka_bootstrap_servers)
    if runtime.catalog is not None:
        # Consumed events are judged by the catalog version they name: know it first.
        replica = runtime.catalog
        follow = _forever(lambda: replica.follow(runtime.settings.kafka_bootstrap_servers))
        runtime.tasks.append(asyncio.create_task(follow, name="catalog-replica"))
        await replica.wait_caught_up()
    # The relay also publishes the dead letters of the consumer groups this service runs
    # (ADR 0020); a group the deployment did not declare (tests) gets its topic now.
    groups = [group for group, _ in runtime.inbox.subscribers]
    if groups:
        bootstrap = runtime.settings.kafka_bootstrap_servers
        specs = [dead_letter_spec(group) for group in groups]
        await ensure_topics(bootstrap, specs=specs, update_existing=False)
        runtime.relay.topics = [*runtime.relay.topics, *(dead_letter_topic(g) for g in groups)]
    await runtime.broker.start()
    runtime.kafka_ready = True
    if runtime.settings.persistence_module == "eventsourcing.postgres":
        # Other instances' commits wake this one's relay and projections too.
        channel = runtime.app.recorder.channel_name  # type: ignore[attr-defined]
        listen = listen_postgres(runtime.settings.postgres_conninfo(), channel, runtime.app.commits)
        runtime.tasks.append(asyncio.create_task(listen, name="listen-commits"))
    runtime.tasks.append(asyncio.create_task(runtime.relay.run(), name="relay"))
    if runtime.settings.persistence_module == "eventsourcing.postgres":
        runtime.tasks.append(asyncio.create_task(_sweep_parked(runtime.app), name="sweep-parked"))
    for job in runtime.background:
        runtime.tasks.append(asyncio.create_task(_forever(job), name=getattr(job, "__name__", "")))


PARKED_SWEEP_SECONDS = 5.0


async def _sweep_parked(app: ServiceApplication) -> None:
    """On a shared store, what another instance parked while this one applied its cause is
    applied within `PARKED_SWEEP_SECONDS` (`ServiceApplication.sweep_parked`)."""
    while True:
        await asyncio.sleep(PARKED_SWEEP_SECONDS)
        try:
            if applied := await in_thread(app.sweep_parked):
                log.warning("%d parked event(s) applied by the sweep", applied)
        except Exception:
            log.exception("sweeping parked events failed; trying again later")


async def _forever(job: Background) -> None:
    while True:
        try:
            await job()
            return
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("background job failed; restarting")
            await asyncio.sleep(1.0)


def create_http_app(
    runtime: Runtime,
    *routers: APIRouter,
    title: str,
    description: str = "",
    verifier: TokenVerifier | None = None,
    body_limits: Mapping[str, int] | None = None,
) -> FastAPI:
    """The service's HTTP app. `body_limits`: path pattern -> bytes, for routes whose request
    bodies may exceed `limits.DEFAULT_BODY_LIMIT` (uploads)."""
    http = FastAPI(
        title=title,
        description=description,
        version="0.1.0",
        lifespan=_lifespan(runtime),
        telemetry=HTTP_TELEMETRY,
        docs_url=None,  # served by docs_ui, from a package instead of a CDN
        redoc_url=None,
    )
    docs_ui.install(http, title)
    install_error_handlers(http)
    install_problem_docs(http)
    # Removals, transfers and logouts, from identity's topic: their tokens are refused at once.
    revocations = Revocations()
    install_auth(http, verifier or verifier_for(runtime.settings), revocations)
    bootstrap = runtime.settings.kafka_bootstrap_servers
    runtime.background.append(lambda: revocations.follow(bootstrap))
    # Sizes and the caller's token are checked before a body is read (issue 14).
    http.add_middleware(
        BodyLimits,
        routes_of=lambda: http.router.routes,
        verifier_of=lambda: http.state.token_verifier,
        limits=body_limits,
    )
    sampler = Sampler(runtime.relay, runtime.inbox.subscribers)  # relay backlog, consumer lag
    runtime.background.append(sampler.run)
    install_telemetry(http, sampler)
    http.state.runtime = runtime
    _install_probes(http, runtime)
    for router in routers:
        http.include_router(router)
    http.include_router(audit_log.router(runtime.app, runtime.relay.translate, runtime.relay.producer_name))
    http.include_router(dead_letters.router(runtime.app))
    return http


def _lifespan(runtime: Runtime) -> Callable[[FastAPI], contextlib.AbstractAsyncContextManager[None]]:
    """Start the broker, relay, inbox and background jobs beside the HTTP server; at shutdown,
    stop them, commit what was consumed and close the store."""

    @contextlib.asynccontextmanager
    async def lifespan(_: FastAPI) -> AsyncIterator[None]:
        starter = asyncio.create_task(_start(runtime), name="start")
        try:
            yield
        finally:
            starter.cancel()
            for task in runtime.tasks:
                task.cancel()
            await asyncio.gather(starter, *runtime.tasks, return_exceptions=True)
            with contextlib.suppress(Exception):
                await runtime.inbox.commit_offsets()
            with contextlib.suppress(Exception):
                await runtime.broker.stop()
            runtime.app.close()

    return lifespan


def _install_probes(http: FastAPI, runtime: Runtime) -> None:
    @http.get("/healthz", tags=["ops"], summary="The process is alive")
    async def healthz() -> dict[str, str]:
        return {"status": "ok", "service": runtime.settings.service_name}

    @http.get("/readyz", tags=["ops"], summary="Event store and Kafka are usable")
    async def readyz() -> JSONResponse:
        checks = await _readiness(runtime)
        ready = all(
            v in ("ok", "reconnecting") for k, v in checks.items() if k not in ("relay_backlog", "relay_role")
        )
        return JSONResponse({"ready": ready, "checks": checks}, 200 if ready else 503)


async def _readiness(runtime: Runtime) -> dict[str, Any]:
    checks: dict[str, Any] = {}
    try:
        await asyncio.to_thread(runtime.app.recorder.max_notification_id)
        checks["event_store"] = "ok"
    except Exception as exc:
        checks["event_store"] = f"error: {exc}"
    kafka_ok = runtime.kafka_ready and await runtime.broker.ping(timeout=2.0)
    # Once started, a broker outage only delays events (the store is the outbox and the
    # clients reconnect by themselves): the service stays ready and keeps taking requests.
    kafka_down = "reconnecting" if runtime.kafka_ready else "starting"
    checks["kafka"] = "ok" if kafka_ok else kafka_down
    # A standby relay is ready: it takes over when the leading instance's relay stops.
    relay_down = "reconnecting" if runtime.relay.has_connected else "starting"
    checks["relay"] = "ok" if runtime.relay.connected or runtime.relay.standby else relay_down
    checks["relay_backlog"] = await runtime.relay.backlog()
    checks["relay_role"] = runtime.relay.leadership.role if runtime.relay.leadership else "leader"
    if runtime.catalog is not None:
        checks["catalog_replica"] = "ok" if runtime.catalog.caught_up else "catching up"
    for name, check in runtime.checks.items():
        checks[name] = "ok" if check() else "waiting"
    return checks


def tune_garbage_collector() -> None:
    """Python's cycle collector runs every 700 allocations net of frees by default: a service
    allocates that many for each few events it handles, so most collections find nothing.
    Everything built at start (modules, catalog, calendars) is moved out of its view, and it
    runs every 50,000 allocations: cycles are rare here, memory is reclaimed by reference
    counting. `DVC_GC_THRESHOLD=700` restores Python's default (ADR 0018)."""
    import gc
    import os

    gc.freeze()
    gc.set_threshold(int(os.environ.get("DVC_GC_THRESHOLD", "50000")), 20, 20)


def build_and_run(build: Callable[[Any], FastAPI], settings: ServiceSettings) -> None:
    """Entry point of a service process: JSON logs, then uvicorn on the service's port."""
    from .logs import configure_logging
    from .server import serve
    from .telemetry import configure_service

    configure_logging()
    configure_service(settings.service_name, settings.data_dir, settings.instance_id)
    tune_garbage_collector()
    serve(build(settings), settings.host, settings.port)
