"""Checking a presented PDF's PAdES signature against our trust roots (the public
verification page): whatever the file, a verdict and never an exception."""

from __future__ import annotations

import io
import logging
from dataclasses import dataclass

from asn1crypto import x509 as asn1_x509  # type: ignore[import-untyped]
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko.sign.validation.status import SignatureCoverageLevel
from pyhanko_certvalidator import ValidationContext

from dvc_kernel.threads import in_thread

from .signing import UnitSigner

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class SignatureCheck:
    """What a presented PDF's signature says, whatever document it is."""

    signed: bool
    intact: bool  # the signed bytes were not changed
    trusted: bool  # the signer's certificate chains to our root
    whole_file: bool  # nothing was appended after the signature
    signer: str | None

    @property
    def valid(self) -> bool:
        return self.signed and self.intact and self.trusted and self.whole_file


def check_signature(pdf: bytes, roots: list[asn1_x509.Certificate]) -> SignatureCheck:
    """Validate the last PAdES signature of `pdf` against `roots`; never raises on bad input.

    Blocking, and pyHanko runs an event loop of its own: call it from a worker thread."""
    try:
        reader = PdfFileReader(io.BytesIO(pdf), strict=False)
        signatures = reader.embedded_signatures
    except Exception:
        return SignatureCheck(False, False, False, False, None)
    if not signatures:
        return SignatureCheck(False, False, False, False, None)
    embedded = signatures[-1]
    try:
        status = validate_pdf_signature(embedded, ValidationContext(trust_roots=roots, allow_fetching=False))
    except Exception as exc:  # a damaged signature structure is a verdict, not an error
        log.warning("signature could not be validated: %s", exc)
        return SignatureCheck(True, False, False, False, None)
    signer = status.signing_cert.subject.human_friendly if status.signing_cert is not None else None
    return SignatureCheck(
        signed=True,
        intact=bool(status.intact and status.valid),
        trusted=bool(status.trusted),
        whole_file=status.coverage == SignatureCoverageLevel.ENTIRE_FILE,
        signer=signer,
    )


async def check_off_the_loop(pdf: bytes, signer: UnitSigner) -> SignatureCheck:
    """`check_signature` against the signer's roots, in a worker thread: it is CPU-heavy, and
    pyHanko runs an event loop of its own, which cannot start on the service's."""
    return await in_thread(lambda: check_signature(pdf, signer.trust_roots()))
