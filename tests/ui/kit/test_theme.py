"""Light and dark: one palette module gives every colour of the app in both schemes, each
foreground readable on its background (WCAG 2.2 AA); the scheme is the desktop's (followed
while running) or the one chosen in Preferences, applied at once to every window, the
custom-painted calendar and the charts included."""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QPalette
from PySide6.QtWidgets import QApplication

from cmplanner import paths
from ui.kit import settings, theme

ROOT = Path(__file__).resolve().parents[3]

# A colour written in code or in a style sheet: "#1f7a8c", QColor("red"), QColor(31, 122, 140),
# Qt.GlobalColor.red / Qt.white, rgb(…)/rgba(…)/hsl(…), or a named colour in a style sheet.
HEX = re.compile(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{8}\b|#[0-9a-fA-F]{3}\b")
QCOLOR_LITERAL = re.compile(r"QColor\(\s*(['\"]|\d)")
GLOBAL_COLOUR = re.compile(
    r"Qt\.(GlobalColor\.)?(white|black|red|green|blue|cyan|magenta|yellow|gray|"
    r"darkGray|lightGray|darkRed|darkGreen|darkBlue|darkCyan|darkMagenta|darkYellow)\b"
)
CSS_FUNCTION = re.compile(r"\b(rgba?|hsla?|hsva?)\s*\(")
CSS_NAMED = re.compile(
    r"(color|background|border[a-z-]*)\s*:[^;]*\b(white|black|red|green|blue|gray|grey|"
    r"yellow|orange|purple|pink|silver|navy|teal|maroon)\b"
)


def _colour_writing(text: str) -> list[str]:
    found = []
    for number, line in enumerate(text.splitlines(), 1):
        for pattern in (HEX, QCOLOR_LITERAL, GLOBAL_COLOUR, CSS_FUNCTION, CSS_NAMED):
            match = pattern.search(line)
            if match:
                found.append(f"{number}: {match.group(0)!r} in {line.strip()}")
    return found


def test_no_colour_is_written_outside_the_palette_module() -> None:
    sources = [p for p in (ROOT / "ui").rglob("*.py") if p.name != "theme.py"]
    sources += list((ROOT / "resources" / "styles").glob("*.qss"))
    assert len(sources) > 50
    problems = {
        str(path.relative_to(ROOT)): found
        for path in sources
        if (found := _colour_writing(path.read_text(encoding="utf-8")))
    }
    assert problems == {}


def test_the_check_finds_the_ways_a_colour_is_written() -> None:
    for line in (
        'QColor("#b42318")',
        "label.setStyleSheet('color: #1a7f37;')",
        "QColor(31, 122, 140)",
        "painter.setPen(Qt.GlobalColor.red)",
        "brush = Qt.white",
        "QLabel { background: rgba(0, 0, 0, 40); }",
        "QLabel { color: white; }",
        "#page { background: #fff; }",
    ):
        assert _colour_writing(line), line
    for line in ("QColor(mid)", "color: @text;", "background: transparent;", "# 12 rows"):
        assert not _colour_writing(line), line


def test_the_contrast_ratio_is_wcag_s() -> None:
    assert theme.contrast_ratio("#000000", "#ffffff") == pytest.approx(21)
    assert theme.contrast_ratio("#ffffff", "#ffffff") == pytest.approx(1)
    # WebAIM's checker: #777777 on white is 4.48:1 (just short of AA), #767676 is 4.54:1.
    assert theme.contrast_ratio("#777777", "#ffffff") == pytest.approx(4.48, abs=0.01)
    assert theme.contrast_ratio("#ffffff", "#767676") == pytest.approx(4.54, abs=0.01)


@pytest.mark.parametrize("scheme", theme.SCHEMES)
def test_every_foreground_is_readable_on_its_background(scheme: str) -> None:
    too_low = [
        (fg, theme.value(fg, scheme), bg, theme.value(bg, scheme), round(ratio, 2), need)
        for fg, bg, need in theme.PAIRS
        if (ratio := theme.contrast_ratio(theme.value(fg, scheme), theme.value(bg, scheme))) < need
    ]
    assert too_low == []


def test_every_colour_role_is_in_a_checked_pair_or_is_a_decoration() -> None:
    in_pairs = {role for fg, bg, _need in theme.PAIRS for role in (fg, bg)}
    unchecked = set(theme.ROLES) - in_pairs - theme.DECORATION
    assert unchecked == set()
    assert {f"community_{n}" for n in range(len(theme.COMMUNITY))} <= in_pairs
    for fg, bg, need in theme.PAIRS:
        assert need in (theme.TEXT_RATIO, theme.LARGE_RATIO)
        for role in (fg, bg):
            for scheme in theme.SCHEMES:
                assert re.fullmatch(r"#[0-9a-f]{6}", theme.value(role, scheme)), role


def test_the_two_schemes_are_light_and_dark() -> None:
    for role in ("base", "window", "page", "sidebar", "card", "cancelled_fill"):
        assert theme.colour(role, theme.LIGHT).lightness() > 200, role
        assert theme.colour(role, theme.DARK).lightness() < 70, role
    for role in ("text", "window_text", "block_text"):
        assert theme.colour(role, theme.LIGHT).lightness() < 70, role
        assert theme.colour(role, theme.DARK).lightness() > 200, role
    for rank in range(len(theme.COMMUNITY)):  # a deep tint under light text in the dark
        assert theme.colour(f"community_{rank}", theme.DARK).lightness() < 128
    dark = theme.palette(theme.DARK)
    assert dark.color(QPalette.ColorRole.Base).name() == theme.value("base", theme.DARK)
    assert dark.color(QPalette.ColorRole.Text).name() == theme.value("text", theme.DARK)
    light = theme.palette(theme.LIGHT)
    assert light.color(QPalette.ColorRole.Window).name() == theme.value("window", theme.LIGHT)


@pytest.mark.parametrize("scheme", theme.SCHEMES)
def test_the_style_sheet_is_the_template_in_one_scheme(scheme: str) -> None:
    template = (paths.resources_dir() / "styles" / "app.qss").read_text(encoding="utf-8")
    roles = set(re.findall(r"@([a-z][a-z0-9_]*)", template))
    assert {"page", "text", "accent", "danger_text", "vitality_amber", "banner_bg"} <= roles
    sheet = theme.stylesheet(scheme)
    assert "@" not in sheet
    other = theme.DARK if scheme == theme.LIGHT else theme.LIGHT
    written = set(HEX.findall(sheet))
    own = {theme.value(role, scheme) for role in roles}
    assert written == own
    # Never half of each: no colour of the other scheme that this one does not share.
    assert not {theme.value(r, other) for r in roles} - own & written


@pytest.fixture
def themed(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[QApplication]:
    """The app shown with ui.kit.theme; Qt and the module as they were afterwards."""
    palette = qapp.palette()
    for name in ("_scheme", "_sheet", "_forced"):
        monkeypatch.setattr(theme, name, getattr(theme, name))
    yield qapp
    qapp.setStyleSheet("")
    qapp.styleHints().unsetColorScheme()
    qapp.setPalette(palette)


def _applied(app: QApplication, scheme: str) -> bool:
    return (
        theme.current() == scheme
        and app.palette().color(QPalette.ColorRole.Base).name() == theme.value("base", scheme)
        and app.palette().color(QPalette.ColorRole.Text).name() == theme.value("text", scheme)
        and app.styleSheet() == theme.stylesheet(scheme)
    )


def test_the_chosen_scheme_is_shown_and_the_system_s_by_default(themed: QApplication) -> None:
    from ui.shell.app import apply_style

    assert theme.saved_appearance() == theme.SYSTEM
    apply_style(themed)  # offscreen Qt says no scheme: light
    assert _applied(themed, theme.LIGHT)
    settings.app_settings().setValue(settings.APPEARANCE, "dark")
    apply_style(themed)
    assert _applied(themed, theme.DARK)
    settings.app_settings().setValue(settings.APPEARANCE, "sepia")  # not a choice: the system's
    assert theme.saved_appearance() == theme.SYSTEM


def test_the_desktop_s_change_is_followed_while_running(
    themed: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    from ui.shell.app import apply_style

    apply_style(themed)
    assert _applied(themed, theme.LIGHT)
    desktop = {"scheme": theme.DARK}
    monkeypatch.setattr(theme, "system_scheme", lambda _app: desktop["scheme"])
    themed.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert _applied(themed, theme.DARK)
    desktop["scheme"] = theme.LIGHT
    themed.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert _applied(themed, theme.LIGHT)
    # A scheme chosen in Preferences stays when the desktop changes.
    theme.apply(themed, theme.DARK)
    themed.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Light)
    assert _applied(themed, theme.DARK)
    # Nor does a style taken away (tests, another style) come back.
    theme.apply(themed, theme.SYSTEM)
    themed.setStyleSheet("")
    desktop["scheme"] = theme.DARK
    themed.styleHints().colorSchemeChanged.emit(Qt.ColorScheme.Dark)
    assert themed.styleSheet() == ""


def test_preferences_offer_system_light_dark_applied_at_once(qtbot, themed, empty_db) -> None:
    from ui.preferences.dialog import PreferencesDialog

    theme.apply(themed)
    dialog = PreferencesDialog(db=empty_db)
    qtbot.addWidget(dialog)
    combo = dialog.appearance
    assert [combo.itemData(i) for i in range(combo.count())] == ["system", "light", "dark"]
    assert combo.currentData() == "system"
    combo.setCurrentIndex(combo.findData("dark"))
    dialog.accept()
    assert settings.app_settings().value(settings.APPEARANCE) == "dark"
    assert _applied(themed, theme.DARK)  # no restart
    again = PreferencesDialog(db=empty_db)
    qtbot.addWidget(again)
    assert again.appearance.currentData() == "dark"
    again.appearance.setCurrentIndex(again.appearance.findData("system"))
    again.accept()
    assert _applied(themed, theme.LIGHT)


def _pixel(widget, x: int, y: int) -> str:  # type: ignore[no-untyped-def]
    return widget.grab().toImage().pixelColor(x, y).name()


def test_the_calendar_and_the_charts_repaint_in_the_new_scheme(
    qtbot, themed, window, frozen_clock: dt.datetime
) -> None:
    theme.apply(themed, theme.LIGHT)
    window.show_section("calendar")
    view = window.view("calendar")
    view.show_week(frozen_clock.date())
    grid = view.week_grid
    body = grid.body
    qtbot.waitUntil(lambda: bool(grid.layout_.blocks))
    corner = (2, 2)  # the hours' column: the grid's base
    assert _pixel(body, *corner) == theme.value("base", theme.LIGHT)
    theme.apply(themed, theme.DARK)
    assert _pixel(body, *corner) == theme.value("base", theme.DARK)
    block = grid.layout_.blocks[0]
    rect = grid.block_rect(block).toRect()
    fills = {theme.value(f"community_{n}", theme.DARK) for n in range(12)}
    fills |= {theme.value("cancelled_fill", theme.DARK), theme.value("no_community", theme.DARK)}
    assert _pixel(body, rect.right() - 3, rect.bottom() - 3) in fills
    view.show_month(frozen_clock.date())
    table = view.month_table
    cell = table.visualRect(view.month_model.index(4, 3))
    assert _pixel(table.viewport(), cell.right() - 3, cell.bottom() - 3) in {
        theme.value("base", theme.DARK),
        theme.value("alternate_base", theme.DARK),
        theme.value("selection", theme.DARK),
    }

    from ui.dashboard.charts import AttendanceChart, ratio_chart

    chart = AttendanceChart([])
    ratio = ratio_chart([], 0.3)
    qtbot.addWidget(chart)
    qtbot.addWidget(ratio)
    assert chart.attended.color().name() == theme.value("chart_series", theme.DARK)
    theme.apply(themed, theme.LIGHT)
    assert chart.attended.color().name() == theme.value("chart_series", theme.LIGHT)
    assert chart.expected.borderColor().name() == theme.value("chart_series", theme.LIGHT)
    axis = chart.chart().axes()[0]
    assert axis.labelsColor().name() == theme.value("chart_text", theme.LIGHT)
    theme.apply(themed, theme.DARK)
    assert axis.labelsColor().name() == theme.value("chart_text", theme.DARK)
    target = ratio.lines[-1][0]
    assert target.pen().color().name() == theme.value("chart_target", theme.DARK)
    assert ratio.chart().legend().markers(ratio.lines[0][0])[0].isVisible() is False


def test_a_status_coloured_calendar_also_marks_each_status(window) -> None:  # type: ignore[no-untyped-def]
    from ui.calendar.look import STATUS_MARKS, OccurrenceRole

    window.show_section("calendar")
    view = window.view("calendar")
    view.agenda_button.click()
    model = view.agenda_model

    def titles() -> dict[str, set[str]]:
        out: dict[str, set[str]] = {}
        for row in range(model.rowCount()):
            occurrence = model.index(row, 0).data(OccurrenceRole)
            if occurrence is not None:
                out.setdefault(occurrence.status, set()).add(model.index(row, 1).data())
        return out

    by_community = titles()
    assert {"planned", "confirmed"} <= set(by_community)
    assert all(
        not t.startswith(tuple(STATUS_MARKS.values())) for s in by_community.values() for t in s
    )
    view.set_colour_by("status")
    for status, shown in titles().items():
        mark = STATUS_MARKS[status]
        assert all(mark in text.split(" ")[:2] for text in shown), (status, shown)
    assert len(set(STATUS_MARKS.values())) == len(STATUS_MARKS)
    view.set_colour_by("community")


def test_overdue_is_said_by_a_sign_and_a_word_not_only_red(window) -> None:  # type: ignore[no-untyped-def]
    window.show_section("tasks")
    model = window.view("tasks").model
    due = model.listing.column_keys().index("due")
    overdue = [r for r in range(model.rowCount()) if model.is_overdue(r)]
    on_time = [r for r in range(model.rowCount()) if not model.is_overdue(r)]
    assert overdue and on_time
    for row in overdue:
        index = model.index(row, due)
        assert not index.data(Qt.ItemDataRole.DecorationRole).isNull()
        assert index.data(Qt.ItemDataRole.AccessibleDescriptionRole) == "Overdue"
    for row in on_time:
        assert model.index(row, due).data(Qt.ItemDataRole.DecorationRole) is None


@pytest.mark.parametrize("scheme", theme.SCHEMES)
def test_the_pdf_preview_s_surroundings_follow_the_scheme_its_pages_stay_white(
    qtbot, themed, scheme: str
) -> None:
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    from ui.documents.preview import open_pdf_preview

    out = io.BytesIO()
    page = canvas.Canvas(out, pagesize=A4)
    page.drawString(72, 720, "Brief")
    page.showPage()
    page.save()
    theme.apply(themed, scheme)
    dialog = open_pdf_preview(None, "Brief", "brief", lambda _c: out.getvalue())
    qtbot.addWidget(dialog)
    dialog.resize(900, 700)
    dialog.show()
    qtbot.waitExposed(dialog)
    image = dialog.view.viewport().grab().toImage()
    assert image.pixelColor(2, 2).name() == theme.value("pdf_surround", scheme)
    middle = image.pixelColor(image.width() // 2, image.height() // 2)
    assert middle.name() == "#ffffff"  # the page as printed
    other = theme.DARK if scheme == theme.LIGHT else theme.LIGHT
    theme.apply(themed, other)  # while it is open
    image = dialog.view.viewport().grab().toImage()
    assert image.pixelColor(2, 2).name() == theme.value("pdf_surround", other)


def test_the_dark_community_shades_are_as_easy_to_tell_apart_as_the_light_ones() -> None:
    from tests.ui.calendar.test_calendar import _lab

    fills = [theme.colour(f"community_{n}", theme.DARK) for n in range(len(theme.COMMUNITY))]
    others = [theme.colour(r, theme.DARK) for r in ("no_community", "cancelled_fill", "base")]
    labs = [_lab(c) for c in fills + others]
    for i in range(len(fills)):
        for j in range(i + 1, len(labs)):
            delta = sum((a - b) ** 2 for a, b in zip(labs[i], labs[j], strict=True)) ** 0.5
            assert delta > 23, ((fills + others)[i].name(), (fills + others)[j].name(), delta)


def test_a_report_s_problems_are_in_the_scheme_s_colours_also_after_a_change(qtbot, themed) -> None:
    from ui.kit.report import ReportDialog

    def colour_of(dialog: ReportDialog, text: str) -> str:
        block = dialog.details.document().begin()
        while block.isValid():
            if text in block.text():
                return block.begin().fragment().charFormat().foreground().color().name()
            block = block.next()
        raise AssertionError(text)

    theme.apply(themed, theme.LIGHT)
    html = "<p class='bad'>Nothing was imported.</p><ul class='warn'><li>line 3: odd</li></ul>"
    dialog = ReportDialog("Import calendar", "1 file", html, None)
    qtbot.addWidget(dialog)
    assert colour_of(dialog, "Nothing was imported") == theme.value("danger_text", theme.LIGHT)
    assert colour_of(dialog, "line 3") == theme.value("warning_text", theme.LIGHT)
    theme.apply(themed, theme.DARK)
    assert colour_of(dialog, "Nothing was imported") == theme.value("danger_text", theme.DARK)
    assert colour_of(dialog, "line 3") == theme.value("warning_text", theme.DARK)


@pytest.mark.parametrize("scheme", theme.SCHEMES)
def test_a_menu_s_edge_is_seen_over_the_window(themed: QApplication, scheme: str) -> None:
    """A menu (a context menu, a combo box's list) is edged in `outline`: Fusion's edge, a
    shade of the window's colour, melted into a dark list."""
    from PySide6.QtWidgets import QMenu

    theme.apply(themed, scheme)
    menu = QMenu()
    menu.addAction("Modifier…")
    menu.addAction("Supprimer…")
    menu.popup(menu.pos())
    try:
        image = menu.grab().toImage()
        middle = image.height() // 2
        edges = {image.pixelColor(x, middle).name() for x in (0, image.width() - 1)}
        assert edges == {theme.value("outline", scheme)}
    finally:
        menu.close()
