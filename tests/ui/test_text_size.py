"""Text follows the system's font size: the style sheet's sizes are relative to the
application font (no pixel font size pinned), boxes drawn for words grow with it, and the
sheet is drawn again when the desktop's text size changes while the app runs."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from PySide6.QtGui import QFont
from PySide6.QtWidgets import QApplication

from cmplanner import paths
from ui.kit import theme
from ui.kit.sizing import ElidedLabel, font_size, scaled, text_scale


@pytest.fixture
def app_font(qapp: QApplication, monkeypatch: pytest.MonkeyPatch) -> Iterator[QFont]:
    """The application font as it starts (9 pt offscreen); back as it was afterwards."""
    for name in ("_scheme", "_sheet", "_forced"):
        monkeypatch.setattr(theme, name, getattr(theme, name))
    before = QFont(qapp.font())
    yield before
    qapp.setFont(before)
    qapp.setStyleSheet("")
    qapp.styleHints().unsetColorScheme()


def _bigger(qapp: QApplication, base: QFont, ratio: float) -> None:
    font = QFont(base)
    font.setPointSizeF(base.pointSizeF() * ratio)
    qapp.setFont(font)


def test_the_template_pins_no_pixel_font_size() -> None:
    template = (paths.resources_dir() / "styles" / "app.qss").read_text(encoding="utf-8")
    assert not re.search(r"font-size:\s*\d+px", template)
    assert "$font(22px)" in template  # the page titles, drawn at the default text size


def test_sizes_are_relative_to_the_application_font(qapp: QApplication, app_font: QFont) -> None:
    assert app_font.pointSizeF() == 9  # Qt's default, what the sizes were drawn for
    assert text_scale() == 1.0
    assert font_size(24) == "18.0pt"
    assert scaled(100) == 100
    assert theme.render_sizes("a { font-size: $font(24px); min-width: $size(16px); }") == (
        "a { font-size: 18.0pt; min-width: 16px; }"
    )
    _bigger(qapp, app_font, 1.5)
    assert text_scale() == 1.5
    assert font_size(24) == "27.0pt"
    assert scaled(100) == 150
    assert theme.render_sizes("$font(12px) $size(16px)") == "13.5pt 24px"
    _bigger(qapp, app_font, 0.8)  # smaller text: boxes keep their size, fonts follow
    assert scaled(100) == 100
    assert font_size(12) == "7.2pt"


def test_the_style_sheet_follows_a_change_of_text_size(
    qapp: QApplication, qtbot, app_font: QFont
) -> None:
    theme.apply(qapp, theme.LIGHT)
    assert "font-size: 16.5pt" in qapp.styleSheet()  # the page title: 22 px at 9 pt
    _bigger(qapp, app_font, 1.5)
    qtbot.waitUntil(lambda: "font-size: 24.8pt" in qapp.styleSheet())
    assert qapp.styleSheet() == theme.stylesheet(theme.LIGHT)


def test_a_long_path_is_shortened_in_the_middle_and_kept_whole(qtbot) -> None:
    label = ElidedLabel()
    qtbot.addWidget(label)
    path = "/home/camille/Documents/associations/quartier/2026/cm-planner/demo.cmplanner"
    label.set_whole_text(path)
    label.resize(label.sizeHint())
    label.show()
    qtbot.waitExposed(label)
    assert label.text() == path
    label.resize(label.minimumSizeHint().width() * 2, label.height())
    assert "…" in label.text()
    assert label.text().startswith("/home") and label.text().endswith(".cmplanner")
    assert label.fontMetrics().horizontalAdvance(label.text()) <= label.width()
    assert label.whole == path
