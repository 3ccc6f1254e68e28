"""The dashboard on paper: what is due, the next 14 days, one block per community (vitality
and its light, pace, attendance chart, returning attendees, members seen in person, launch
readiness with what is missing), the people drifting away and the in-person ratio by month
against the target.

Every figure comes from `cmplanner.services.dashboard.compute` (the one source the home screen
and `cmplanner dashboard --json` use); this module only lays them out. Charts are drawn with
reportlab.graphics (headless). Lights are said in words as well as in colour, so a page printed
in black and white still says them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing, Line, Rect, String
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, KeepTogether, Paragraph, Spacer, Table, TableStyle

from cmplanner.documents.base import (
    ACCENT,
    FONT,
    MUTED,
    RULE,
    DocTemplate,
    build_pdf,
    cell,
    date_text,
    day_time_text,
    italic_fonts,
    para_text,
    section,
    styles,
    table,
)
from cmplanner.formats import day_text, month_text, percent_text
from cmplanner.i18n import N_, _, current_language, ngettext
from cmplanner.services.dashboard import by_person, compute, more_people

if TYPE_CHECKING:
    from cmplanner.services.dashboard import (
        CommunityVitality,
        Dashboard,
        InPersonRatio,
    )
    from cmplanner.storage import Database

SHORT_DATE = "MMMEd"  # the weekday, the day and the month, in the locale's order
DRIFTING_MAX = 40  # named on paper; the rest are counted
TASKS_MAX = 40
UPCOMING_MAX = 40

LIGHT_COLOURS = {
    "green": colors.HexColor("#2e7d32"),
    "amber": colors.HexColor("#b26a00"),
    "red": colors.HexColor("#c62828"),
    "unknown": colors.HexColor("#6b7280"),
}
LIGHT_WORDS = {
    "green": N_("green"),
    "amber": N_("amber"),
    "red": N_("red"),
    "unknown": N_("no data yet"),
}
EXPECTED_COLOUR = colors.HexColor("#c9d3de")
TARGET_COLOUR = colors.HexColor("#c62828")


def render(db: Database, *, today: dt.date | None = None, page: str = "A4") -> bytes:
    """The dashboard as PDF bytes (`today` defaults to the clock's)."""
    return layout(compute(db, today=today), page=page)


# -- words and numbers ---------------------------------------------------------------------------


def short_date(day: dt.date) -> str:
    """« jeu. 19 nov. », "Thu, Nov 19" (en_US), "Thu 19 Nov" (en_GB)."""
    return day_text(day, SHORT_DATE)


def duration_text(minutes: int) -> str:
    hours, rest = divmod(max(minutes, 0), 60)
    if not hours:
        return _("{minutes} min").format(minutes=rest)
    return _("{hours} h {minutes}").format(hours=hours, minutes=f"{rest:02d}")


def light_text(light: str) -> str:
    return _(LIGHT_WORDS.get(light, LIGHT_WORDS["unknown"]))


def _hex(colour: Any) -> str:
    return "#" + str(colour.hexval())[2:]


def _light_markup(light: str, text: str) -> str:
    colour = LIGHT_COLOURS.get(light, LIGHT_COLOURS["unknown"])
    return f'<font color="{_hex(colour)}">●</font> <b>{para_text(text)}</b>'


def _when(start: dt.datetime, all_day: bool = False) -> str:
    return day_time_text(start, SHORT_DATE, all_day=all_day)


def _month_label(month: str, *, with_year: bool = True) -> str:
    """ "2026-11" → « nov. 26 » / "Nov 26" (or « nov. » / "Nov")."""
    try:
        first = dt.date.fromisoformat(month + "-01")
    except ValueError:
        return month
    return month_text(first, year=with_year)


# -- charts ---------------------------------------------------------------------------------------


def attendance_chart(
    points: Sequence[tuple[dt.date, int, int]], width: float, height: float
) -> Drawing:
    """Bars per event: expected (light) and attended (accent), the event's date below."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 24, 26
    chart.width, chart.height = width - 30, height - 40
    chart.data = [[p[1] for p in points], [p[2] for p in points]]
    # Dates below the bars; every other one when there are many (they would touch).
    every = 1 if len(points) <= 6 else 2
    chart.categoryAxis.categoryNames = [
        f"{p[0].day}/{p[0].month}" if (len(points) - 1 - i) % every == 0 else ""
        for i, p in enumerate(points)
    ]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 6.5
    chart.categoryAxis.labels.angle = 0
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 6.5
    chart.valueAxis.valueMin = 0
    top = max([*chart.data[0], *chart.data[1], 1])
    chart.valueAxis.valueMax = max(top, 4)
    chart.valueAxis.valueStep = max(1, round(max(top, 4) / 4))
    chart.bars[0].fillColor = EXPECTED_COLOUR
    chart.bars[0].strokeColor = None
    chart.bars[1].fillColor = ACCENT
    chart.bars[1].strokeColor = None
    chart.groupSpacing = 4
    drawing.add(chart)
    # A legend of two swatches, drawn by hand (a chart Legend would need more room).
    y = 4
    x = 24.0
    for colour, text in ((EXPECTED_COLOUR, _("expected")), (ACCENT, _("came"))):
        drawing.add(Rect(x, y, 7, 7, fillColor=colour, strokeColor=None))
        drawing.add(String(x + 10, y + 0.5, text, fontName=FONT, fontSize=7, fillColor=MUTED))
        x += 16 + len(text) * 4.2
    return drawing


def ratio_chart(ratio: InPersonRatio, width: float, height: float) -> Drawing:
    """The share of time in person per month (bars, %), with the target as a dashed line."""
    drawing = Drawing(width, height)
    chart = VerticalBarChart()
    chart.x, chart.y = 30, 26
    chart.width, chart.height = width - 100, height - 36
    months = ratio.months
    chart.data = [[round(100 * (m.value or 0), 1) for m in months] or [0]]
    chart.categoryAxis.categoryNames = [_month_label(m.label) for m in months] or [""]
    chart.categoryAxis.labels.fontName = FONT
    chart.categoryAxis.labels.fontSize = 7
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontSize = 7
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = 100
    chart.valueAxis.valueStep = 25
    chart.valueAxis.labelTextFormat = "%d %%" if current_language() == "fr" else "%d%%"
    chart.bars[0].fillColor = ACCENT
    chart.bars[0].strokeColor = None
    chart.barLabelFormat = lambda v: ""
    drawing.add(chart)
    # Months without any time recorded: a dash over the axis, so 0 % and "nothing" differ.
    step = chart.width / max(len(months), 1)
    for index, month in enumerate(months):
        if month.value is None:
            drawing.add(
                String(
                    chart.x + step * (index + 0.5),
                    chart.y + 2,
                    "—",
                    fontName=FONT,
                    fontSize=7,
                    fillColor=MUTED,
                    textAnchor="middle",
                )
            )
    target_y = chart.y + chart.height * ratio.target
    drawing.add(
        Line(
            chart.x,
            target_y,
            chart.x + chart.width,
            target_y,
            strokeColor=TARGET_COLOUR,
            strokeWidth=1.2,
            strokeDashArray=[4, 3],
        )
    )
    # The target's label right of the plot, where no bar can hide it.
    label = _("target {percent}").format(percent=percent_text(ratio.target))
    drawing.add(
        String(
            chart.x + chart.width + 4,
            target_y - 2.5,
            label,
            fontName=FONT,
            fontSize=7,
            fillColor=TARGET_COLOUR,
        )
    )
    return drawing


# -- the document ---------------------------------------------------------------------------------


def layout(board: Dashboard, *, page: str = "A4") -> bytes:
    italic_fonts()  # its "nothing yet" lines are in italics
    st = styles()
    title = _("Dashboard")

    def none(text: str) -> Paragraph:
        return Paragraph(f"<i>{para_text(text)}</i>", st.small)

    def more(count: int) -> list[Flowable]:
        if count <= 0:
            return []
        return [
            Spacer(1, 1.5 * mm),
            none(_("and {n} more").format(n=count)),
        ]

    def build(doc: DocTemplate) -> list[Flowable]:
        w = doc.width
        out: list[Flowable] = [Paragraph(para_text(title), st.title)]
        ratio = board.ratio
        summary = [date_text(board.today)]
        if ratio.value is not None:
            summary.append(
                _("{percent} of the time in person over 90 days (target {target})").format(
                    percent=percent_text(ratio.value, ratio.target),
                    target=percent_text(ratio.target),
                )
            )
        out.append(Paragraph(para_text(" · ".join(summary)), st.subtitle))

        out += _due_section(board, w, section, table, none, more)
        out += _upcoming_section(board, w, section, table, none, more)
        out += section(_("Communities"))
        if not board.communities:
            out.append(none(_("No community yet.")))
        for community in board.communities:
            out.append(_community_block(community, board, w))
        out += _drifting_section(board, w, section, table, none, more)
        out += _ratio_section(board, w, section, table, none)
        return out

    return build_pdf(build, page=page, title=title)


def _due_section(
    board: Dashboard, w: float, section: Any, table: Any, none: Any, more: Any
) -> list[Flowable]:
    out: list[Flowable] = section(_("Due and overdue"))
    tasks = board.due.tasks
    if tasks:
        rows: list[list[Any]] = [
            [
                _due_cell(task.due_date, task.overdue),
                task.title,
                task.event_title,
                task.assignee or "—",
            ]
            for task in tasks[:TASKS_MAX]
        ]
        out.append(
            table(
                rows,
                [_("Due"), _("Task"), _("Event"), _("Owner")],
                [w * 0.24, w * 0.35, w * 0.23, w * 0.18],
            )
        )
        out += more(len(tasks) - TASKS_MAX)
    else:
        out.append(none(_("No task due in the next 7 days.")))
    out.append(Spacer(1, 3 * mm))
    commitments = board.due.commitments
    if commitments:
        rows = [
            [
                _due_cell(promise.due_date, promise.overdue),
                promise.description,
                promise.contact or promise.community or promise.event_title or "—",
            ]
            for promise in commitments[:TASKS_MAX]
        ]
        out.append(
            table(
                rows,
                [_("Due"), _("Open commitment"), _("Made to")],
                [w * 0.24, w * 0.5, w * 0.26],
            )
        )
        out += more(len(commitments) - TASKS_MAX)
    else:
        out.append(none(_("No open commitment.")))
    if board.due.unconfirmed:
        out.append(Spacer(1, 3 * mm))
        out.append(
            table(
                [
                    [
                        _when(u.start),
                        f"{u.title} ({u.community})" if u.community else u.title,
                    ]
                    for u in board.due.unconfirmed
                ],
                [_("When"), _("Dates still to confirm")],
                [w * 0.22, w * 0.78],
            )
        )
    return out


def _due_cell(day: dt.date | None, overdue: bool) -> Any:
    """The due date; an overdue one in red and said so in words (it prints in grey too)."""
    if day is None:
        return "—"
    if not overdue:
        return short_date(day)
    text = _("{date} (overdue)").format(date=short_date(day))
    return Paragraph(
        f'<font color="{_hex(LIGHT_COLOURS["red"])}">{para_text(text)}</font>', styles().cell
    )


def _upcoming_section(
    board: Dashboard, w: float, section: Any, table: Any, none: Any, more: Any
) -> list[Flowable]:
    out: list[Flowable] = section(_("Next 14 days"))
    events = board.upcoming
    if not events:
        return [*out, none(_("Nothing planned in the next 14 days."))]
    rows = [
        [
            _when(e.start, e.all_day),
            e.title,
            e.community or "—",
            _("in person") if e.in_person else _("online"),
            str(e.accepted + e.plus_ones),
            str(e.tentative),
            str(e.declined),
            str(e.no_answer),
        ]
        for e in events[:UPCOMING_MAX]
    ]
    out.append(
        table(
            rows,
            [_("When"), _("Event"), _("Community"), _("Where"), _("Yes"), _("Maybe"), _("No"), "?"],
            [w * 0.21, w * 0.24, w * 0.16, w * 0.1, w * 0.06, w * 0.11, w * 0.06, w * 0.06],
            extra_style=[("ALIGN", (4, 0), (-1, -1), "RIGHT")],
        )
    )
    out += more(len(events) - UPCOMING_MAX)
    out.append(
        Paragraph(
            para_text(_("Yes counts the accepted guests and their plus-ones; ? is no answer yet.")),
            _small(),
        )
    )
    return out


def _small() -> Any:
    return styles().small


def _community_block(c: CommunityVitality, board: Dashboard, w: float) -> Flowable:
    st = styles()
    parts: list[Flowable] = [Paragraph(para_text(c.name), st.heading), _headline(c)]
    # The figures on the left, the attendance chart on the right.
    left_width = w * 0.56
    chart_width = w - left_width - 4 * mm
    if c.attendance:
        chart: Flowable | Drawing = attendance_chart(
            [(p.day, p.expected, p.attended) for p in c.attendance], chart_width, 46 * mm
        )
    else:
        nothing = _("No in-person event held yet: no attendance to draw.")
        chart = Paragraph(f"<i>{para_text(nothing)}</i>", st.small)
    side = Table([[_figures(c, left_width), chart]], colWidths=[left_width + 4 * mm, chart_width])
    side.setStyle(
        TableStyle(
            [
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("LEFTPADDING", (0, 0), (-1, -1), 0),
                ("RIGHTPADDING", (0, 0), (0, 0), 4 * mm),
                ("RIGHTPADDING", (1, 0), (1, 0), 0),
            ]
        )
    )
    parts.append(side)
    parts.append(Spacer(1, 1.5 * mm))
    parts.append(_readiness(c))
    parts.append(Spacer(1, 2 * mm))
    rule = Table([[""]], colWidths=[w], rowHeights=[1])
    rule.setStyle(TableStyle([("LINEBELOW", (0, 0), (-1, -1), 0.4, ACCENT)]))
    parts.append(rule)
    return KeepTogether(parts)


def _headline(c: CommunityVitality) -> Paragraph:
    """The vitality score, its light and the member count."""
    if c.vitality is None:
        score = _("Vitality: no data yet")
    else:
        score = _("Vitality {score}/100").format(score=c.vitality)
    return Paragraph(
        _light_markup(str(c.light), score)
        + f' <font color="{_hex(MUTED)}">({para_text(light_text(str(c.light)))})</font> · '
        + para_text(ngettext("{n} member", "{n} members", c.members).format(n=c.members)),
        styles().body,
    )


def _figures(c: CommunityVitality, width: float) -> Table:
    """The community's figures, one labelled row each."""
    st = styles()
    if c.days_since_last_in_person_event is None:
        pace = _("never met in person")
    else:
        pace = ngettext(
            "{n} day since the last in-person event",
            "{n} days since the last in-person event",
            c.days_since_last_in_person_event,
        ).format(n=c.days_since_last_in_person_event)
    target = (
        _("default target: every {n} days") if c.pace_is_default else _("target: every {n} days")
    ).format(n=c.target_pace_days)
    pace_cell = Paragraph(
        f"{para_text(pace)} ({para_text(target)})<br/>"
        + _light_markup(str(c.pace_light), light_text(str(c.pace_light))),
        st.cell,
    )
    held = len(c.attendance)
    attendance = percent_text(c.attendance_rate)
    if held:
        attendance += " " + ngettext(
            "(the last in-person event)", "(last {n} in-person events)", held
        ).format(n=held)
    new = sum(m.value for m in c.new_members_by_month)
    months = " · ".join(
        f"{_month_label(m.month, with_year=False)} {m.value}" for m in c.new_members_by_month
    )
    if c.next_event is not None:
        next_text = f"{_when(c.next_event.start, c.next_event.all_day)} — {c.next_event.title}"
    else:
        next_text = _("none planned")
    figures = [
        [_("Pace"), pace_cell],
        [_("Attendance"), attendance],
        [_("Returning attendees"), percent_text(c.returning_rate)],
        [_("Members seen in person (90 days)"), percent_text(c.seen_in_person_90d)],
        [_("New members (6 months)"), f"{new} ({months})" if months else str(new)],
        [_("Next event"), next_text],
    ]
    label_width = width * 0.4
    result = Table(
        [
            [
                Paragraph(para_text(label), st.small),
                value if isinstance(value, Flowable) else cell(value, width - label_width),
            ]
            for label, value in figures
        ],
        colWidths=[label_width, width - label_width],
    )
    result.setStyle(
        TableStyle(
            [
                ("FONT", (0, 0), (-1, -1), FONT, 9, 11),
                ("VALIGN", (0, 0), (-1, -1), "TOP"),
                ("TEXTCOLOR", (0, 0), (0, -1), MUTED),
                ("LINEBELOW", (0, 0), (-1, -2), 0.3, RULE),
                ("LEFTPADDING", (0, 0), (-1, -1), 2),
                ("TOPPADDING", (0, 0), (-1, -1), 2),
                ("BOTTOMPADDING", (0, 0), (-1, -1), 3),
            ]
        )
    )
    return result


def _readiness(c: CommunityVitality) -> Paragraph:
    """Launch readiness: each prerequisite, the missing ones in red."""
    if c.ready:
        ready = _light_markup("green", _("Ready to launch"))
    else:
        missing = sum(1 for item in c.readiness if not item.ok)
        ready = _light_markup(
            "red",
            ngettext(
                "Not ready to launch: {n} prerequisite missing",
                "Not ready to launch: {n} prerequisites missing",
                missing,
            ).format(n=missing),
        )
    lines = [ready]
    for item in c.readiness:
        mark = (
            f'<font color="{_hex(LIGHT_COLOURS["green"])}">✓</font>'
            if item.ok
            else f'<font color="{_hex(LIGHT_COLOURS["red"])}">✗</font>'
        )
        text = para_text(item.label)
        if item.detail:
            text += f' <font color="{_hex(MUTED)}">— {para_text(item.detail)}</font>'
        lines.append(f"{mark} {text}")
    return Paragraph("<br/>".join(lines), styles().cell)


def _drifting_section(
    board: Dashboard, w: float, section: Any, table: Any, none: Any, more: Any
) -> list[Flowable]:
    out: list[Flowable] = section(_("Drifting away"))
    if not board.drifting:
        return [*out, none(_("Nobody: everyone was seen within their cadence."))]

    named = by_person(board.drifting)[:DRIFTING_MAX]
    rows = []
    for person in named:
        seen = short_date(person.last_seen) if person.last_seen else _("never")
        rows.append([person.name, person.community or "—", seen, person.reason_text])
    out.append(
        table(
            rows,
            [_("Name"), _("Community"), _("Last seen"), _("Why")],
            [w * 0.22, w * 0.2, w * 0.16, w * 0.42],
        )
    )
    out += more(more_people(board, named))
    return out


def _ratio_section(
    board: Dashboard, w: float, section: Any, table: Any, none: Any
) -> list[Flowable]:
    ratio = board.ratio
    out: list[Flowable] = section(_("In-person ratio"), room=70 * mm)
    if ratio.value is None:
        said = _("No time recorded in the last 90 days.")
    else:
        said = _(
            "Last 90 days: {percent} in person ({in_person} in person, {online} online); "
            "target {target}."
        ).format(
            percent=percent_text(ratio.value),
            in_person=duration_text(ratio.in_person_minutes),
            online=duration_text(ratio.online_minutes),
            target=percent_text(ratio.target),
        )
    out.append(Paragraph(para_text(said), styles().body))
    if ratio.months:
        out.append(Paragraph(para_text(_("Share of time in person, by month")), styles().small))
        out.append(ratio_chart(ratio, w, 58 * mm))
    if ratio.by_community:
        out.append(Spacer(1, 2 * mm))
        out.append(
            table(
                [
                    [
                        name or _("No community"),
                        duration_text(p.in_person_minutes),
                        duration_text(p.online_minutes),
                        percent_text(p.value),
                    ]
                    for _cid, name, p in ratio.by_community
                ],
                [_("Community (90 days)"), _("In person"), _("Online"), _("In person %")],
                [w * 0.46, w * 0.18, w * 0.18, w * 0.18],
                extra_style=[("ALIGN", (1, 0), (-1, -1), "RIGHT")],
            )
        )
    return out
