"""The PDF preview: loads the generated document, saves its bytes, prints every page."""

from __future__ import annotations

import datetime as dt
import io
import re
import subprocess
import threading
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import Qt as QtKeys
from PySide6.QtCore import QThread
from PySide6.QtPrintSupport import QPrinter
from PySide6.QtWidgets import QApplication, QPushButton
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from cmplanner.documents import base
from cmplanner.errors import NotFound
from ui.documents.preview import PdfPreview, documents_folder, file_name, open_pdf_preview
from ui.kit import jobs as tasks


def _spy_progress(dialog: PdfPreview, seen: Any) -> None:
    """Every progress report the dialog's layout jobs send from the worker, dropped or not."""

    def spy(job: Any, values: tuple[Any, ...]) -> None:
        if job.key == (dialog, "layout"):
            seen(job, *values)

    tasks.runner()._progressed.connect(spy)
    dialog.destroyed.connect(lambda: tasks.runner()._progressed.disconnect(spy))


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
    assert dialog.status.text() == "3 pages"
    assert dialog.page_total.text() == "of 3"
    assert not dialog.progress.isVisible()
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
    monkeypatch.setattr("ui.kit.errors.report", reported.append)

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


def _guest_list(rows: int) -> bytes:
    """A document like the brief of a big event: a heading and a long guest table."""

    def build(doc: base.DocTemplate) -> list[Any]:
        guests = [[f"Guest {i}", "Organization", "Yes"] for i in range(rows)]
        return [base.paragraph("Guests"), base.table(guests, ["Name", "Org", "RSVP"], [90] * 3)]

    return base.build_pdf(build, title="Brief")


@pytest.fixture
def worker_thread() -> Iterator[ThreadPoolExecutor]:
    """The real thing: jobs on a worker thread, results marshalled back by signals."""
    executor = ThreadPoolExecutor(max_workers=1)
    tasks.set_executor(executor)
    yield executor
    executor.shutdown(wait=True)
    tasks.set_executor(tasks.SynchronousExecutor())


def test_the_bar_follows_the_layout_of_a_long_guest_list(qtbot: Any) -> None:
    dialog = PdfPreview("Brief", "brief", lambda _c: _guest_list(1000))
    qtbot.addWidget(dialog)
    seen: list[int] = []
    statuses: set[str] = set()

    def moved(value: int) -> None:
        seen.append(value)
        statuses.add(dialog.status.text())

    dialog.progress.valueChanged.connect(moved)
    dialog.generate()
    assert (dialog.progress.minimum(), dialog.progress.maximum()) == (0, 100)  # determinate
    assert seen == sorted(seen) and seen[-1] == 100
    assert len(set(seen)) >= 10  # page by page, not one jump at the end
    assert {s for s in statuses if re.fullmatch(r"Laying out… \d+%", s)}
    assert dialog.page_count() > 10
    assert dialog.status.text() == f"{dialog.page_count()} pages"
    assert not dialog.progress.isVisible()


def test_progress_crosses_from_the_worker_thread_throttled(
    qtbot: Any, worker_thread: ThreadPoolExecutor
) -> None:
    dialog = PdfPreview("Brief", "brief", lambda _c: _guest_list(1000))
    qtbot.addWidget(dialog)
    emitted: list[int] = []
    _spy_progress(dialog, lambda _job, percent: emitted.append(percent))
    threads: set[Any] = set()
    seen: list[int] = []

    def moved(value: int) -> None:
        threads.add(QThread.currentThread())
        seen.append(value)

    dialog.progress.valueChanged.connect(moved)
    dialog.generate()
    assert dialog.page_count() == 0  # not laid out yet: the worker has it
    qtbot.waitUntil(lambda: dialog.page_count() > 0, timeout=20_000)
    assert threads == {QApplication.instance().thread()}  # the bar moved in the GUI thread
    assert len(emitted) <= 101  # one signal per percent, not one per row
    assert emitted == sorted(emitted) and emitted[-1] == 100
    assert seen[-1] == 100 and len(set(seen)) >= 10


def test_a_superseded_generation_does_not_move_the_bar(
    qtbot: Any, worker_thread: ThreadPoolExecutor
) -> None:
    """The layout changed while the old one was still being laid out: the old one's
    progress (and result) are dropped, the bar waits for the new one."""
    release_old, release_new = threading.Event(), threading.Event()

    def job(layout: Any) -> bytes:
        if layout == "8":
            release_old.wait(10)
            return _guest_list(600)
        release_new.wait(10)
        return _pdf(2)

    dialog = PdfPreview("Badges", "badges", job, choices=[("8 per page", "8"), ("6 per page", "6")])
    qtbot.addWidget(dialog)
    emitted: list[tuple[int, int]] = []
    _spy_progress(dialog, lambda job, percent: emitted.append((job.serial, percent)))
    values: list[int] = []
    dialog.progress.valueChanged.connect(values.append)
    dialog.generate()
    first = tasks.runner()._latest[(dialog, "layout")].serial
    dialog.choice.setCurrentIndex(1)  # a second layout, queued behind the first
    assert tasks.pending((dialog, "layout"))
    assert tasks.runner()._latest[(dialog, "layout")].serial != first
    release_old.set()
    qtbot.waitUntil(lambda: bool(emitted) and emitted[-1] == (first, 100), timeout=20_000)
    qtbot.wait(100)  # the old one's queued signals and result are all delivered
    assert len(emitted) >= 10  # the old layout did report…
    assert values == [] and dialog.progress.value() == 0  # …and the bar never moved
    assert dialog.status.text() == "Preparing the document…"
    assert dialog.page_count() == 0
    release_new.set()
    qtbot.waitUntil(lambda: dialog.page_count() == 2, timeout=10_000)
    assert dialog.progress.value() == 100
    assert dialog.status.text() == "2 pages"


def test_page_keys_move_through_the_pages(qtbot: Any) -> None:
    dialog = open_pdf_preview(None, "Brief", "brief", lambda _c: _pdf(5))
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    dialog.view.setFocus()
    assert dialog.page() == 0 and dialog.page_box.value() == 1
    assert not dialog.previous_button.isEnabled() and dialog.next_button.isEnabled()
    qtbot.keyClick(dialog.view, QtKeys.Key.Key_PageDown)
    assert dialog.page() == 1 and dialog.page_box.value() == 2
    assert dialog.previous_button.isEnabled()
    qtbot.keyClick(dialog.view, QtKeys.Key.Key_End)
    assert dialog.page() == 4 and dialog.page_box.value() == 5
    assert not dialog.next_button.isEnabled()
    qtbot.keyClick(dialog.view, QtKeys.Key.Key_PageDown)  # already the last: stays
    assert dialog.page() == 4
    qtbot.keyClick(dialog.view, QtKeys.Key.Key_PageUp)
    assert dialog.page() == 3
    qtbot.keyClick(dialog.view, QtKeys.Key.Key_Home)
    assert dialog.page() == 0
    dialog.page_box.setValue(3)  # typed in the page box
    assert dialog.page() == 2
    dialog.next_button.click()
    assert dialog.page() == 3


def test_zoom_buttons_and_fit_width(qtbot: Any) -> None:
    dialog = open_pdf_preview(None, "Brief", "brief", lambda _c: _pdf(2))
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    fitted = dialog.zoom_factor()
    dialog.zoom_in_button.click()
    assert dialog.zoom_factor() == pytest.approx(fitted * 1.25, rel=0.01)
    assert dialog.zoom_label.text() == f"{round(fitted * 125)}%"
    dialog.zoom_out_button.click()
    dialog.zoom_out_button.click()
    assert dialog.zoom_factor() == pytest.approx(fitted / 1.25, rel=0.01)
    dialog.fit_button.click()
    assert dialog.zoom_factor() == pytest.approx(fitted, rel=0.01)


def test_escape_closes_the_preview(qtbot: Any) -> None:
    dialog = open_pdf_preview(None, "Brief", "brief", lambda _c: _pdf(1))
    qtbot.addWidget(dialog)
    qtbot.waitExposed(dialog)
    dialog.view.setFocus()
    qtbot.keyClick(dialog.view, QtKeys.Key.Key_Escape)
    assert not dialog.isVisible()


def test_save_suggests_the_subject_and_date_in_the_folder_used_last(
    qtbot: Any, tmp_path: Path
) -> None:
    assert file_name("brief-apero-du-jeudi", dt.date(2026, 11, 26)) == (
        "brief-apero-du-jeudi-2026-11-26.pdf"
    )
    assert file_name('Q&A <b>Meetup</b> / "été"') == "q-a-b-meetup-b-ete.pdf"
    assert file_name("///") == "document.pdf"
    dialog = PdfPreview(
        "Brief", "brief-apero-du-jeudi", lambda _c: _pdf(1), date=dt.date(2026, 11, 26)
    )
    qtbot.addWidget(dialog)
    dialog.generate()
    assert dialog.suggested_path() == documents_folder() / "brief-apero-du-jeudi-2026-11-26.pdf"
    folder = tmp_path / "printouts"
    folder.mkdir()
    dialog.save(folder / "mine.pdf")
    again = PdfPreview("Sign-in", "sign-in-apero", lambda _c: _pdf(1), date=dt.date(2026, 12, 3))
    qtbot.addWidget(again)
    assert again.suggested_path() == folder / "sign-in-apero-2026-12-03.pdf"


def test_save_dialog_proposes_the_suggested_path(
    qtbot: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []

    def ask(_parent: Any, _caption: str, proposed: str, _filter: str) -> str:
        asked.append(proposed)
        return str(tmp_path / "chosen")

    monkeypatch.setattr("ui.kit.file_dialogs.save_file_name", ask)
    dialog = PdfPreview("Brief", "brief-x", lambda _c: _pdf(1), date=dt.date(2026, 1, 2))
    qtbot.addWidget(dialog)
    dialog.generate()
    proposed = str(documents_folder() / "brief-x-2026-01-02.pdf")
    assert dialog.save() == tmp_path / "chosen.pdf"
    assert asked == [proposed]


def test_an_event_deleted_meanwhile_is_said_in_the_dialog(
    qtbot: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    reported: list[BaseException] = []
    monkeypatch.setattr("ui.kit.errors.report", reported.append)
    exists = [False]

    def job(_choice: Any) -> bytes:
        if not exists[0]:
            raise NotFound("Event 7 does not exist.")
        return _pdf(2)

    dialog = open_pdf_preview(None, "Brief", "brief", job)
    qtbot.addWidget(dialog)
    assert reported == []  # said here, not in a second dialog
    assert dialog.pages.currentWidget() is not dialog.view
    assert dialog.error_label.isVisible()
    assert "could not be prepared" in dialog.error_label.text()
    assert "Event 7 does not exist." in dialog.error_label.text()
    assert not dialog.save_button.isEnabled() and not dialog.print_button.isEnabled()
    assert not dialog.progress.isVisible()
    assert not dialog.view_controls.isVisible()  # no pages to move through
    exists[0] = True
    retry = dialog.findChild(QPushButton, "retryPreview")
    retry.click()
    assert dialog.pages.currentWidget() is dialog.view
    assert dialog.page_count() == 2 and dialog.save_button.isEnabled()
    assert dialog.view_controls.isVisible()


def test_print_honours_the_page_range(qtbot: Any, tmp_path: Path) -> None:
    dialog = PdfPreview("Brief", "brief", lambda _c: _pdf(5))
    qtbot.addWidget(dialog)
    dialog.generate()
    printer = QPrinter(QPrinter.PrinterMode.ScreenResolution)
    printer.setOutputFormat(QPrinter.OutputFormat.PdfFormat)
    printer.setOutputFileName(str(tmp_path / "range.pdf"))
    printer.setPrintRange(QPrinter.PrintRange.PageRange)
    printer.setFromTo(2, 3)
    assert dialog.pages_to_print(printer) == [1, 2]
    assert dialog.print_to(printer) == 2
    info = subprocess.run(
        ["qpdf", "--show-npages", str(tmp_path / "range.pdf")], capture_output=True, text=True
    )
    assert info.stdout.strip() == "2"
    dialog.go_to(3)
    printer.setPrintRange(QPrinter.PrintRange.CurrentPage)
    assert dialog.pages_to_print(printer) == [3]
