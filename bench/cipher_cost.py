"""CPU cost of encrypting and decrypting one stored event (store_cipher.StoreCipher), against
pyeventsourcing's pycryptodome cipher identity used before: `.venv/bin/python -m bench.cipher_cost`."""

from __future__ import annotations

import time
import timeit
from typing import Any

from eventsourcing.cipher import AESCipher as PycryptodomeCipher

from dvc_kernel.store_cipher import StoreCipher


def per_call_us(call: Any, number: int) -> float:
    return timeit.timeit(call, number=number, timer=time.process_time) / number * 1e6


def main(number: int = 20_000) -> None:
    env: Any = {"CIPHER_KEY": StoreCipher.create_key(32)}
    ciphers = {"StoreCipher (OpenSSL)": StoreCipher(env), "pycryptodome": PycryptodomeCipher(env)}
    for size in (300, 2500):  # a small event; a Submitted dossier with its form
        state = b'{"x":"' + b"a" * size + b'"}'
        for name, cipher in ciphers.items():
            sealed = cipher.encrypt(state)
            enc = per_call_us(lambda c=cipher, s=state: c.encrypt(s), number)
            dec = per_call_us(lambda c=cipher, s=sealed: c.decrypt(s), number)
            print(f"{name:22} {size:5} B: encrypt {enc:5.1f} µs, decrypt {dec:5.1f} µs")


if __name__ == "__main__":
    main()
