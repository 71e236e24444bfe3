"""Where the data keys of personal fields are kept (ADR 0021): one SQLite ring on one host, one
file per subject on a volume shared between hosts. Either way every service of the host gets the
same key for a subject, a key is on disk before it is used, and an erased key is gone for good."""

from __future__ import annotations

import base64
import multiprocessing
import stat
from pathlib import Path

import pytest

from dvc_contracts.registry import PersonalDataErased
from dvc_kernel.key_storage import KeyFiles, KeyRing, key_storage
from dvc_kernel.kms_keys import key_provider
from dvc_kernel.personal_data import LocalKeys


def _key_in_a_new_process(directory: str, key_id: str) -> bytes:
    return LocalKeys(KeyRing(Path(directory))).data_key(key_id, create=True)


def test_services_racing_to_make_a_subjects_key_all_get_the_same_one(tmp_path: Path) -> None:
    with multiprocessing.get_context("spawn").Pool(4) as pool:
        keys = pool.starmap(_key_in_a_new_process, [(str(tmp_path), "dossier-race")] * 8)
    assert len(set(keys)) == 1 and len(keys[0]) == 32


def test_a_new_key_is_kept_before_it_is_handed_out(tmp_path: Path) -> None:
    ring = KeyRing(tmp_path)
    made = LocalKeys(ring).data_key("dossier-1", create=True)
    ring.close()  # nothing left to flush: another service reads it at once
    assert LocalKeys(KeyRing(tmp_path)).data_key("dossier-1", create=False) == made


def test_only_the_owner_can_read_the_ring(tmp_path: Path) -> None:
    LocalKeys(KeyRing(tmp_path)).data_key("dossier-2", create=True)
    for name in ("keys.sqlite3", "keys.sqlite3-wal"):
        assert stat.S_IMODE((tmp_path / name).stat().st_mode) == 0o600, name


def test_an_erased_key_leaves_no_copy_and_the_subject_never_gets_a_new_one(tmp_path: Path) -> None:
    ring = KeyRing(tmp_path)
    keys = LocalKeys(ring)
    key = keys.data_key("dossier-3", create=True)
    for other in range(50):  # neighbours on the same pages stay readable
        keys.data_key(f"dossier-3-{other}", create=True)
    keys.erase("dossier-3")
    ring.close()

    forms = (key, base64.b64encode(key))
    for path in tmp_path.rglob("*"):
        content = path.read_bytes()
        assert not any(form in content for form in forms), path
    again = LocalKeys(KeyRing(tmp_path))
    for create in (False, True):
        with pytest.raises(PersonalDataErased):
            again.data_key("dossier-3", create=create)
    assert len(again.data_key("dossier-3-7", create=False)) == 32


def test_keys_kept_as_files_before_the_ring_are_still_read_and_erased(tmp_path: Path) -> None:
    before = LocalKeys(KeyFiles(tmp_path)).data_key("dossier-4", create=True)
    keys = LocalKeys(KeyRing(tmp_path))
    assert keys.data_key("dossier-4", create=False) == before
    keys.erase("dossier-4")
    for keeper in (KeyFiles(tmp_path), KeyRing(tmp_path)):
        with pytest.raises(PersonalDataErased):
            LocalKeys(keeper).data_key("dossier-4", create=False)


def test_a_volume_shared_between_hosts_keeps_one_file_per_subject(tmp_path: Path) -> None:
    provider = key_provider(tmp_path, None, None, "dvc-personal-data", "files")
    assert isinstance(provider, LocalKeys) and isinstance(provider.storage, KeyFiles)
    provider.data_key("dossier-5", create=True)
    assert (tmp_path / "do" / "dossier-5.key").is_file()
    assert not (tmp_path / "keys.sqlite3").exists()
    assert isinstance(key_storage(tmp_path), KeyRing)  # one host: the default


@pytest.mark.parametrize("storage", [KeyRing, KeyFiles])
def test_a_key_id_that_is_not_a_plain_id_is_refused_before_anything_is_read_or_written(
    tmp_path: Path, storage: type[KeyRing] | type[KeyFiles]
) -> None:
    keeper = storage(tmp_path / "keys")
    for bad in ("../outside", "", "a/b", "dossier 1"):
        with pytest.raises(ValueError, match="letters, digits and dashes"):
            keeper.get(bad)
        with pytest.raises(ValueError):
            keeper.add(bad, "kept")
        with pytest.raises(ValueError):
            keeper.erase(bad)
