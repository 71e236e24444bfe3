"""The meta recorded with each event: who acted, in which request, caused by what.

Written by the kernel (`dvc_kernel.meta.CommandMeta.as_dict`); the domain only carries it."""

from __future__ import annotations

from dvc_kernel.event_meta import EventMeta as Meta

__all__ = ["Meta"]
