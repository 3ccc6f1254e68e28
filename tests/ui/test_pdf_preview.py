"""The PDF preview: loads the generated document, saves its bytes, prints every page."""

from __future__ import annotations

import io
import subprocess
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtPrintSupport import QPrinter
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from ui.pdf_preview import PdfPreview, open_pdf_preview


def _pdf(pages: int, label: str = "Page") -> bytes:
    out = io.BytesIO()
    pdf = canvas.Canvas(out, pagesize=A4)
    for n in range(pages):
        pdf.drawString(72, 720, f"{label} {n + 1}")
        pdf.showPage()
    pdf.save()
    return out.getvalue()


def test_the_preview_shows_the_generated_pages(qtbot: Any) -> None:
    calls: list[Any] = []

    def job(choice: Any) -> bytes:
        calls.append(choice)
        return _pdf(3)

    dialog = open_pdf_preview(None, "Brief", "brief", job)
    qtbot.addWidget(dialog)
    assert calls == [None]
    assert dialog.page_count() == 3
    assert "3" in dialog.pages_label.text()
    assert not dialog.busy.isVisible()
    assert dialog.save_button.isEnabled() and dialog.print_button.isEnabled()


def test_a_choice_generates_the_document_again(qtbot: Any) -> None:
    dialog = PdfPreview(
        "Badges", "badges", lambda layout: _pdf(2 if layout == "8" else 4),
        choices=[("8 per page", "8"), ("6 per page", "6")], choice_label="Layout",
    )  # fmt: skip
    qtbot.addWidget(dialog)
    dialog.generate()
    assert dialog.page_count() == 2
    dialog.choice.setCurrentIndex(1)
    assert dialog.page_count() == 4


def test_a_failed_generation_says_so_and_offers_nothing_to_save(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    reported: list[BaseException] = []
    monkeypatch.setattr("ui.errors.report", reported.append)

    def job(_choice: Any) -> bytes:
        raise ValueError("no such event")

    dialog = PdfPreview("Brief", "brief", job)
    qtbot.addWidget(dialog)
    dialog.generate()
    assert isinstance(reported[0], ValueError)
    assert not dialog.save_button.isEnabled()
    assert dialog.save() is None


def test_save_writes_the_very_bytes(qtbot: Any, tmp_path: Path) -> None:
    data = _pdf(2)
    dialog = PdfPreview("Brief", "brief", lambda _c: data)
    qtbot.addWidget(dialog)
    dialog.generate()
    folder = tmp_path / "out"
    folder.mkdir()
    written = dialog.save(folder / "fiche")
    assert written == folder / "fiche.pdf"
    assert written.read_bytes() == data
    assert [p.name for p in folder.iterdir()] == ["fiche.pdf"]  # no temp file left


def test_print_renders_every_page_onto_the_printer(qtbot: Any, tmp_path: Path) -> None:
    dialog = PdfPreview("Brief", "brief", lambda _c: _pdf(3))
    qtbot.addWidget(dialog)
    dialog.generate()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    out = tmp_path / "printed.pdf"
    printer.setOutputFileName(str(out))
    assert dialog.print_to(printer) == 3
    info = subprocess.run(["qpdf", "--show-npages", str(out)], capture_output=True, text=True)
    assert info.stdout.strip() == "3"
    assert out.stat().st_size > 10_000  # pages carry the rendered images, not blank paper
