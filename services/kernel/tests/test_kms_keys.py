"""Personal data keys wrapped by a KMS: the shared directory holds nothing that opens a sealed
field without the KMS, every service agrees on one key per subject, the master key may be
rotated, and erasing a subject's key makes its fields unreadable for good."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from dvc_contracts.registry import PersonalDataErased
from dvc_kernel.key_storage import KeyFiles
from dvc_kernel.kms_keys import KmsUnavailable, KmsWrappedKeys, VaultTransit, key_provider
from dvc_kernel.personal_data import open_value, seal_value
from dvc_simulators.kms.app import create_app

TOKEN = "s.dev-token"


@pytest.fixture
def kms() -> TestClient:
    return TestClient(create_app(TOKEN))


def keys(directory: Path, kms: TestClient, token: str = TOKEN) -> KmsWrappedKeys:
    return KmsWrappedKeys(
        KeyFiles(directory, ".wrapped"), VaultTransit("http://kms", token, "dvc-personal-data", client=kms)
    )


def test_a_sealed_field_opens_in_another_service_with_the_same_kms(tmp_path: Path, kms: TestClient) -> None:
    intake, processing = keys(tmp_path, kms), keys(tmp_path, kms)
    sealed = seal_value(intake.data_key("dossier-1", create=True), "dossier-1", "id_number", "079090001234")
    assert (
        open_value(processing.data_key("dossier-1", create=False), "dossier-1", "id_number", sealed)
        == "079090001234"
    )
    stored = (tmp_path / "do" / "dossier-1.wrapped").read_text()
    assert stored.startswith("vault:v1:")  # only the wrapped key is on disk


def test_without_the_kms_token_the_directory_opens_nothing(tmp_path: Path, kms: TestClient) -> None:
    keys(tmp_path, kms).data_key("dossier-2", create=True)
    with pytest.raises(KmsUnavailable):
        keys(tmp_path, kms, token="stolen-directory-only").data_key("dossier-2", create=False)


def test_keys_wrapped_before_a_master_key_rotation_still_unwrap(tmp_path: Path, kms: TestClient) -> None:
    before = keys(tmp_path, kms).data_key("dossier-3", create=True)
    assert (
        kms.post("/v1/transit/keys/dvc-personal-data/rotate", headers={"X-Vault-Token": TOKEN}).status_code
        == 204
    )
    assert keys(tmp_path, kms).data_key("dossier-3", create=False) == before
    keys(tmp_path, kms).data_key("dossier-4", create=True)
    assert (tmp_path / "do" / "dossier-4.wrapped").read_text().startswith("vault:v2:")


def test_an_erased_subject_cannot_be_read_again_nor_given_a_new_key(tmp_path: Path, kms: TestClient) -> None:
    keys(tmp_path, kms).data_key("dossier-5", create=True)
    keys(tmp_path, kms).erase("dossier-5")
    for create in (False, True):
        with pytest.raises(PersonalDataErased):
            keys(tmp_path, kms).data_key("dossier-5", create=create)


def test_a_service_configured_with_a_kms_keeps_its_data_keys_wrapped(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dvc_kernel.settings import ServiceSettings

    class Settings(ServiceSettings):
        service_name = "intake"
        default_port = 18998

    token_file = tmp_path / "kms-token"
    token_file.write_text(TOKEN)
    monkeypatch.setenv("DVC_PERSONAL_KEYS_KMS_URL", "https://kms.bocongan.internal:8200")
    monkeypatch.setenv("DVC_PERSONAL_KEYS_KMS_TOKEN_FILE", str(token_file))
    settings = Settings(DVC_DATA_DIR=tmp_path)
    provider = key_provider(
        settings.personal_keys_dir,
        settings.personal_keys_kms_url,
        settings.personal_keys_kms_token_file,
        settings.personal_keys_kms_key,
    )
    assert isinstance(provider, KmsWrappedKeys)
    assert (
        isinstance(provider.kms, VaultTransit)
        and provider.kms.base == "https://kms.bocongan.internal:8200/v1/transit"
    )
