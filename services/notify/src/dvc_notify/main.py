"""Composition root of the notify service."""

from __future__ import annotations

import asyncio

from fastapi import APIRouter, FastAPI

from dvc_contracts.topics import NOTIFY_DEADLETTER, NOTIFY_MESSAGE
from dvc_kernel.batching import Batched
from dvc_kernel.catalog_replica import CatalogReplica
from dvc_kernel.leadership import Leadership, leader_lock
from dvc_kernel.local_secrets import service_secret
from dvc_kernel.service import Background, build_and_run, create_http_app, make_runtime

from . import consumers
from .adapters import sms_protocol
from .adapters.channels import Channels, Sender
from .adapters.email import SmtpSender
from .adapters.results import DeliveryResultDocuments
from .adapters.sms import SmsGateway, SmsReceipt, SmsSink
from .adapters.sms_http import BrandnameSmsClient
from .api import dev_sms, inbox, otp, sms_receipts
from .application import NotifyApplication, Receipt
from .application.dispatcher import MessageDispatcher
from .domain.sms import QuietHours
from .settings import NotifySettings
from .translation import translator


class NoSmsProvider(RuntimeError):
    """Outside development notify needs a real SMS provider: it refuses to start without one."""


def build(settings: NotifySettings | None = None) -> FastAPI:
    settings = settings or NotifySettings()
    if not settings.development and not (settings.sms_provider_url and settings.sms_provider_api_key):
        raise NoSmsProvider(
            "notify needs SMS_PROVIDER_URL and SMS_PROVIDER_API_KEY (the brand-name SMS provider);"
            " only a development stack (DVC_DEVELOPMENT=1) may keep SMS in the local sink"
        )
    catalog = CatalogReplica()  # the names of the units where results wait
    app = NotifyApplication(
        env=settings.eventstore_env(),
        retry=settings.retry_policy(),
        catalog=catalog,
        quiet_hours=QuietHours.parse(settings.quiet_hours),
    )
    app.migrate_mailboxes()  # a store written before ADR 0018 keeps its inboxes
    translate = translator(lambda message_id, version: app.repository.get(message_id, version=version))
    runtime = make_runtime(settings, app, translate, produces=[NOTIFY_MESSAGE.name, NOTIFY_DEADLETTER.name])
    runtime.catalog = catalog
    consumers.register(runtime.broker, runtime.inbox)
    sms, sms_route = _sms(settings, app)
    secret = service_secret(settings.data_dir)
    runtime.background.append(_dispatching(settings, app, _channels(settings, sms, secret)))
    return create_http_app(
        runtime,
        inbox.router(app),
        sms_route,
        otp.router(sms, secret),
        title="Notify",
        description="SMS and e-mail to citizens, in Vietnamese; each citizen's inbox.",
    )


def _sms(settings: NotifySettings, app: NotifyApplication) -> tuple[SmsGateway, APIRouter]:
    """The SMS gateway and its route: the provider when one is configured (always outside
    development), with the route its delivery receipts arrive at; in development without one,
    the local sink, readable at /v1/dev/sms: that route exists nowhere else."""
    # Receipts arrive one by one: those arriving together are recorded in one transaction.
    receipts: Batched[Receipt, bool] = Batched(app.record_receipts, delay=0.05)

    async def on_receipt(receipt: SmsReceipt) -> None:
        await receipts((receipt.message_id, receipt.delivered, receipt.detail, receipt.provider_ref))

    if settings.sms_provider_url:
        api_key = settings.sms_provider_api_key or sms_protocol.api_key(settings.data_dir)
        provider = BrandnameSmsClient(
            settings.sms_provider_url, api_key, settings.sms_brandname, settings.sms_callback_url
        )
        return provider, sms_receipts.router(api_key, on_receipt)
    unreachable = [p.strip() for p in settings.sms_sink_unreachable.split(",") if p.strip()]
    sink = SmsSink(settings.service_dir / "sms-sink.sqlite3", on_receipt=on_receipt, unreachable=unreachable)
    return sink, dev_sms.router(sink)


def _channels(settings: NotifySettings, sms: SmsGateway, secret: str) -> Channels:
    return Channels(
        sms=sms,
        email=SmtpSender(
            settings.smtp_host,
            settings.smtp_port,
            timeout=settings.smtp_timeout_seconds,
            starttls=settings.smtp_starttls,
            username=settings.smtp_username,
            password=settings.smtp_password,
        ),
        results=DeliveryResultDocuments(settings.delivery_url, secret),
        sender=Sender(settings.mail_from_name, settings.mail_from_address),
    )


def _dispatching(settings: NotifySettings, app: NotifyApplication, channels: Channels) -> Background:
    """The background job sending the messages due, while this instance leads."""
    dispatcher = MessageDispatcher(app, channels, concurrency=settings.send_concurrency)
    leadership = Leadership(leader_lock(settings))  # its own lock, apart from the relay's

    async def dispatch_while_leading() -> None:
        """One dispatcher per store (ADR 0013's election): instances sharing the store would
        otherwise try each message once each (harmless, the providers deduplicate, but wasted)."""
        store_id = await asyncio.to_thread(app.store_id)
        await leadership.run(f"notify-dispatcher:{store_id}", dispatcher.run)

    return dispatch_while_leading


def run() -> None:
    build_and_run(build, NotifySettings())
