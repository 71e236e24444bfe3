"""CPU cost of sealing the personal fields of one Submitted event when it is published, and of
opening them in a consumer (ADR 0021), key already cached; and of making a new subject's data
key, kept as a file or in the ring (ADR 0018): `.venv/bin/python -m bench.personal_data_cost`."""

from __future__ import annotations

import tempfile
import time
import timeit
import uuid
from pathlib import Path

from dvc_contracts.dossier import Submitted
from dvc_kernel import personal_data
from dvc_kernel.key_storage import KeyFiles, KeyRing, KeyStorage
from dvc_testing import factories


def main(number: int = 20_000) -> None:
    sealer = personal_data.PersonalData(personal_data.LocalKeys(KeyRing(Path(tempfile.mkdtemp()))))
    event = factories.submitted(
        applicant=factories.MINH,
        form_data={f"truong_{i}": "Số 12, đường Lê Lợi, phường Bến Thành" for i in range(25)},
    )
    subject = str(event.dossier_id)
    sealed = sealer.seal(event, subject)
    plain = event.model_dump(mode="json")
    for name, call in (
        ("model_dump alone (before)", lambda: event.model_dump(mode="json")),
        ("seal (model_dump + 2 fields)", lambda: sealer.seal(event, subject)),
        ("open 2 fields", lambda: sealer.open(Submitted, sealed, subject)),
        ("validate opened payload", lambda: Submitted.model_validate(plain)),
    ):
        seconds = timeit.timeit(call, number=number, timer=time.process_time)
        print(f"{name:30} {seconds / number * 1e6:6.1f} µs")
    new_keys(number // 10)


def new_keys(number: int) -> None:
    """A dossier's first event makes its key: a file and its fsync, or a row of the ring."""
    storages: list[tuple[str, KeyStorage]] = [
        ("new key, one file each", KeyFiles(Path(tempfile.mkdtemp()))),
        ("new key, in the ring", KeyRing(Path(tempfile.mkdtemp()))),
    ]
    for name, storage in storages:
        keys = personal_data.LocalKeys(storage)
        ids = [str(uuid.uuid4()) for _ in range(number)]
        started = time.process_time()
        for key_id in ids:
            keys.data_key(key_id, create=True)
        seconds = time.process_time() - started
        print(f"{name:30} {seconds / number * 1e6:6.1f} µs")


if __name__ == "__main__":
    main()
