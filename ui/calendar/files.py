"""Calendars in and out of files and servers: .ics export, .ics import, guests' replies, and
publishing to a CalDAV calendar.

Export writes a METHOD:PUBLISH file (`cmplanner.interop.ics.export`); import makes a backup
first and writes everything or nothing (`cmplanner.interop.ics`); replies update guests' answers
(`ics.replies`); publishing pushes one resource per event (`interop.caldav`). All of it runs
on the database worker; the reports are shown in one dialog.
"""

from __future__ import annotations

import datetime as dt
import email
import email.policy
import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from cmplanner.bus import Changes
from cmplanner.i18n import N_, _, ngettext
from cmplanner.storage import Database
from ui.kit import accessible, errors, file_dialogs, theme
from ui.kit.date_fields import date_edit
from ui.kit.jobs import Job, run_in_background

ICS_FILTER = N_("iCalendar files (*.ics);;All files (*)")
REPLY_FILTER = N_("Replies (*.ics *.eml);;iCalendar files (*.ics);;E-mails (*.eml);;All files (*)")
CALENDAR_SUFFIXES = {".ics", ".ical", ".ifb", ".icalendar"}
MAIL_SUFFIXES = {".eml"}
_METHOD = re.compile(rb"^METHOD:([A-Za-z-]+)\s*$", re.MULTILINE | re.IGNORECASE)
_HEAD_BYTES = 65536


def _tell(parent: QWidget | None, text: str) -> None:
    window = parent.window() if parent is not None else None
    show = getattr(window, "show_message", None)
    if callable(show):
        show(text)


def file_stem(text: str, fallback: str) -> str:
    """A file name from an event's or a community's name (letters, digits and dashes)."""
    from cmplanner.interop.mail.imip import safe_name

    return safe_name(text) or fallback


# --- export ------------------------------------------------------------------------------------


def write_calendar(
    db: Database,
    path: Path,
    event_ids: Sequence[int] | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    community: str | int | None = None,
) -> int:
    """Write the chosen events to `path` (on the worker); returns how many."""
    from cmplanner import clock
    from cmplanner.interop.ics.export import day_range, export_file

    start, end = day_range(first, last, clock.local_zone_name())
    return export_file(
        db,
        path,
        event_ids=list(event_ids) if event_ids is not None else None,
        start=start,
        end=end,
        community=community,
    )


def ask_ics_path(parent: QWidget | None, title: str, stem: str) -> Path | None:
    """The save dialog for an .ics file, `stem`.ics proposed in the home folder."""
    name = file_dialogs.save_file_name(
        parent, title, str(Path.home() / f"{stem}.ics"), _(ICS_FILTER)
    )
    if not name:
        return None
    path = Path(name)
    return path if path.suffix else path.with_suffix(".ics")


def export_calendar(
    parent: QWidget | None,
    db: Database,
    *,
    stem: str,
    event_ids: Sequence[int] | None = None,
    first: dt.date | None = None,
    last: dt.date | None = None,
    community: str | int | None = None,
    path: Path | None = None,
    then: Callable[[int], None] | None = None,
) -> None:
    """Ask where (unless `path`), then write the calendar in the background and say how many
    events went into it in the status bar."""
    if path is None:
        path = ask_ics_path(parent, _("Export calendar"), stem)
        if path is None:
            return
    target = path

    def done(n: int) -> None:
        _tell(
            parent,
            ngettext("Exported {n} event to {path}", "Exported {n} events to {path}", n).format(
                n=n, path=target
            ),
        )
        if then is not None:
            then(n)

    run_in_background(
        write_calendar,
        db,
        target,
        event_ids,
        first,
        last,
        community,
        on_success=done,
        label=_("Exporting the calendar…"),
    )


def _day(edit: QDateEdit) -> dt.date:
    d = edit.date()
    return dt.date(d.year(), d.month(), d.day())


class ExportCalendarDialog(QDialog):
    """File ▸ Export calendar…: every event, the events of a date range, or one community's."""

    def __init__(
        self,
        communities: Sequence[tuple[int, str]],
        first: dt.date,
        last: dt.date,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("exportCalendarDialog")
        self.setWindowTitle(_("Export calendar"))
        self.everything = QRadioButton(_("&Every event"), self)
        self.everything.setObjectName("exportEverything")
        self.in_range = QRadioButton(_("Events &between"), self)
        self.in_range.setObjectName("exportRange")
        self.of_community = QRadioButton(_("The events of the &community"), self)
        self.of_community.setObjectName("exportCommunity")
        self.everything.setChecked(True)
        self.first = date_edit(self, first, "exportFirst")
        accessible.name(self.first, _("First day"), _("The first day of the events saved"))
        self.last = date_edit(self, last, "exportLast")
        accessible.name(self.last, _("Last day"), _("The last day of the events saved"))
        self.community = QComboBox(self)
        self.community.setObjectName("exportCommunityChoice")
        accessible.name(self.community, _("Community"))
        for community_id, name in communities:
            self.community.addItem(name, community_id)
        self.of_community.setEnabled(bool(communities))
        self.community.setEnabled(False)
        self.error = QLabel(self)
        self.error.setObjectName("fieldError")
        self.error.setWordWrap(True)
        self.error.hide()
        note = QLabel(
            _(
                "A calendar file (.ics) that Outlook, Google Calendar, Apple Calendar or "
                "Thunderbird can open. Guests are not listed in it."
            ),
            self,
        )
        note.setObjectName("hint")
        note.setWordWrap(True)

        grid = QGridLayout()
        grid.addWidget(self.everything, 0, 0, 1, 4)
        grid.addWidget(self.in_range, 1, 0)
        grid.addWidget(self.first, 1, 1)
        grid.addWidget(QLabel(_("and"), self), 1, 2)
        grid.addWidget(self.last, 1, 3)
        grid.addWidget(self.of_community, 2, 0)
        grid.addWidget(self.community, 2, 1, 1, 3)
        grid.setColumnStretch(1, 1)
        grid.setColumnStretch(3, 1)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText(_("Export…"))
        buttons.button(QDialogButtonBox.StandardButton.Cancel).setText(_("Cancel"))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addLayout(grid)
        layout.addWidget(self.error)
        layout.addStretch(1)
        layout.addWidget(buttons)
        for button in (self.everything, self.in_range, self.of_community):
            button.toggled.connect(self._enable)
        self._enable()
        self.setMinimumWidth(480)

    def _enable(self, *_args: Any) -> None:
        self.first.setEnabled(self.in_range.isChecked())
        self.last.setEnabled(self.in_range.isChecked())
        self.community.setEnabled(self.of_community.isChecked())

    def accept(self) -> None:
        if self.in_range.isChecked() and _day(self.last) < _day(self.first):
            self.error.setText(_("The last day is before the first day."))
            self.error.show()
            return
        super().accept()

    def choice(self) -> dict[str, Any]:
        """Keyword arguments for `export_calendar` (and a file name stem)."""
        if self.in_range.isChecked():
            first, last = _day(self.first), _day(self.last)
            return {
                "first": first,
                "last": last,
                "stem": _("calendar") + f"-{first.isoformat()}-{last.isoformat()}",
            }
        if self.of_community.isChecked() and self.community.count():
            name = self.community.currentText()
            return {
                "community": int(self.community.currentData()),
                "stem": file_stem(name, _("community")),
            }
        return {"stem": _("calendar")}


def export_calendar_dialog(parent: QWidget, db: Database) -> None:
    """File ▸ Export calendar…: choose what, then where."""
    from cmplanner import clock
    from cmplanner.services import vocabulary

    def ask(communities: Any) -> None:
        today = clock.today()
        dialog = ExportCalendarDialog(
            [(c.id, c.name) for c in communities],
            today,
            today + dt.timedelta(days=90),
            parent,
        )
        parent.export_dialog = dialog  # type: ignore[attr-defined]  # tests reach it
        if dialog.exec():
            export_calendar(parent, db, **dialog.choice())

    run_in_background(vocabulary.communities, db, on_success=ask)


# --- which files are what ----------------------------------------------------------------------


def _calendar_of_mail(data: bytes) -> tuple[str, bytes | None]:
    """An e-mail's METHOD (upper case, "" if none) and its first calendar part's bytes."""
    message = email.message_from_bytes(data, policy=email.policy.default)
    for part in message.walk():
        if part.get_content_type() in ("text/calendar", "application/ics"):
            method = str(part.get_param("method") or "").upper()
            payload = part.get_payload(decode=True)
            body = payload if isinstance(payload, bytes) else None
            if not method and body is not None:
                found = _METHOD.search(body)
                method = found.group(1).decode().upper() if found else ""
            return method, body
    return "", None


def is_reply(path: Path) -> bool:
    """Whether a file is a guest's answer (METHOD:REPLY), read cheaply: the head of an .ics,
    the calendar part of an e-mail. A folder holds replies."""
    if path.is_dir():
        return True
    try:
        if path.suffix.lower() in MAIL_SUFFIXES:
            return _calendar_of_mail(path.read_bytes())[0] == "REPLY"
        with path.open("rb") as f:
            head = f.read(_HEAD_BYTES)
    except OSError:
        return False
    # METHOD is a calendar property: it comes before the first component.
    head = head.split(b"BEGIN:VEVENT", 1)[0].replace(b"\r\n ", b"").replace(b"\n ", b"")
    found = _METHOD.search(head)
    return bool(found and found.group(1).upper() == b"REPLY")


def usable(path: Path) -> bool:
    return path.is_dir() or path.suffix.lower() in CALENDAR_SUFFIXES | MAIL_SUFFIXES


def sort_dropped(paths: Sequence[Path]) -> tuple[list[Path], list[Path], list[Path]]:
    """(calendars to import, replies to read, files neither) among dropped paths."""
    calendars: list[Path] = []
    replies: list[Path] = []
    other: list[Path] = []
    for path in paths:
        if not usable(path):
            other.append(path)
        elif is_reply(path):
            replies.append(path)
        elif path.suffix.lower() in MAIL_SUFFIXES:
            calendars.append(path)  # an invitation by e-mail: its calendar is imported
        else:
            calendars.append(path)
    return calendars, replies, other


# --- import ------------------------------------------------------------------------------------


@dataclass
class FileImport:
    """What happened to one imported file."""

    path: Path
    created: list[str] = field(default_factory=list)  # titles
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    kept: list[str] = field(default_factory=list)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    contacts_created: list[str] = field(default_factory=list)
    summary: str = ""
    backup: Path | None = None
    refused: str = ""  # why nothing of it was imported


@dataclass(frozen=True)
class CalendarImports:
    files: list[FileImport]
    changes: Changes  # published by the job runner


def import_files(db: Database, paths: Sequence[Path]) -> CalendarImports:
    """Import each calendar (its own backup and transaction); a refused file does not stop
    the others (on the worker)."""
    from cmplanner.errors import CMPlannerError
    from cmplanner.interop.ics.parse import parse_bytes, parse_file
    from cmplanner.interop.ics.plan import parse_options, plan_import
    from cmplanner.interop.ics.write import apply_import

    results = []
    changes = Changes()
    for path in paths:
        result = FileImport(Path(path))
        results.append(result)
        try:
            options = parse_options(db)
            if result.path.suffix.lower() in MAIL_SUFFIXES:
                _method, body = _calendar_of_mail(result.path.read_bytes())
                if body is None:
                    result.refused = _("This e-mail carries no calendar.")
                    continue
                parsed = parse_bytes(body, **options)
            else:
                parsed = parse_file(result.path, **options)
            plan = plan_import(db, parsed)
            report = apply_import(db, plan)
        except (CMPlannerError, OSError) as exc:
            result.refused = str(exc)
            continue
        changes |= report.changes
        by_action: dict[str, list[str]] = {}
        for item in plan.items:
            by_action.setdefault(item.action, []).append(item.event.title)
        result.created = by_action.get("create", [])
        result.updated = by_action.get("update", [])
        result.unchanged = by_action.get("unchanged", [])
        result.kept = by_action.get("keep", [])
        result.warnings = list(report.warnings)
        result.contacts_created = list(report.contacts_created)
        result.summary = report.summary()
        result.backup = report.backup
    return CalendarImports(results, changes)


SHOWN_TITLES = 15


def _titles(titles: Sequence[str]) -> str:
    shown = ", ".join(_("“{title}”").format(title=t) for t in titles[:SHOWN_TITLES])
    if len(titles) > SHOWN_TITLES:
        shown += " " + _("and {n} more").format(n=len(titles) - SHOWN_TITLES)
    return shown


def _escape(text: str) -> str:
    return html.escape(text).replace("\n", "<br>")


def _heading(text: str) -> str:
    return "<p><b>" + _escape(text) + "</b></p>"


def import_report_html(results: Sequence[FileImport]) -> str:
    parts: list[str] = []
    for r in results:
        parts.append(f"<h3>{_escape(r.path.name)}</h3>")
        if r.refused:
            parts.append(
                "<p class='bad'><b>"
                + _escape(_("Nothing was imported."))
                + "</b><br>"
                + _escape(r.refused)
                + "</p>"
            )
            continue
        parts.append(f"<p>{_escape(r.summary)}</p><ul>")
        for label, titles in (
            (_("New"), r.created),
            (_("Updated"), r.updated),
            (_("Unchanged"), r.unchanged),
            (_("Kept as they are here (changed here since)"), r.kept),
        ):
            if titles:
                parts.append(f"<li><b>{_escape(label)}</b> ({len(titles)}): ")
                parts.append(_escape(_titles(titles)) + "</li>")
        if r.contacts_created:
            parts.append(
                "<li><b>"
                + _escape(_("New contacts"))
                + f"</b> ({len(r.contacts_created)}): "
                + _escape(", ".join(r.contacts_created[:SHOWN_TITLES]))
                + "</li>"
            )
        parts.append("</ul>")
        if r.warnings:
            parts.append(_heading(_("Warnings")) + "<ul class='warn'>")
            for where, what in r.warnings[:50]:
                line = _("{where}: {warning}").format(where=where, warning=what)
                parts.append(f"<li>{_escape(line)}</li>")
            if len(r.warnings) > 50:
                more = _("and {n} more").format(n=len(r.warnings) - 50)
                parts.append(f"<li>{_escape(more)}</li>")
            parts.append("</ul>")
        if r.backup:
            parts.append(
                "<p>"
                + _escape(
                    _(
                        "A backup was made before importing: {path}. To undo this import, "
                        "use File ▸ Restore from backup…"
                    ).format(path=r.backup)
                )
                + "</p>"
            )
        elif not r.created and not r.updated:
            parts.append(
                "<p>" + _escape(_("Nothing needed changing: no backup was made.")) + "</p>"
            )
    return "".join(parts)


class ReportDialog(QDialog):
    """The result of an import, of replies read, or of a publish: a title line and details."""

    def __init__(self, title: str, headline: str, body_html: str, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("calendarReport")
        self.setWindowTitle(title)
        self.headline = QLabel(headline, self)
        self.headline.setObjectName("reportHeadline")
        self.headline.setWordWrap(True)
        font = self.headline.font()
        font.setBold(True)
        self.headline.setFont(font)
        self.details = QTextBrowser(self)
        self.details.setObjectName("reportDetails")
        accessible.name(self.details, _("Details"))
        self.details.setOpenLinks(False)
        theme.show_html(self.details, body_html)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.button(QDialogButtonBox.StandardButton.Close).setText(_("Close"))
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.headline)
        layout.addWidget(self.details, 1)
        layout.addWidget(buttons)
        self.resize(620, 440)

    def text(self) -> str:
        return self.headline.text() + "\n" + self.details.toPlainText()


def _show_report(parent: QWidget | None, dialog: ReportDialog) -> ReportDialog:
    if parent is not None:
        parent.calendar_report = dialog  # type: ignore[attr-defined]  # tests read it
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, False)
    dialog.open()
    return dialog


def import_calendars(parent: QWidget | None, db: Database, paths: Sequence[Path]) -> None:
    """Import .ics files (or invitations by e-mail) in the background, then show the report."""
    if not paths:
        return

    def done(imported: CalendarImports) -> None:
        results = imported.files
        refused = sum(1 for r in results if r.refused)
        created = sum(len(r.created) for r in results)
        updated = sum(len(r.updated) for r in results)
        headline = ngettext(
            "{n} new event, {updated} updated.", "{n} new events, {updated} updated.", created
        ).format(n=created, updated=updated)
        if refused and refused == len(results):
            headline = ngettext(
                "The file was refused: nothing was imported.",
                "The {n} files were refused: nothing was imported.",
                refused,
            ).format(n=refused)
        elif refused:
            headline += " " + ngettext(
                "{n} file was refused.", "{n} files were refused.", refused
            ).format(n=refused)
        _show_report(
            parent,
            ReportDialog(_("Import calendar"), headline, import_report_html(results), parent),
        )
        _tell(parent, headline)

    label = (
        _("Importing {name}…").format(name=paths[0].name)
        if len(paths) == 1
        else _("Importing calendars…")
    )
    run_in_background(import_files, db, list(paths), on_success=done, label=label)


def import_calendar_dialog(parent: QWidget, db: Database) -> None:
    """File ▸ Import calendar…"""
    names = file_dialogs.open_file_names(
        parent, _("Import calendar"), str(Path.home()), _(ICS_FILTER)
    )
    if names:
        import_calendars(parent, db, [Path(n) for n in names])


# --- replies -----------------------------------------------------------------------------------


def replies_report_html(report: Any) -> str:
    from cmplanner.model.enums import Rsvp
    from ui.kit.display import format_datetime

    def when(occurrence: dt.datetime | None) -> str:
        return f" ({format_datetime(occurrence)})" if occurrence else ""

    parts: list[str] = []
    if report.applied:
        parts.append(_heading(_("Answers recorded")) + "<ul>")
        for a in report.applied:
            line = _("{name} <{email}>: {answer} to “{title}”{when} (was: {before})").format(
                name=a.name,
                email=a.email,
                answer=Rsvp(a.rsvp).label,
                title=a.title,
                when=when(a.occurrence),
                before=Rsvp(a.before).label,
            )
            parts.append(f"<li>{_escape(line)}</li>")
        parts.append("</ul>")
    if report.unchanged:
        parts.append(_heading(_("Already recorded")) + "<ul>")
        for a in report.unchanged:
            line = _("{name} <{email}>: {answer} to “{title}”{when}").format(
                name=a.name,
                email=a.email,
                answer=Rsvp(a.rsvp).label,
                title=a.title,
                when=when(a.occurrence),
            )
            parts.append(f"<li>{_escape(line)}</li>")
        parts.append("</ul>")
    if report.delegated:
        parts.append(_heading(_("Delegated")) + "<ul>")
        parts += [f"<li>{_escape(a.delegation_text())}</li>" for a in report.delegated]
        parts.append("</ul>")
    if report.older:
        parts.append(_heading(_("Older than the answer recorded (not applied)")) + "<ul>")
        for a in report.older:
            line = _("{file}: {problem}").format(file=Path(a.source).name, problem=a.older_text())
            parts.append(f"<li>{_escape(line)}</li>")
        parts.append("</ul>")
    if report.problems:
        parts.append(_heading(_("Not used (nothing was changed for these)")) + "<ul class='bad'>")
        for source, why in report.problems:
            line = _("{file}: {problem}").format(file=Path(source).name, problem=why)
            parts.append(f"<li>{_escape(line)}</li>")
        parts.append("</ul>")
    if report.promoted:
        parts.append(
            "<p>"
            + _escape(
                ngettext(
                    "{n} guest moved off the waiting list to take a freed place.",
                    "{n} guests moved off the waiting list to take freed places.",
                    len(report.promoted),
                ).format(n=len(report.promoted))
            )
            + "</p>"
        )
    return "".join(parts) or "<p>" + _escape(_("No answer was found in these files.")) + "</p>"


def read_replies(parent: QWidget | None, db: Database, paths: Sequence[Path]) -> None:
    """Read guests' answers (.ics, .eml or folders) in the background, then show who answered
    what, and which files could not be used and why."""
    from cmplanner.interop.ics.replies import apply_replies

    if not paths:
        return

    def done(report: Any) -> None:
        headline = report.summary()
        _show_report(
            parent, ReportDialog(_("Replies"), headline, replies_report_html(report), parent)
        )
        _tell(parent, headline)

    run_in_background(apply_replies, db, list(paths), on_success=done, label=_("Reading replies…"))


def read_replies_dialog(parent: QWidget, db: Database) -> None:
    """File ▸ Read replies…: files, or (when none is chosen) a whole folder."""
    box = QMessageBox(parent)
    box.setWindowTitle(_("Read replies"))
    box.setIcon(QMessageBox.Icon.Question)
    box.setText(_("Read guests' answers from files or from a whole folder?"))
    box.setInformativeText(
        _(
            "Replies are the .ics files or the e-mails (.eml) your guests' calendar apps send "
            "back when they accept or decline."
        )
    )
    files = box.addButton(_("Choose &files…"), QMessageBox.ButtonRole.AcceptRole)
    folder = box.addButton(_("Choose a f&older…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(files)
    box.exec()
    chosen: list[Path] = []
    if box.clickedButton() is files:
        names = file_dialogs.open_file_names(
            parent, _("Read replies"), str(Path.home()), _(REPLY_FILTER)
        )
        chosen = [Path(n) for n in names]
    elif box.clickedButton() is folder:
        name = file_dialogs.existing_directory(parent, _("Read replies"), str(Path.home()))
        chosen = [Path(name)] if name else []
    read_replies(parent, db, chosen)


def open_dropped(parent: QWidget, db: Database, paths: Sequence[Path]) -> bool:
    """Files dropped on the window: calendars are imported, replies read. False when none of
    them is a calendar, an e-mail or a folder."""
    calendars, replies, other = sort_dropped(paths)
    if not calendars and not replies:
        return False
    if other:
        _tell(
            parent,
            _("Not a calendar or an e-mail, left alone: {names}").format(
                names=", ".join(p.name for p in other)
            ),
        )
    if replies:
        read_replies(parent, db, replies)
    if calendars:
        import_calendars(parent, db, calendars)
    return True


# --- CalDAV ------------------------------------------------------------------------------------


class PublishDialog(QDialog):
    """Publishing to CalDAV: a progress bar, what is being sent, Stop; then the report."""

    def __init__(self, db: Database, community: str | None, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.setObjectName("publishDialog")
        self.db, self.community = db, community
        self.setWindowTitle(_("Publish to CalDAV"))
        what = (
            _("Publishing the events of {community}…").format(community=community)
            if community
            else _("Publishing every event…")
        )
        self.what = QLabel(what, self)
        self.bar = QProgressBar(self)
        self.bar.setObjectName("publishProgress")
        self.bar.setRange(0, 0)
        self.current = QLabel(self)
        self.current.setObjectName("publishCurrent")
        self.current.setWordWrap(True)
        self.report_view = QTextBrowser(self)
        self.report_view.setObjectName("publishResult")
        accessible.name(self.report_view, _("Result"))
        self.report_view.hide()
        self.buttons = QDialogButtonBox(self)
        self.stop = self.buttons.addButton(_("Stop"), QDialogButtonBox.ButtonRole.RejectRole)
        self.stop.setObjectName("publishStop")
        self.close_button = self.buttons.addButton(
            _("Close"), QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.close_button.hide()
        self.stop.clicked.connect(self._stop)
        self.close_button.clicked.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(self.what)
        layout.addWidget(self.bar)
        layout.addWidget(self.current)
        layout.addWidget(self.report_view, 1)
        layout.addWidget(self.buttons)
        self.job: Job | None = None
        self.finished_ok: bool | None = None
        self.resize(520, 200)

    def start(self) -> None:
        from cmplanner.interop.caldav import PublishCancelled, publish_from_settings

        db, community = self.db, self.community

        def job(progress: Any) -> Any:
            return publish_from_settings(db, community=community, progress=progress)

        self.job = run_in_background(
            job,
            on_success=self._done,
            on_failure=self._failed,
            on_progress=self.show_progress,
            # Stopped after an event: what the server took is recorded (the publish's Stop).
            on_cancelled=lambda: self._failed(PublishCancelled()),
            label=_("Publishing…"),
        )

    def show_progress(self, done: int, total: int, title: str) -> None:
        self.bar.setRange(0, max(total, 1))
        self.bar.setValue(done)
        self.current.setText(
            _("{done} of {total}: {title}").format(done=done, total=total, title=title)
            if title
            else ""
        )

    def _stop(self) -> None:
        if self.finished_ok is not None:
            self.reject()
            return
        if self.job is not None:
            self.job.cancel()
        self.stop.setEnabled(False)
        self.current.setText(_("Stopping after this event…"))

    def _finish(self, ok: bool, headline: str, body: str) -> None:
        self.finished_ok = ok
        self.bar.setRange(0, 1)
        self.bar.setValue(1 if ok else 0)
        self.what.setText(headline)
        self.current.clear()
        self.current.hide()
        theme.show_html(self.report_view, body)
        self.report_view.show()
        self.stop.hide()
        self.close_button.show()
        self.close_button.setDefault(True)
        self.resize(max(self.width(), 560), 360)
        _tell(self.parentWidget(), headline)

    def _done(self, report: Any) -> None:
        lines = [
            _("Created: {count}").format(count=report.created),
            _("Updated: {count}").format(count=report.updated),
            _("Unchanged: {count}").format(count=report.unchanged),
            _("Deleted: {count}").format(count=report.deleted),
        ]
        body = "<ul>" + "".join(f"<li>{_escape(line)}</li>" for line in lines) + "</ul>"
        if report.overwritten:
            body += "<p>" + _escape(
                _(
                    "Edited on the server by someone else, replaced by CM Planner's version: "
                    "{titles}"
                ).format(titles=", ".join(report.overwritten))
            )
        if report.restored:
            body += "<p>" + _escape(
                _("Deleted on the server by someone else, put back: {titles}").format(
                    titles=", ".join(report.restored)
                )
            )
        for note in report.held_back:
            body += f"<p class='bad'>{_escape(note)}"
        self._finish(True, _("Published to {url}").format(url=report.calendar_url), body)

    def _failed(self, exc: BaseException) -> None:
        from cmplanner.errors import CMPlannerError

        if not isinstance(exc, CMPlannerError):
            errors.report(exc)
        self._finish(
            False,
            _("The publish did not finish."),
            f"<p class='bad'>{_escape(str(exc))}</p>",
        )


def publish_to_caldav(parent: QWidget, db: Database, community: str | None = None) -> None:
    """Publish every event (or one community's): missing settings open Preferences."""
    from cmplanner.services import caldav_settings

    def start(settings: Any) -> None:
        if not settings.configured:
            ask_preferences(
                parent,
                db,
                "caldav",
                _("No CalDAV calendar is set: enter its address in Preferences first."),
            )
            return
        dialog = PublishDialog(db, community, parent)
        parent.publish_dialog = dialog  # type: ignore[attr-defined]  # tests reach it
        dialog.open()
        dialog.start()

    run_in_background(caldav_settings.load, db, on_success=start)


def ask_preferences(parent: QWidget | None, db: Database, page: str, text: str) -> bool:
    """Say what is missing, with a button that opens Preferences at that page. True when
    Preferences were opened and saved."""
    box = QMessageBox(parent)
    box.setObjectName("missingSettings")
    box.setIcon(QMessageBox.Icon.Information)
    box.setWindowTitle(_("CM Planner"))
    box.setText(text)
    opener = box.addButton(_("Open &Preferences…"), QMessageBox.ButtonRole.AcceptRole)
    box.addButton(_("Cancel"), QMessageBox.ButtonRole.RejectRole)
    box.setDefaultButton(opener)
    if errors.non_interactive:
        return False
    box.exec()
    if box.clickedButton() is not opener:
        return False
    from ui.preferences.dialog import open_preferences

    return open_preferences(parent, db, page)


def preferences_button(parent: QWidget, db: Database, page: str) -> QPushButton:
    """A "Preferences…" button that opens the given page."""
    from ui.preferences.dialog import open_preferences

    button = QPushButton(_("Open &Preferences…"), parent)
    button.clicked.connect(lambda _c=False: open_preferences(parent, db, page))
    return button
