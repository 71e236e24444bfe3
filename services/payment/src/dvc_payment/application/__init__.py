"""Payment's application: the commands and queries of each of its users, and its policy for
consumed events. Built by `main.build()`."""

from __future__ import annotations

from .callbacks import Callbacks, Judged
from .citizen import Citizen
from .counter import Counter
from .policy import Policy
from .reconciliation import Reconciliation
from .refunds import Refunds

__all__ = ["Judged", "PaymentApplication"]


class PaymentApplication(Policy, Citizen, Counter, Callbacks, Refunds, Reconciliation):
    """Fee assessment (policy), online payment (citizen), counter receipts (officer), the
    channels' notifications (callbacks), refunds and the daily reconciliation (staff)."""

    name = "payment"  # its store's tables and tracking records are named so: never the class name
