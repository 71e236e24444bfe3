"""Event stores holding personal data are encrypted at rest: the database file holds no name,
ID number or phone, the service reads its events back, and a store written before encryption
was turned on still reads."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import ClassVar

import pytest
from eventsourcing.domain import Aggregate, event

from dvc_kernel.application import ServiceApplication
from dvc_kernel.settings import MissingStoreKey, ServiceSettings
from dvc_kernel.store_cipher import StoreCipher


class Applicant(Aggregate):
    @event("Declared")
    def __init__(self, id_number: str, full_name: str, phone: str) -> None:
        self.id_number = id_number
        self.full_name = full_name
        self.phone = phone


class Applicants(ServiceApplication):
    name = "applicants"


class TheSettings(ServiceSettings):
    service_name: ClassVar[str] = "applicants"
    default_port: ClassVar[int] = 18999  # not served: a port only because every service has one


def stored_bytes(path: Path) -> bytes:
    with sqlite3.connect(path) as db:
        return b"".join(row[0] for row in db.execute("SELECT state FROM stored_events"))


def test_the_store_file_holds_no_personal_data_and_the_service_reads_it_back(tmp_path: Path) -> None:
    env = TheSettings(DVC_DATA_DIR=tmp_path).eventstore_env()
    app = Applicants(env=env)
    person = Applicant("079090001234", "Trần Văn Minh", "0903123456")
    app.save(person)
    reader = Applicants(env=env)  # a fresh process reading the file
    again = reader.repository.get(person.id)
    assert (again.id_number, again.full_name, again.phone) == ("079090001234", "Trần Văn Minh", "0903123456")
    raw = (tmp_path / "applicants" / "events.sqlite3").read_bytes() + stored_bytes(
        tmp_path / "applicants" / "events.sqlite3"
    )
    for clear in ("079090001234", "0903123456", "Trần Văn Minh", "Tr\\u1ea7n"):
        assert clear.encode() not in raw


def test_a_store_written_before_encryption_still_reads(tmp_path: Path) -> None:
    env = TheSettings(DVC_DATA_DIR=tmp_path).eventstore_env()
    plain = {k: v for k, v in env.items() if not k.startswith("CIPHER_")}
    old = Applicant("079090001234", "Trần Văn Minh", "0903123456")
    Applicants(env=plain).save(old)
    app = Applicants(env=env)
    new = Applicant("001203004321", "Nguyễn Thị Hoa", "0912345678")
    app.save(new)
    assert app.repository.get(old.id).full_name == "Trần Văn Minh"
    assert app.repository.get(new.id).full_name == "Nguyễn Thị Hoa"
    assert b"0912345678" not in stored_bytes(tmp_path / "applicants" / "events.sqlite3")


def test_a_wrong_key_does_not_read_an_encrypted_record() -> None:
    right = StoreCipher({"CIPHER_KEY": StoreCipher.create_key(32)})  # type: ignore[arg-type]
    wrong = StoreCipher({"CIPHER_KEY": StoreCipher.create_key(32)})  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        wrong.decrypt(right.encrypt(b'{"id_number":"079090001234"}'))


def test_production_on_postgresql_refuses_to_start_without_the_key(tmp_path: Path) -> None:
    settings = TheSettings(DVC_DATA_DIR=tmp_path, PERSISTENCE_MODULE="eventsourcing.postgres")
    with pytest.raises(MissingStoreKey, match="APPLICANTS_CIPHER_KEY"):
        settings.eventstore_env()


def test_records_written_by_pyeventsourcings_pycryptodome_cipher_still_read() -> None:
    """Identity's store was written with pyeventsourcing's pycryptodome cipher before it moved
    to this one (same record layout, on OpenSSL)."""
    from eventsourcing.cipher import AESCipher as PycryptodomeCipher

    env = {"CIPHER_KEY": StoreCipher.create_key(32)}
    assert StoreCipher(env).decrypt(PycryptodomeCipher(env).encrypt(b'{"a":1}')) == b'{"a":1}'  # type: ignore[arg-type]


def test_after_a_key_rotation_old_records_read_with_the_previous_key_and_new_ones_use_the_new(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    old_key, new_key = StoreCipher.create_key(32), StoreCipher.create_key(32)
    monkeypatch.setenv("APPLICANTS_CIPHER_KEY", old_key)
    before = Applicant("079090001234", "Trần Văn Minh", "0903123456")
    Applicants(env=TheSettings(DVC_DATA_DIR=tmp_path).eventstore_env()).save(before)

    monkeypatch.setenv("APPLICANTS_CIPHER_KEY", new_key)
    monkeypatch.setenv("APPLICANTS_CIPHER_PREVIOUS_KEYS", old_key)
    rotated = Applicants(env=TheSettings(DVC_DATA_DIR=tmp_path).eventstore_env())
    after = Applicant("079190005678", "Lê Thị Mai", "0912345678")
    rotated.save(after)
    assert rotated.repository.get(before.id).full_name == "Trần Văn Minh"
    assert rotated.repository.get(after.id).full_name == "Lê Thị Mai"

    monkeypatch.delenv("APPLICANTS_CIPHER_PREVIOUS_KEYS")  # the old key retired too early
    only_new = Applicants(env=TheSettings(DVC_DATA_DIR=tmp_path).eventstore_env())
    assert only_new.repository.get(after.id).full_name == "Lê Thị Mai"
    with pytest.raises(ValueError):
        only_new.repository.get(before.id)
