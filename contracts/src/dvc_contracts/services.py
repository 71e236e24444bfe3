"""The seven services and their default HTTP ports (ADR 0001); `<SERVICE>_PORT` moves one.

Here because every image carries the contracts: the container health check, the gateway's
configuration and the development launcher read this one table."""

from __future__ import annotations

DEFAULT_PORTS: dict[str, int] = {
    "identity": 8101,
    "catalog": 8102,
    "intake": 8103,
    "processing": 8104,
    "payment": 8105,
    "delivery": 8106,
    "notify": 8107,
}
