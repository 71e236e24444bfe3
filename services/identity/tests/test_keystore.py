"""The signing keys: encrypted on disk, shared by instances, rotated without logging anyone out."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

from dvc_identity.adapters.keystore import KeyStore
from dvc_kernel.clock import FixedClock


def test_the_ring_is_stored_encrypted_and_shared(tmp_path: Path, clock: FixedClock) -> None:
    path = tmp_path / "signing-keys.json"
    first = KeyStore(path, b"mat-khau", clock)
    second = KeyStore(path, b"mat-khau", clock)  # another instance on the same data dir

    assert [k.kid for k in first.ring().keys] == [k.kid for k in second.ring().keys]
    document = json.loads(path.read_text())
    assert all("ENCRYPTED PRIVATE KEY" in k["private_key_pem"] for k in document["keys"])
    assert path.stat().st_mode & 0o077 == 0


def test_rotation_publishes_ahead_then_prunes_when_old_tokens_are_dead(
    tmp_path: Path, clock: FixedClock
) -> None:
    path = tmp_path / "signing-keys.json"
    store = KeyStore(path, b"k", clock, rotate_every=timedelta(days=30))
    old = store.ring().active(clock.now()).kid

    clock.set(clock.now() + timedelta(days=30))
    store.refresh()
    ring = store.ring()
    assert len(ring.keys) == 2
    assert ring.active(clock.now()).kid == old  # the new key is published 15 minutes ahead
    assert store.get_key(ring.keys[-1].kid) is not None

    other = KeyStore(path, b"k", clock)  # the second instance sees the same ring
    assert [k.kid for k in other.ring().keys] == [k.kid for k in ring.keys]

    clock.set(clock.now() + timedelta(minutes=15))
    assert store.refresh().active(clock.now()).kid != old
    clock.set(clock.now() + timedelta(minutes=16))
    assert [k.kid for k in store.refresh().keys] == [ring.keys[-1].kid]
