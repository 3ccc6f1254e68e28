"""Tasks: what to do before each event, soonest first."""

from __future__ import annotations

from PySide6.QtWidgets import QWidget

from cmplanner.i18n import _, ngettext
from ui.display import format_int
from ui.views.listing_view import ListingView


class TasksView(ListingView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "tasks",
            kind="tasks",
            placeholder=_("Search tasks…"),
            empty_text=_("No tasks yet."),
            no_match_text=_("No task matches “{text}”."),
            sort_key="due",
            widths={"event": 250, "assignee": 170, "done": 70},
            stretch="title",
            parent=parent,
        )

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} task", "{n} tasks", n).format(n=format_int(n))
