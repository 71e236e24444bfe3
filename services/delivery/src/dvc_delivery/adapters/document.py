"""The e-result as a PDF: Vietnamese text in an embedded Unicode font, and a QR code to verify it.

The font is DejaVu Sans (free licence, `data/fonts/LICENSE_DEJAVU`), bundled in the package so
no machine needs fonts installed; fpdf2 embeds the subset used with a ToUnicode map, so the
text extracted from the PDF is the Vietnamese that was written.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from importlib.resources import as_file, files
from typing import Any

import segno
import yaml
from fpdf import FPDF

from dvc_kernel.clock import VIETNAM

FONT = "DejaVu"


@dataclass(frozen=True)
class ResultDocument:
    dossier_code: str
    procedure: str
    applicant: str
    result_form: str
    summary: str
    unit: str
    issued_at: datetime
    verification_code: str
    verification_url: str


@cache
def wording() -> dict[str, Any]:
    text = files("dvc_delivery").joinpath("data/result_document.yaml").read_text(encoding="utf-8")
    loaded: dict[str, Any] = yaml.safe_load(text)
    return loaded


def render(doc: ResultDocument) -> bytes:
    words = wording()
    pdf = FPDF(format="A4")
    pdf.set_creator("DVC Bộ Công an")
    pdf.set_title(f"{words['title']} - {doc.dossier_code}")
    fonts = files("dvc_delivery").joinpath("data/fonts")
    with (
        as_file(fonts.joinpath("DejaVuSans.ttf")) as regular,
        as_file(fonts.joinpath("DejaVuSans-Bold.ttf")) as bold,
    ):
        pdf.add_font(FONT, "", str(regular))
        pdf.add_font(FONT, "B", str(bold))
    pdf.set_margins(20, 18, 20)
    pdf.add_page()
    width = pdf.epw
    pdf.set_font(FONT, "B", 10)
    pdf.cell(width * 0.4, 6, words["header_left"], align="C")
    pdf.cell(width * 0.6, 6, words["header_right"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.cell(width * 0.4, 6, doc.unit, align="C")
    pdf.cell(width * 0.6, 6, words["motto"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(10)
    pdf.set_font(FONT, "B", 14)
    pdf.multi_cell(width, 8, words["title"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 9)
    pdf.cell(width, 6, words["subtitle"], align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    rows = words["rows"]
    values = {
        "dossier_code": doc.dossier_code,
        "procedure": doc.procedure,
        "applicant": doc.applicant,
        "result_form": doc.result_form,
        "unit": doc.unit,
        "issued_at": doc.issued_at.astimezone(VIETNAM).strftime("%H:%M ngày %d/%m/%Y"),
    }
    for key, label in rows.items():
        pdf.set_font(FONT, "B", 11)
        pdf.cell(45, 7, f"{label}:")
        pdf.set_font(FONT, "", 11)
        pdf.multi_cell(width - 45, 7, values[key], new_x="LMARGIN", new_y="NEXT")
    pdf.ln(4)
    pdf.set_font(FONT, "B", 11)
    pdf.cell(width, 7, f"{words['summary_heading']}:", new_x="LMARGIN", new_y="NEXT")
    pdf.set_font(FONT, "", 11)
    pdf.multi_cell(width, 7, doc.summary, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(8)
    top = pdf.get_y()
    _qr(pdf, doc.verification_url, x=pdf.l_margin, y=top, size=35)
    pdf.set_xy(pdf.l_margin + 40, top)
    pdf.set_font(FONT, "", 9)
    note = words["verification"].format(url=doc.verification_url, code=doc.verification_code)
    pdf.multi_cell(width - 40, 5, note)
    return bytes(pdf.output())


def _qr(pdf: FPDF, data: str, *, x: float, y: float, size: float) -> None:
    """The QR code drawn as vector squares: sharp at any zoom, no image library involved."""
    matrix = segno.make(data, error="m", micro=False).matrix
    border = 2
    modules = len(matrix) + 2 * border
    step = size / modules
    pdf.set_fill_color(0, 0, 0)
    for row, line in enumerate(matrix):
        for col, dark in enumerate(line):
            if dark:
                pdf.rect(x + (col + border) * step, y + (row + border) * step, step, step, style="F")
