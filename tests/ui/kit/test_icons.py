"""At a 200% display scale the app's icons are sharp: each is drawn from an SVG source of
resources/icons at the device pixel ratio asked, never a small picture scaled up."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from PySide6.QtCore import QSize
from PySide6.QtGui import QIcon
from PySide6.QtWidgets import QApplication

from cmplanner import APP_ID, paths
from ui.kit import icons, theme
from ui.kit.icons import app_icon, themed_icon

UI = Path(__file__).resolve().parents[3] / "ui"


def _sharp_at(icon: QIcon, size: int, ratio: float) -> None:
    assert not icon.isNull()
    assert icon.availableSizes() == []  # no fixed pictures: drawn at whatever size is asked
    pixmap = icon.pixmap(QSize(size, size), ratio)
    assert pixmap.devicePixelRatio() == ratio
    assert pixmap.size() == QSize(round(size * ratio), round(size * ratio))


@pytest.mark.parametrize("ratio", [1.0, 1.5, 2.0])
def test_the_app_icon_is_drawn_from_its_svg_at_the_pixel_ratio(
    qapp: QApplication, ratio: float
) -> None:
    _sharp_at(app_icon(), 32, ratio)
    _sharp_at(app_icon(), 256, ratio)


@pytest.mark.parametrize("scheme", theme.SCHEMES)
def test_the_warning_sign_is_an_svg_in_the_scheme_s_colours(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch, scheme: str
) -> None:
    monkeypatch.setattr(theme, "_scheme", scheme)
    icon = icons.warning_icon()
    _sharp_at(icon, 16, 2.0)
    image = icon.pixmap(QSize(16, 16), 2.0).toImage()
    assert image.pixelColor(8, 26).name() == theme.value("warning_text", scheme)  # the sign
    assert image.pixelColor(16, 16).name() == theme.value("base", scheme)  # its "!"
    assert image.pixelColor(1, 1).alpha() == 0


def test_the_icons_are_svg_sources_only() -> None:
    icons = paths.resources_dir() / "icons"
    assert {p.suffix for p in icons.iterdir()} == {".svg"}
    assert (icons / f"{APP_ID}.svg").exists()
    for path in icons.glob("*.svg"):
        if path.name != f"{APP_ID}.svg":  # the app's own icon keeps its brand colours
            assert not re.search(r"#[0-9a-fA-F]{3,6}\b", path.read_text("utf-8")), path.name
    # The style's pre-rendered pictures are not used for the app's own signs.
    for source in UI.rglob("*.py"):
        assert "standardIcon(" not in source.read_text("utf-8"), source.name


def test_a_themed_icon_is_drawn_again_in_the_other_scheme(
    qapp: QApplication, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(theme, "_scheme", theme.LIGHT)
    light = themed_icon("warning").pixmap(QSize(16, 16), 2.0).toImage().pixelColor(8, 26)
    monkeypatch.setattr(theme, "_scheme", theme.DARK)
    dark = themed_icon("warning").pixmap(QSize(16, 16), 2.0).toImage().pixelColor(8, 26)
    assert light != dark
