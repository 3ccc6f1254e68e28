"""The window's size, place and section, kept between runs."""

from __future__ import annotations

from PySide6.QtCore import QByteArray
from PySide6.QtWidgets import QMainWindow

from ui.kit import settings
from ui.kit.sizing import keep_on_screen


def restore(window: QMainWindow) -> None:
    store = settings.app_settings()
    geometry = store.value(settings.GEOMETRY)
    if isinstance(geometry, QByteArray | bytes):
        window.restoreGeometry(QByteArray(geometry))
    # Saved on a bigger monitor, or on one unplugged since: back inside a screen there is.
    keep_on_screen(window)
    state = store.value(settings.STATE)
    if isinstance(state, QByteArray | bytes):
        window.restoreState(QByteArray(state))


def save(window: QMainWindow, section: str) -> None:
    store = settings.app_settings()
    store.setValue(settings.GEOMETRY, window.saveGeometry())
    store.setValue(settings.STATE, window.saveState())
    store.setValue(settings.SECTION, section)
