"""How the calendar shows an occurrence: its colour (by community or by status), its marks,
its words and tooltip; the week's and the month's first days."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

from PySide6.QtCore import (
    QModelIndex,
    QPersistentModelIndex,
    QRectF,
    Qt,
)
from PySide6.QtGui import (
    QColor,
    QIcon,
    QPainter,
    QPen,
    QPixmap,
)

from cmplanner import clock
from cmplanner.i18n import _, ngettext
from cmplanner.model.enums import kind_label
from cmplanner.services.event_dates import OccurrenceRead
from ui.calendar.keys import (
    OccurrenceKey,
    occurrence_key,
)
from ui.kit import theme
from ui.kit.display import app_locale, format_time

Index = QModelIndex | QPersistentModelIndex
OccurrencesRole = Qt.ItemDataRole.UserRole + 1
DateRole = Qt.ItemDataRole.UserRole + 2
OccurrenceRole = Qt.ItemDataRole.UserRole + 3

OCCURRENCE_MIME = "application/x-cmplanner-occurrence"
CANCELLED = "cancelled"
IDEA = "idea"
WARNING = "⚠"

# When colouring by status, a mark says each status too (colour is never the only sign):
# idea "?", planned "○", confirmed "✓", done "☑", cancelled "✕" (and struck through).
STATUS_MARKS = {"idea": "?", "planned": "○", "confirmed": "✓", "done": "☑", "cancelled": "✕"}


def community_colour(rank: int | None) -> QColor:
    """The fill of the community at `rank` (its place among the communities by creation,
    from 0) in the scheme shown; grey for an event with no community (None)."""
    return theme.community_colour(rank)


def status_colour(status: str) -> QColor:
    """The fill of a status in the scheme shown (soft, under the calendar's block text)."""
    if status == CANCELLED:
        return theme.colour("cancelled_fill")
    if status in STATUS_MARKS:
        return theme.colour(f"status_{status}")
    return theme.colour("no_community")


def week_start(day: dt.date) -> dt.date:
    """The first day of the week holding `day`, as the locale counts weeks."""
    first_weekday = app_locale().firstDayOfWeek().value  # 1 = Monday … 7 = Sunday
    return day - dt.timedelta(days=(day.isoweekday() - first_weekday) % 7)


def month_start_grid(day: dt.date) -> dt.date:
    """The first day shown for the month of `day`: the week's first day on or before the 1st."""
    return week_start(day.replace(day=1))


def time_text(occurrence: OccurrenceRead) -> str:
    if occurrence.all_day:
        return ""
    start = occurrence.start
    return format_time(start.hour, start.minute)


def is_moved(occurrence: OccurrenceRead) -> bool:
    """Whether a series' occurrence was moved away from its usual time."""
    usual = occurrence.recurrence_id
    return usual is not None and occurrence.start.replace(tzinfo=None) != usual


def occurrence_text(occurrence: OccurrenceRead) -> str:
    """ "19:00 Apéro du jeudi" (just the title for an all-day event)."""
    time = time_text(occurrence)
    return f"{time} {occurrence.title}" if time else occurrence.title


def occurrence_tooltip(occurrence: OccurrenceRead) -> str:
    """ "19:00 Apéro du jeudi · Apéros du jeudi · Brasserie Georges · Confirmed"."""
    parts = [occurrence_text(occurrence), occurrence.community, occurrence.venue]
    parts.append(kind_label(occurrence.status))
    return " · ".join(p for p in parts if p)


def unconfirmed_text(occurrence: OccurrenceRead) -> str:
    """ "Not confirmed yet — in 3 days"."""
    days = (occurrence.start.date() - clock.today()).days
    if days <= 0:
        return _("Not confirmed yet — today")
    return ngettext(
        "Not confirmed yet — in {n} day", "Not confirmed yet — in {n} days", days
    ).format(n=days)


class CalendarLook:
    """How occurrences are shown, shared by the three views: the colouring and the marks."""

    def __init__(self) -> None:
        self.colour_by = "community"
        self.community_rank: dict[str, int] = {}  # name → place by creation (its colour)
        self.unconfirmed: frozenset[OccurrenceKey] = frozenset()

    def colour(self, occurrence: OccurrenceRead) -> QColor:
        if self.colour_by == "status":
            return status_colour(occurrence.status)
        return community_colour(self.community_rank.get(occurrence.community))

    def is_unconfirmed(self, occurrence: OccurrenceRead) -> bool:
        return occurrence_key(occurrence) in self.unconfirmed

    def marks(self, occurrence: OccurrenceRead) -> str:
        """What goes before the text: ⚠ when not confirmed yet, the status mark when the
        colours say the status."""
        marks = [WARNING] if self.is_unconfirmed(occurrence) else []
        if self.colour_by == "status" and occurrence.status in STATUS_MARKS:
            marks.append(STATUS_MARKS[occurrence.status])
        return "".join(f"{m} " for m in marks)

    def text(self, occurrence: OccurrenceRead) -> str:
        return self.marks(occurrence) + occurrence_text(occurrence)

    def title(self, occurrence: OccurrenceRead) -> str:
        return self.marks(occurrence) + occurrence.title

    def block_text(self, occurrence: OccurrenceRead) -> str:
        """A week block: "19:00–21:30" then the title."""
        if occurrence.all_day:
            return self.title(occurrence)
        locale = app_locale()
        start, end = occurrence.start, occurrence.end
        begin = format_time(start.hour, start.minute, locale)
        span = f"{begin}–{format_time(end.hour, end.minute, locale)}"
        return f"{span}\n{self.title(occurrence)}"

    def tooltip(self, occurrence: OccurrenceRead) -> str:
        text = occurrence_tooltip(occurrence)
        if self.is_unconfirmed(occurrence):
            text = f"{text}\n{WARNING} {unconfirmed_text(occurrence)}"
        return text


def swatch_icon(colours: Sequence[QColor], size: int, ratio: float) -> QIcon:
    """Small squares of `colours` side by side (twice `size` wide, `size` high), each with
    its edge, sharp at the pixel `ratio`."""
    width = size * 2 // len(colours)
    pixmap = QPixmap(round(width * len(colours) * ratio), round(size * ratio))
    pixmap.setDevicePixelRatio(ratio)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    for n, colour in enumerate(colours):
        square = QRectF(n * width + 1.5, 3.5, width - 2, size - 7)
        painter.setPen(QPen(theme.edge(colour), 1))
        painter.setBrush(colour)
        painter.drawRect(square)
    painter.end()
    return QIcon(pixmap)


def menu_text(text: str) -> str:
    return text.replace("&", "&&")
