"""Delivery's application: named commands grouped by who uses them, and its policy.

* `policy.py` — reactions to the dossier events it consumes (registers, follows, sends results);
* `readers.py` — the owner's and the unit staff's reads (staff reads recorded);
* `citizen.py` — another postal address, a pickup slot booked;
* `officer.py` — the result handed over at the counter;
* `postal.py` — the post's tracking updates and the orders placed with it;
* `public.py` — verification of an e-result, and notify's fetch of the PDF.
"""

from __future__ import annotations

from .citizen import Citizen
from .officer import Officer
from .policy import Policy
from .postal import PostalOperator
from .public import Public, Verdict
from .readers import Readers

__all__ = ["DeliveryApplication", "Verdict"]


class DeliveryApplication(Policy, Readers, Citizen, Officer, PostalOperator, Public):
    """Delivery's event-sourced application (built in `main.build()`)."""

    name = "delivery"  # its store's tables and tracking records are named so: never the class name
