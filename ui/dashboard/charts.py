"""The home screen's charts (QtCharts). Imported only once the first view has painted: the
charts module is never on the cold start's path. Their colours come from ui.kit.theme and change
with the scheme (`ThemedChart.recolour`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from PySide6.QtCharts import (
    QBarCategoryAxis,
    QBarSeries,
    QBarSet,
    QChart,
    QChartView,
    QLineSeries,
    QPercentBarSeries,
    QValueAxis,
)
from PySide6.QtCore import QDate, QMargins, Qt
from PySide6.QtGui import QFont, QPainter, QPen
from PySide6.QtWidgets import QSizePolicy, QWidget

from cmplanner.i18n import _
from ui.kit import theme
from ui.kit.display import app_locale
from ui.kit.sizing import scaled, text_scale


def _font(size: float = 8.5, bold: bool = False) -> QFont:
    """The application font at `size` points as drawn for the default 9 pt text: charts
    grow with the person's text size."""
    font = QFont()
    font.setPointSizeF(size * text_scale())
    font.setBold(bold)
    return font


def _chart(title: str = "") -> QChart:
    chart = QChart()
    chart.setBackgroundVisible(False)
    chart.setMargins(QMargins(2, 2, 2, 2))
    chart.layout().setContentsMargins(0, 0, 0, 0)
    chart.setAnimationOptions(QChart.AnimationOption.NoAnimation)
    if title:
        chart.setTitle(title)
        chart.setTitleFont(_font(9, bold=True))
    legend = chart.legend()
    legend.setAlignment(Qt.AlignmentFlag.AlignBottom)
    legend.setFont(_font(8.5))
    legend.setMarkerShape(legend.MarkerShape.MarkerShapeRectangle)
    return chart


def _axis_style(axis: Any) -> None:
    axis.setLabelsFont(_font(8))


class ThemedChart(QChartView):
    """A chart view whose colours follow the scheme: `bars` and `lines` name the theme role
    of each series' fill, outline and pen; text, axes and grid take the chart's roles."""

    def __init__(self, chart: QChart, parent: QWidget | None) -> None:
        super().__init__(chart, parent)
        self.bars: list[tuple[QBarSet, str, str]] = []  # (set, fill role, outline role)
        self.lines: list[tuple[QLineSeries, str, float, Qt.PenStyle]] = []
        theme.notifier().changed.connect(self.recolour)

    def recolour(self, _scheme: str = "") -> None:
        chart = self.chart()
        text, grid = theme.colour("chart_text"), theme.colour("chart_grid")
        chart.setTitleBrush(text)
        chart.legend().setLabelColor(text)
        for axis in chart.axes():
            axis.setLabelsColor(text)
            axis.setGridLineColor(grid)
            axis.setLinePenColor(grid)
        for bar_set, fill, outline in self.bars:
            bar_set.setColor(theme.colour(fill))
            bar_set.setBorderColor(theme.colour(outline))
            bar_set.setLabelColor(text)
        for line, role, width, style in self.lines:
            pen = QPen(theme.colour(role))
            pen.setWidthF(width)
            pen.setStyle(style)
            line.setPen(pen)


def _style_view(view: QChartView, height: int, name: str) -> None:
    view.setObjectName(name)
    view.setRenderHint(QPainter.RenderHint.Antialiasing)
    height = scaled(height)  # room for the axes' words at the person's text size
    view.setMinimumHeight(height)
    view.setMaximumHeight(height)
    view.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
    view.setStyleSheet("background: transparent;")
    view.setFocusPolicy(Qt.FocusPolicy.NoFocus)
    view.viewport().setFocusPolicy(Qt.FocusPolicy.NoFocus)  # nor its drawing area (AT-SPI)


def short_day(day: Any) -> str:
    return app_locale().toString(QDate(day.year, day.month, day.day), "d MMM")


def tiny_day(day: Any) -> str:
    """ "24/9": fits under a bar of a ten-event chart."""
    return app_locale().toString(QDate(day.year, day.month, day.day), "d/M")


def short_month(month: str) -> str:
    """ "2026-11" → "Nov"."""
    year, number = (int(p) for p in month.split("-"))
    return app_locale().toString(QDate(year, number, 1), "MMM")


def _nice_top(value: float) -> int:
    """A round top for a count axis: 5, 10, 20, 25, 50, 100…"""
    value = max(1.0, value)
    for step in (4, 5, 8, 10, 15, 20, 25, 30, 40, 50, 60, 80, 100):
        if value <= step:
            return step
    magnitude = 10 ** (len(str(int(value))) - 1)
    return int(-(-value // magnitude) * magnitude)


def _count_axis(top: float) -> QValueAxis:
    axis = QValueAxis()
    axis.setLabelFormat("%d")
    _set_count_range(axis, top)
    _axis_style(axis)
    return axis


def _set_count_range(axis: QValueAxis, top: float) -> None:
    nice = _nice_top(top)
    axis.setRange(0, nice)
    axis.setTickCount(5 if nice % 4 == 0 else 6 if nice % 5 == 0 else 3)


def _refill(bar_set: QBarSet, values: Sequence[float]) -> None:
    """New values in the same bar set: the chart redraws, nothing is rebuilt."""
    if bar_set.count():
        bar_set.remove(0, bar_set.count())
    bar_set.append([float(v) for v in values])


class AttendanceChart(ThemedChart):
    """Expected (accepted guests and their plus-ones) against attended, per held event.
    `set_points` puts new figures in the same chart (a recompute rebuilds nothing)."""

    def __init__(self, points: Sequence[Any], parent: QWidget | None = None) -> None:
        chart = _chart()
        self.expected = QBarSet(_("Expected"))
        self.attended = QBarSet(_("Attended"))
        series = QBarSeries()
        series.append(self.expected)
        series.append(self.attended)
        series.setBarWidth(0.75)
        chart.addSeries(series)
        self.x_axis = QBarCategoryAxis()
        _axis_style(self.x_axis)
        self.x_axis.setLabelsFont(_font(7.5))  # ten dates side by side, none cut
        self.x_axis.setGridLineVisible(False)
        self.x_axis.setTruncateLabels(False)  # "22/10" is narrow enough; QtCharts cuts at ~40 px
        self.y_axis = _count_axis(1)
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(self.x_axis)
        series.attachAxis(self.y_axis)
        super().__init__(chart, parent)
        _style_view(self, 200, "attendanceChart")
        # The pale bars have an outline in the series colour: their edge stands out (3:1).
        self.bars = [
            (self.expected, "chart_pale", "chart_series"),
            (self.attended, "chart_series", "chart_series"),
        ]
        self.recolour()
        self.points: tuple[Any, ...] = ()
        self.set_points(points)

    def set_points(self, points: Sequence[Any]) -> None:
        points = tuple(points)
        if points == self.points:
            return
        self.points = points
        _refill(self.expected, [p.expected for p in points])
        _refill(self.attended, [p.attended for p in points])
        self.x_axis.clear()
        day = short_day if len(points) <= 5 else tiny_day
        self.x_axis.append([day(p.day) for p in points])
        top = max([1, *(p.expected for p in points), *(p.attended for p in points)])
        _set_count_range(self.y_axis, top)
        self.setToolTip(
            "\n".join(
                _("{day} — {title}: {attended} came, {expected} expected").format(
                    day=short_day(p.day), title=p.title, attended=p.attended, expected=p.expected
                )
                for p in points
            )
        )


class NewMembersChart(ThemedChart):
    """New members per month (the last six months). `set_months` refills the same chart."""

    def __init__(self, months: Sequence[Any], parent: QWidget | None = None) -> None:
        chart = _chart()
        chart.legend().hide()
        self.members = QBarSet(_("New members"))
        series = QBarSeries()
        series.append(self.members)
        series.setBarWidth(0.55)
        series.setLabelsVisible(True)
        series.setLabelsPosition(QBarSeries.LabelsPosition.LabelsOutsideEnd)
        self.members.setLabelFont(_font(8))
        chart.addSeries(series)
        self.x_axis = QBarCategoryAxis()
        _axis_style(self.x_axis)
        self.x_axis.setGridLineVisible(False)
        self.y_axis = _count_axis(1)
        self.y_axis.setLabelsVisible(False)
        self.y_axis.setGridLineVisible(False)
        self.y_axis.setLineVisible(False)
        chart.addAxis(self.x_axis, Qt.AlignmentFlag.AlignBottom)
        chart.addAxis(self.y_axis, Qt.AlignmentFlag.AlignLeft)
        series.attachAxis(self.x_axis)
        series.attachAxis(self.y_axis)
        super().__init__(chart, parent)
        _style_view(self, 110, "newMembersChart")
        self.bars = [(self.members, "chart_series", "chart_series")]
        self.recolour()
        self.months: tuple[Any, ...] = ()
        self.set_months(months)

    def set_months(self, months: Sequence[Any]) -> None:
        months = tuple(months)
        if months == self.months:
            return
        self.months = months
        _refill(self.members, [m.value for m in months])
        self.x_axis.clear()
        self.x_axis.append([short_month(m.month) for m in months])
        top = max([0, *(m.value for m in months)])
        _set_count_range(self.y_axis, top * 1.25 + 1)
        self.setToolTip(
            "\n".join(
                _("{month}: {n} new").format(month=short_month(m.month), n=m.value) for m in months
            )
        )


def attendance_chart(points: Sequence[Any], parent: QWidget | None = None) -> AttendanceChart:
    return AttendanceChart(points, parent)


def new_members_chart(months: Sequence[Any], parent: QWidget | None = None) -> NewMembersChart:
    return NewMembersChart(months, parent)


def ratio_chart(periods: Sequence[Any], target: float, parent: QWidget | None = None) -> QChartView:
    """Per month: the share of time in person and online (each bar is 100 %), and the target."""
    chart = _chart()
    in_person = QBarSet(_("In person"))
    online = QBarSet(_("Online"))
    for p in periods:
        in_person.append(p.in_person_minutes)
        online.append(p.online_minutes)
    series = QPercentBarSeries()
    series.append(in_person)
    series.append(online)
    series.setBarWidth(0.7)
    chart.addSeries(series)
    n = len(periods)
    # The target's dashes are drawn over a band of the page's colour: they stand out from the
    # dark and the pale bars alike.
    halo = QLineSeries()
    line = QLineSeries()
    line.setName(_("In-person target ({n}%)").format(n=round(target * 100)))
    for each in (halo, line):
        each.append(-0.5, target * 100)
        each.append(max(0, n - 1) + 0.5, target * 100)
        chart.addSeries(each)
    for marker in chart.legend().markers(halo):
        marker.setVisible(False)
    x = QBarCategoryAxis()
    x.append([short_month(p.label) for p in periods])
    _axis_style(x)
    x.setLabelsFont(_font(7.5))  # twelve months side by side: "sept." must not be cut
    x.setTruncateLabels(False)
    x.setGridLineVisible(False)
    y = QValueAxis()
    y.setRange(0, 100)
    y.setTickCount(5)
    y.setLabelFormat("%d %%")
    _axis_style(y)
    chart.addAxis(x, Qt.AlignmentFlag.AlignBottom)
    chart.addAxis(y, Qt.AlignmentFlag.AlignLeft)
    series.attachAxis(x)
    series.attachAxis(y)
    # The target is a straight line over the categories: its own hidden x axis, same span.
    line_x = QValueAxis()
    line_x.setRange(-0.5, max(0, n - 1) + 0.5)
    line_x.setVisible(False)
    chart.addAxis(line_x, Qt.AlignmentFlag.AlignBottom)
    for each in (halo, line):
        each.attachAxis(line_x)
        each.attachAxis(y)
    view = ThemedChart(chart, parent)
    _style_view(view, 240, "ratioChart")
    view.bars = [
        (in_person, "chart_series", "chart_series"),
        (online, "chart_online", "chart_outline"),
    ]
    view.lines = [
        (halo, "page", 6.0, Qt.PenStyle.SolidLine),
        (line, "chart_target", 2.0, Qt.PenStyle.DashLine),
    ]
    view.recolour()
    return view
