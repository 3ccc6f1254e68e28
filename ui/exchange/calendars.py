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
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import (
    QComboBox,
    QDateEdit,
    QDialog,
    QDialogButtonBox,
    QGridLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from cmplanner import clock
from cmplanner.bus import Changes
from cmplanner.errors import CMPlannerError
from cmplanner.i18n import N_, _, ngettext
from cmplanner.interop.ics.export import day_range, export_file
from cmplanner.interop.ics.parse import parse_bytes, parse_file
from cmplanner.interop.ics.plan import parse_options, plan_import
from cmplanner.interop.ics.replies import apply_replies
from cmplanner.interop.ics.write import apply_import
from cmplanner.interop.mail.imip import safe_name
from cmplanner.model.enums import Rsvp
from cmplanner.services import vocabulary
from cmplanner.storage import Database
from ui.kit import accessible, file_dialogs
from ui.kit.date_fields import date_edit
from ui.kit.display import format_datetime
from ui.kit.jobs import run_in_background
from ui.kit.report import ReportDialog, escape, heading, show_report, tell
from ui.preferences.dialog import ask_preferences
from ui.preferences.publishing import publish_or_ask

ICS_FILTER = N_("iCalendar files (*.ics);;All files (*)")
REPLY_FILTER = N_("Replies (*.ics *.eml);;iCalendar files (*.ics);;E-mails (*.eml);;All files (*)")
CALENDAR_SUFFIXES = {".ics", ".ical", ".ifb", ".icalendar"}
MAIL_SUFFIXES = {".eml"}
_METHOD = re.compile(rb"^METHOD:([A-Za-z-]+)\s*$", re.MULTILINE | re.IGNORECASE)
_HEAD_BYTES = 65536


def file_stem(text: str, fallback: str) -> str:
    """A file name from an event's or a community's name (letters, digits and dashes)."""
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
        tell(
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


def export_range(
    parent: QWidget,
    db: Database,
    community: str | None,
    dates: tuple[dt.date, dt.date] | None,
    path: Path | None = None,
) -> None:
    """The calendar's Export: the dates shown (or every date when `dates` is None), of the
    community shown."""
    stem = file_stem(community, _("calendar")) if community else _("calendar")
    first = last = None
    if dates is not None:
        first, last = dates
        stem += f"-{first.isoformat()}-{last.isoformat()}"
    export_calendar(
        parent,
        db,
        stem=stem,
        first=first,
        last=last,
        community=community,
        path=path,
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


def import_report_html(results: Sequence[FileImport]) -> str:
    parts: list[str] = []
    for r in results:
        parts.append(f"<h3>{escape(r.path.name)}</h3>")
        if r.refused:
            parts.append(
                "<p class='bad'><b>"
                + escape(_("Nothing was imported."))
                + "</b><br>"
                + escape(r.refused)
                + "</p>"
            )
            continue
        parts.append(f"<p>{escape(r.summary)}</p><ul>")
        for label, titles in (
            (_("New"), r.created),
            (_("Updated"), r.updated),
            (_("Unchanged"), r.unchanged),
            (_("Kept as they are here (changed here since)"), r.kept),
        ):
            if titles:
                parts.append(f"<li><b>{escape(label)}</b> ({len(titles)}): ")
                parts.append(escape(_titles(titles)) + "</li>")
        if r.contacts_created:
            parts.append(
                "<li><b>"
                + escape(_("New contacts"))
                + f"</b> ({len(r.contacts_created)}): "
                + escape(", ".join(r.contacts_created[:SHOWN_TITLES]))
                + "</li>"
            )
        parts.append("</ul>")
        if r.warnings:
            parts.append(heading(_("Warnings")) + "<ul class='warn'>")
            for where, what in r.warnings[:50]:
                line = _("{where}: {warning}").format(where=where, warning=what)
                parts.append(f"<li>{escape(line)}</li>")
            if len(r.warnings) > 50:
                more = _("and {n} more").format(n=len(r.warnings) - 50)
                parts.append(f"<li>{escape(more)}</li>")
            parts.append("</ul>")
        if r.backup:
            parts.append(
                "<p>"
                + escape(
                    _(
                        "A backup was made before importing: {path}. To undo this import, "
                        "use File ▸ Restore from backup…"
                    ).format(path=r.backup)
                )
                + "</p>"
            )
        elif not r.created and not r.updated:
            parts.append("<p>" + escape(_("Nothing needed changing: no backup was made.")) + "</p>")
    return "".join(parts)


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
        show_report(
            parent,
            ReportDialog(_("Import calendar"), headline, import_report_html(results), parent),
        )
        tell(parent, headline)

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
    def when(occurrence: dt.datetime | None) -> str:
        return f" ({format_datetime(occurrence)})" if occurrence else ""

    parts: list[str] = []
    if report.applied:
        parts.append(heading(_("Answers recorded")) + "<ul>")
        for a in report.applied:
            line = _("{name} <{email}>: {answer} to “{title}”{when} (was: {before})").format(
                name=a.name,
                email=a.email,
                answer=Rsvp(a.rsvp).label,
                title=a.title,
                when=when(a.occurrence),
                before=Rsvp(a.before).label,
            )
            parts.append(f"<li>{escape(line)}</li>")
        parts.append("</ul>")
    if report.unchanged:
        parts.append(heading(_("Already recorded")) + "<ul>")
        for a in report.unchanged:
            line = _("{name} <{email}>: {answer} to “{title}”{when}").format(
                name=a.name,
                email=a.email,
                answer=Rsvp(a.rsvp).label,
                title=a.title,
                when=when(a.occurrence),
            )
            parts.append(f"<li>{escape(line)}</li>")
        parts.append("</ul>")
    if report.delegated:
        parts.append(heading(_("Delegated")) + "<ul>")
        parts += [f"<li>{escape(a.delegation_text())}</li>" for a in report.delegated]
        parts.append("</ul>")
    if report.older:
        parts.append(heading(_("Older than the answer recorded (not applied)")) + "<ul>")
        for a in report.older:
            line = _("{file}: {problem}").format(file=Path(a.source).name, problem=a.older_text())
            parts.append(f"<li>{escape(line)}</li>")
        parts.append("</ul>")
    if report.problems:
        parts.append(heading(_("Not used (nothing was changed for these)")) + "<ul class='bad'>")
        for source, why in report.problems:
            line = _("{file}: {problem}").format(file=Path(source).name, problem=why)
            parts.append(f"<li>{escape(line)}</li>")
        parts.append("</ul>")
    if report.promoted:
        parts.append(
            "<p>"
            + escape(
                ngettext(
                    "{n} guest moved off the waiting list to take a freed place.",
                    "{n} guests moved off the waiting list to take freed places.",
                    len(report.promoted),
                ).format(n=len(report.promoted))
            )
            + "</p>"
        )
    return "".join(parts) or "<p>" + escape(_("No answer was found in these files.")) + "</p>"


def read_replies(parent: QWidget | None, db: Database, paths: Sequence[Path]) -> None:
    """Read guests' answers (.ics, .eml or folders) in the background, then show who answered
    what, and which files could not be used and why."""
    if not paths:
        return

    def done(report: Any) -> None:
        headline = report.summary()
        show_report(
            parent, ReportDialog(_("Replies"), headline, replies_report_html(report), parent)
        )
        tell(parent, headline)

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
        tell(
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


def publish_to_caldav(parent: QWidget, db: Database, community: str | None = None) -> None:
    """Publish every event (or one community's): missing settings open Preferences."""
    publish_or_ask(parent, db, community, ask_preferences)
