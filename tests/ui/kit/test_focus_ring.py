"""The keyboard focus is always seen: the control that has it is ringed in the theme's `focus`
colour, in the light and the dark scheme, whatever kind of control it is; the current item of
a focused list or table is outlined too. Each control is photographed (QWidget.grab) without
the focus and with it, in the real windows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from PySide6.QtCore import QRect, Qt
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import (
    QAbstractItemView,
    QApplication,
    QPushButton,
    QToolButton,
    QWidget,
)

from tests.ui import editors
from ui.kit import focus_ring, theme
from ui.shell.main_window import MainWindow


@pytest.fixture(params=theme.SCHEMES)
def scheme(
    request: pytest.FixtureRequest, qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> Iterator[str]:
    """The app shown in the light, then the dark scheme; unstyled again after, and ui.kit.theme
    as it was."""
    palette = qapp.palette()
    for name in ("_scheme", "_sheet", "_forced"):
        monkeypatch.setattr(theme, name, getattr(theme, name))
    theme.apply(qapp, request.param)
    focus_ring.follow_focus(qapp)  # as ui.shell.app.apply_style does
    yield request.param
    qapp.setStyleSheet("")
    qapp.styleHints().unsetColorScheme()
    qapp.setPalette(palette)


def _photo(widget: QWidget) -> QImage:
    image = widget.grab().toImage()
    assert image.devicePixelRatio() == 1  # the offscreen screens: one pixel a pixel
    return image


def _focus(qtbot, widget: QWidget) -> None:  # type: ignore[no-untyped-def]
    widget.setFocus(Qt.FocusReason.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=2000)


def _count(image: QImage, colour: QColor, rect: QRect | None = None) -> int:
    area = rect or image.rect()
    name = colour.name()
    return sum(
        image.pixelColor(x, y).name() == name
        for y in range(area.top(), area.bottom() + 1)
        for x in range(area.left(), area.right() + 1)
    )


def ring_problems(image: QImage, ring: QRect, scheme: str) -> list[str]:
    """What is wrong with the ring that should go round `ring` in `image`: each side drawn in
    `focus`, 2 px wide, standing out (3:1) from what it surrounds."""
    focus = theme.value("focus", scheme)
    problems = []
    inner = focus_ring.WIDTH  # the first pixel inside the ring
    middle = ring.center()
    for side, on, inside in (
        ("top", [(middle.x(), ring.top() + d) for d in (0, 1)], (middle.x(), ring.top() + inner)),
        (
            "bottom",
            [(middle.x(), ring.bottom() - d) for d in (0, 1)],
            (middle.x(), ring.bottom() - inner),
        ),
        (
            "left",
            [(ring.left() + d, middle.y()) for d in (0, 1)],
            (ring.left() + inner, middle.y()),
        ),
        (
            "right",
            [(ring.right() - d, middle.y()) for d in (0, 1)],
            (ring.right() - inner, middle.y()),
        ),
    ):
        drawn = {image.pixelColor(x, y).name() for x, y in on}
        if drawn != {focus}:
            problems.append(f"{side} side is {drawn}, not {focus}")
        beside = image.pixelColor(*inside).name()
        if theme.contrast_ratio(focus, beside) < theme.LARGE_RATIO:
            problems.append(f"{side} side does not stand out from {beside}")
    return problems


def check_ring(qtbot, widget: QWidget, elsewhere: QWidget, scheme: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Photograph `widget` with the focus on `elsewhere`, then on it: the `focus` colour is
    nowhere in the first, and rings it in the second."""
    name = f"{type(widget).__name__}({widget.objectName() or widget.accessibleName()})"
    _focus(qtbot, elsewhere)
    without = _photo(widget)
    _focus(qtbot, widget)
    with_focus = _photo(widget)
    ringed = focus_ring.ringed(QApplication.focusWidget())
    problems = []
    if _count(without, theme.colour("focus", scheme)):
        problems.append("the focus colour shows without the focus")
    if ringed is not widget:
        problems.append(f"the ring is around {ringed}")
    else:
        problems += ring_problems(with_focus, focus_ring.ring_rect(widget), scheme)
    return [f"{name}: {problem}" for problem in problems]


def check_current_item(
    qtbot, view: QAbstractItemView, elsewhere: QWidget, scheme: str
) -> list[str]:  # type: ignore[no-untyped-def]
    """The current item of `view` is outlined in `focus` when the view has the focus."""
    _focus(qtbot, elsewhere)
    without = _photo(view.viewport())
    _focus(qtbot, view)
    with_focus = _photo(view.viewport())
    item = view.visualRect(view.currentIndex())
    problems = []
    if not item.isValid():
        problems.append("no current item")
    elif _count(without, theme.colour("focus", scheme), item):
        problems.append("the focus colour shows on the item without the focus")
    else:
        problems += ring_problems(with_focus, item, scheme)
    return [f"{view.accessibleName()}'s current item: {problem}" for problem in problems]


def test_every_kind_of_control_in_the_main_window_shows_the_focus(
    qtbot, window: MainWindow, scheme: str
) -> None:
    problems: list[str] = []
    window.show_section("dashboard")
    dashboard = window.view("dashboard")
    qtbot.waitUntil(lambda: bool(dashboard.findChildren(QPushButton, "cardTitle")))
    card_title = dashboard.findChildren(QPushButton, "cardTitle")[0]  # a flat button
    qtbot.waitUntil(lambda: card_title.height() >= card_title.sizeHint().height())  # laid out
    export = dashboard.findChild(QToolButton, "dashboardExport")
    problems += check_ring(qtbot, export, card_title, scheme)
    problems += check_ring(qtbot, card_title, export, scheme)

    window.show_section("contacts")
    contacts = window.view("contacts")
    qtbot.waitUntil(lambda: contacts.row_count() > 0)
    contacts.table.setCurrentIndex(contacts.model.index(2, 0))
    bar = contacts.filter_bar
    bar.not_seen.setChecked(True)  # the days box is for the "not seen" filter
    problems += check_ring(qtbot, contacts.search, contacts.table, scheme)
    for widget in (
        bar.tag,  # a combo box
        bar.not_seen,
        bar.days,
        contacts.new_button,
        contacts.table,
        contacts.drop_panel.community_list,
        window.sidebar,  # should it take the focus
    ):
        problems += check_ring(qtbot, widget, contacts.search, scheme)
    problems += check_current_item(qtbot, contacts.table, contacts.search, scheme)
    assert not problems, "\n".join(problems)


def test_the_event_editor_s_controls_show_the_focus(qtbot, window: MainWindow, scheme: str) -> None:
    editor = editors.event_editor(window)
    title = editor.title
    problems = check_ring(qtbot, editor.tabs.tabBar(), title, scheme)
    for widget in (title, editor.capacity, editor.all_day, editor.start, editor.description):
        editor.tabs.setCurrentWidget(_page_of(editor.tabs, widget))
        problems += check_ring(qtbot, widget, editor.tabs.tabBar(), scheme)
    guests = editor.guests_panel
    editor.tabs.setCurrentWidget(guests)
    qtbot.waitUntil(lambda: guests.model.rowCount() > 0)
    guests.table.setCurrentIndex(guests.table.model().index(0, 0))
    problems += check_ring(qtbot, guests.table, guests.search, scheme)
    problems += check_current_item(qtbot, guests.table, guests.search, scheme)
    assert not problems, "\n".join(problems)


def _page_of(tabs, widget: QWidget) -> QWidget:  # type: ignore[no-untyped-def]
    for index in range(tabs.count()):
        if tabs.widget(index).isAncestorOf(widget):
            return tabs.widget(index)
    raise AssertionError(widget)


def test_radio_buttons_and_date_boxes_show_the_focus(
    qtbot, window: MainWindow, scheme: str
) -> None:
    import datetime as dt

    from ui.exchange.calendars import ExportCalendarDialog

    dialog = ExportCalendarDialog(
        [(1, "Vélo")], dt.date(2026, 11, 1), dt.date(2026, 11, 30), window
    )
    qtbot.addWidget(dialog)
    dialog.in_range.setChecked(True)  # the dates are for a range
    shown = editors._shown(dialog)
    problems = check_ring(qtbot, shown.everything, shown.first, scheme)
    problems += check_ring(qtbot, shown.first, shown.everything, scheme)
    assert not problems, "\n".join(problems)


def test_a_widget_that_draws_its_own_focus_gets_no_ring(
    qtbot, window: MainWindow, scheme: str
) -> None:
    window.show_section("contacts")
    contacts = window.view("contacts")
    focus_ring.skip(contacts.table)
    _focus(qtbot, contacts.table)
    edge = QRect(0, 0, contacts.table.width(), focus_ring.WIDTH)
    assert _count(_photo(contacts.table), theme.colour("focus", scheme), edge) == 0
    assert check_ring(qtbot, contacts.search, contacts.table, scheme) == []  # the others do
