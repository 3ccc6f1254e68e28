"""The in-person ratio on the home screen: the share of time spent in person over the last 90
days against the target, per community, and per month in a chart."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from cmplanner.i18n import _
from ui.dashboard.models import hours_text, percent, ratio_model
from ui.dashboard.tables import CompactTable, columns, hint

if TYPE_CHECKING:
    from cmplanner.services import dashboard as dashboard_service


class RatioSection:
    """Its widgets, made on the lower page; the chart is made once the charts are imported."""

    def __init__(self, page: QWidget, discard: Callable[[QWidget], None]) -> None:
        self.page = page
        self.discard = discard
        self.chart: Any = None
        self._shown: Any = None  # what the chart draws

    def build(self, log_work: Callable[[], None]) -> QHBoxLayout:
        page = self.page
        ratio_row = QHBoxLayout()
        ratio_row.setSpacing(16)
        figures = QVBoxLayout()
        figures.setSpacing(6)
        self.value = QLabel("—", page)
        self.value.setObjectName("ratioValue")
        self.target = QLabel(page)
        self.target.setObjectName("ratioTarget")
        self.target.setWordWrap(True)
        self.minutes = hint("", page)
        figures.addWidget(self.value)
        figures.addWidget(self.target)
        figures.addWidget(self.minutes)
        self.model = ratio_model(page)
        self.table = CompactTable(self.model, "ratioTable", page)
        self.table.setAccessibleName(_("In-person ratio"))
        columns(self.table, (0, 80, 80, 120), stretch=0)
        self.table.setMinimumWidth(380)
        figures.addWidget(self.table)
        self.work_button = QPushButton(_("Log online work…"), page)
        self.work_button.setObjectName("logWork")
        self.work_button.setToolTip(
            _("Time spent online for a community (writing, answering, preparing) counts as online")
        )
        self.work_button.clicked.connect(log_work)
        work_row = QHBoxLayout()
        work_row.addWidget(self.work_button)
        work_row.addStretch(1)
        figures.addLayout(work_row)
        figures.addStretch(1)
        ratio_row.addLayout(figures, 4)
        self.chart_box = QVBoxLayout()
        self.chart_title = QLabel(_("Share of time in person, per month"), page)
        self.chart_title.setObjectName("cardSection")
        self.chart_box.addWidget(self.chart_title)
        self.chart_box.addStretch(1)
        ratio_row.addLayout(self.chart_box, 5)
        return ratio_row

    def show(self, r: dashboard_service.InPersonRatio) -> None:
        target = percent(r.target)
        if r.value is None:
            self.value.setText("—")
            self.target.setText(
                _("No time logged in the last 90 days (target: {target} in person).").format(
                    target=target
                )
            )
            self.value.setProperty("state", "unknown")
        else:
            met = r.value >= r.target
            self.value.setText(percent(r.value, r.target))
            self.target.setText(
                (
                    _("in person over the last 90 days — target {target} reached")
                    if met
                    else _("in person over the last 90 days — below the target of {target}")
                ).format(target=target)
            )
            self.value.setProperty("state", "good" if met else "low")
        self.value.style().unpolish(self.value)
        self.value.style().polish(self.value)
        self.minutes.setText(
            _("{in_person} in person, {online} online (events, interactions, online work)").format(
                in_person=hours_text(r.in_person_minutes), online=hours_text(r.online_minutes)
            )
        )
        self.model.set_records(r.by_community)
        self.table.setVisible(bool(r.by_community))

    def build_chart(self, r: dashboard_service.InPersonRatio, charts: Any, parent: QWidget) -> None:
        shown = (r.months, r.target)
        if self.chart is not None:
            if shown == self._shown:
                return  # the same bars: nothing to redraw
            self.chart_box.removeWidget(self.chart)
            self.discard(self.chart)
        self._shown = shown
        self.chart = charts.ratio_chart(r.months, r.target, parent)
        self.chart_box.insertWidget(1, self.chart)

    def clear(self) -> None:
        self.model.set_records(())
        if self.chart is not None:
            self.chart_box.removeWidget(self.chart)
            self.discard(self.chart)
            self.chart = None
            self._shown = None
