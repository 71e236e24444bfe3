"""The services' event stores: the eventsourcing library's SQLite and PostgreSQL recorders, with
what the kernel adds in the same transaction as the events (ADR 0018):

- several tracking records at once (a consumed batch tracks each partition it read);
- lookup rows (`name`, `key`, `value`): small indexes a command writes (`lookups=[...]`) or
  deletes (`unlookups=[...]`) with its events, so a query such as "this account's dossiers"
  reads rows instead of replaying an aggregate that grows with the account's history.

`PERSISTENCE_MODULE` stays `eventsourcing.sqlite` or `eventsourcing.postgres` in the settings;
`ServiceSettings.eventstore_env` maps them to these modules.
"""

from __future__ import annotations

Lookup = tuple[str, str, str]  # (name, key, value)
