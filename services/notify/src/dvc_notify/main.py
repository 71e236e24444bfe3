"""Composition root of the notify service."""

from __future__ import annotations

from fastapi import FastAPI

from dvc_kernel.local_secrets import service_secret
from dvc_kernel.service import build_and_run, create_http_app, make_runtime

from . import consumers
from .adapters.sms import SmsSink
from .api import dev_sms, otp
from .application import NotifyApplication
from .dispatcher import SmsDispatcher
from .settings import NotifySettings
from .translation import translate


def build(settings: NotifySettings | None = None) -> FastAPI:
    settings = settings or NotifySettings()
    app = NotifyApplication(env=settings.eventstore_env())
    runtime = make_runtime(settings, app, translate, produces=[])
    consumers.register(runtime.broker, runtime.inbox)
    sink = SmsSink(settings.service_dir / "sms-sink.sqlite3")
    runtime.background.append(SmsDispatcher(app, sink).run)
    return create_http_app(
        runtime,
        dev_sms.router(sink),
        otp.router(sink, service_secret(settings.data_dir)),
        title="Notify",
        description="SMS and e-mail to citizens, in Vietnamese.",
    )


def run() -> None:
    build_and_run(build, NotifySettings())
