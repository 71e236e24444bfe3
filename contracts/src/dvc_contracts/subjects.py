"""What a piece of work is about, named once for every service's logs and spans (the kernel
reads these names and knows nothing of dossiers itself).

Most public events are about one dossier: its id and code tie together the logs and spans of
everything done about it in every service. (Which payload field a service's parked events wait
on is the service's own choice: `ServiceApplication.subject_field`.)
"""

from __future__ import annotations

# Payload fields bound, when present, to the logs of the work (under these names) and to its
# spans (as `dvc.<name>`), so one subject's lines and traces can be picked out of all of them.
CONTEXT_FIELDS = ("dossier_id", "dossier_code")

# HTTP routes about one subject: (route template part, path parameter, context field).
SUBJECT_ROUTES = (("/dossiers/{code}", "code", "dossier_code"),)
