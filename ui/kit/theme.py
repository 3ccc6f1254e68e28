"""The app's colours: one place, a light and a dark value for each named role.

Every colour a widget paints, a model returns or a style sheet sets comes from here (a test
greps ui/ and resources/styles for any other). The application palette (Fusion) and the
style sheet (resources/styles/app.qss, whose colours are written `@role`) are built from the
roles of one scheme, so the app is never half light and half dark. The scheme is the
system's (QStyleHints.colorScheme, followed while running) or the one chosen in Preferences.

PAIRS lists which foreground is drawn on which background, with the WCAG 2.2 ratio it must
reach; a test checks them all in both schemes. Printed documents do not use this module:
they stay black on white (cmplanner/documents).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from PySide6.QtCore import QEvent, QObject, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor, QPalette
from PySide6.QtWidgets import QApplication, QTextBrowser, QWidget

from cmplanner import paths
from ui.kit import settings
from ui.kit.sizing import font_size, scaled

LIGHT: Final = "light"
DARK: Final = "dark"
SCHEMES = (LIGHT, DARK)
# The Appearance preference: "system" follows the desktop.
SYSTEM: Final = "system"
APPEARANCES = (SYSTEM, LIGHT, DARK)

TEXT_RATIO = 4.5  # WCAG 2.2 AA, 1.4.3: text
LARGE_RATIO = 3.0  # 1.4.3 large text (18 pt, or 14 pt bold) and 1.4.11 UI parts and graphics


@dataclass(frozen=True)
class Role:
    light: str
    dark: str


# fmt: off
ROLES: dict[str, Role] = {
    # -- the palette ---------------------------------------------------------------------------
    "window": Role("#f4f5f7", "#2a2c31"),
    "window_text": Role("#1d2330", "#e6e8ec"),
    "base": Role("#ffffff", "#1e2025"),  # lists, fields, pages
    "alternate_base": Role("#f8f9fb", "#25272d"),
    "text": Role("#1d2330", "#e6e8ec"),
    "muted_text": Role("#5f6673", "#a9afba"),  # hints, captions, placeholders
    "disabled_text": Role("#767c88", "#8a909b"),
    "button": Role("#f3f4f6", "#33363d"),
    "button_text": Role("#1d2330", "#e6e8ec"),
    "light": Role("#ffffff", "#42464f"),  # Fusion's bevels
    "midlight": Role("#e3e5e9", "#383b42"),
    "mid": Role("#8e949f", "#6c727d"),  # grid lines, control outlines (3:1 on the page)
    "dark": Role("#a3a8b1", "#17181c"),
    "shadow": Role("#767676", "#0e0f12"),
    "border": Role("#e5e7eb", "#3a3e46"),  # frames around lists and cards (decoration)
    "tooltip": Role("#ffffdc", "#33363d"),
    "tooltip_text": Role("#1d2330", "#e6e8ec"),
    "link": Role("#0b5fa5", "#7cc0ff"),
    "accent": Role("#1f7a8c", "#6cc4d4"),  # accent text and lines on the page
    "accent_fill": Role("#1f7a8c", "#1f7a8c"),  # a selected sidebar item, today's badge
    "accent_fill_text": Role("#ffffff", "#ffffff"),
    "selection": Role("#d5ecf0", "#1c4048"),
    "selection_text": Role("#1d2330", "#eef6f8"),
    "hover": Role("#eef6f8", "#283b40"),
    "focus": Role("#1358c9", "#7fb0ff"),  # the ring around what has the keyboard focus
    # -- the sidebar, titles, tiles and cards ------------------------------------------------------
    "page": Role("#ffffff", "#1e2025"),
    "sidebar": Role("#f3f4f6", "#25272d"),
    "sidebar_text": Role("#2d3340", "#d8dbe0"),
    "sidebar_hover": Role("#e6e8ec", "#30333a"),
    "status_bar": Role("#f3f4f6", "#25272d"),
    "status_bar_text": Role("#4b5563", "#c3c8d0"),
    "tile": Role("#f7f8fa", "#25272d"),
    "card": Role("#fbfbfc", "#23252a"),
    "strong_text": Role("#374151", "#d1d5db"),
    "outline": Role("#7d838e", "#7b818c"),  # UI parts: the "?" button's ring, a menu's edge
    # -- states ------------------------------------------------------------------------------
    "danger_text": Role("#b42318", "#ff9d94"),
    "danger_bg": Role("#fdf1f0", "#3b2222"),
    "danger_border": Role("#d0564b", "#b25a52"),
    "ok_text": Role("#1a7f37", "#7fd893"),
    "warning_text": Role("#92400e", "#f3c07a"),
    "banner_bg": Role("#fff4e5", "#3a301c"),
    "banner_border": Role("#a87614", "#9a7a36"),
    "banner_text": Role("#6b4200", "#f6dca8"),
    "overdue_text": Role("#b3261e", "#ff9d94"),
    "overdue_bg": Role("#fdecea", "#3d2323"),
    "present_text": Role("#1b6e2e", "#8fe0a4"),  # the check-in screen: arrived
    "present_bg": Role("#e6f4ea", "#1e3325"),
    # -- the home screen -----------------------------------------------------------------------
    "vitality_green": Role("#2e7d32", "#74c77a"),
    "vitality_amber": Role("#9a5b00", "#f0b45a"),
    "vitality_red": Role("#b42318", "#ff8f85"),
    "vitality_unknown": Role("#6b7280", "#9aa1ac"),
    "chart_text": Role("#4b5563", "#c3c8d0"),
    "chart_grid": Role("#d8dbe0", "#3f434b"),
    "chart_series": Role("#1f7a8c", "#5fb8c9"),  # attended, in person, new members
    "chart_pale": Role("#b9dde4", "#2c5761"),  # expected (drawn with a chart_series outline)
    "chart_online": Role("#c9ced6", "#4d525c"),  # online (drawn with a chart_outline)
    "chart_outline": Role("#6b7280", "#9aa1ac"),
    "chart_target": Role("#b42318", "#ff8f85"),
    "chip": Role("#e8f3f5", "#23393e"),  # the drifting list's action buttons
    "chip_text": Role("#155d6b", "#8fd6e3"),
    # -- the calendar --------------------------------------------------------------------------
    "today_tint": Role("#eef6f8", "#22313a"),  # today's column
    "drop_target": Role("#cfe5ea", "#244a53"),  # the day an event is dragged over
    "now_line": Role("#dc2626", "#ff6b6b"),
    "calendar_choice": Role("#0b3d91", "#b8e2ff"),  # the event (and day) chosen from the keyboard
    "block_text": Role("#1f1f24", "#f2f3f5"),  # on a community or status fill
    "cancelled_fill": Role("#f1f1f3", "#2c2d32"),
    "cancelled_text": Role("#5e5e66", "#a6a6b0"),
    "no_community": Role("#e4e4e7", "#3a3b41"),
    "status_idea": Role("#ece6fb", "#3d3358"),
    "status_planned": Role("#dbe8fd", "#26395a"),
    "status_confirmed": Role("#d5f2dd", "#1f4a2c"),
    "status_done": Role("#e6e6ea", "#3a3a42"),
    # -- the PDF preview's surroundings (the pages stay white) ---------------------------------
    "pdf_surround": Role("#6b6b6b", "#141518"),
}

# One fill per community, in the order communities were created: twelve soft colours, each at
# least 23 (CIE76 ΔE) from every other, from the grey of "no community" and from the cancelled
# fill; light enough for the calendar's dark text (7.5:1 or more) in the light scheme. The
# dark scheme uses deep shades of the same hues under light text (5:1 or more), as far apart
# (at least 25). A 13th community starts the list again. Ordered so that the first few are
# the easiest to tell apart.
COMMUNITY = (
    Role("#80c8f8", "#266b99"),  # sky blue
    Role("#f8c880", "#7a6412"),  # amber
    Role("#f898b8", "#8a1527"),  # pink
    Role("#80f0c8", "#0b4c35"),  # mint
    Role("#b0a8f8", "#373c7a"),  # violet
    Role("#c0e898", "#5c6b3b"),  # lime
    Role("#f8a080", "#4c110b"),  # apricot
    Role("#90f0f8", "#12727a"),  # aqua
    Role("#f8c8f8", "#8a4599"),  # orchid
    Role("#d0c8a0", "#4c3913"),  # khaki
    Role("#90c0a8", "#106b2d"),  # sage
    Role("#e0b0b0", "#8a4c57"),  # rosewood
)
# fmt: on

# Roles drawn under or around content, never as the only edge of something that matters:
# bevels, frames, grid lines, the pale fills of charts (which have an outline), the grey
# around the PDF preview's white pages.
DECORATION = frozenset(
    {"light", "midlight", "dark", "shadow", "border", "chart_grid", "chart_pale"}
    | {"chart_online", "pdf_surround"}
)

# Foreground on background, and the ratio each must reach (WCAG 2.2 AA).
PAIRS: tuple[tuple[str, str, float], ...] = (
    *(
        (fg, bg, TEXT_RATIO)
        for fg in ("text", "muted_text", "link", "accent")
        for bg in ("base", "alternate_base", "page", "window")
    ),
    ("window_text", "window", TEXT_RATIO),
    ("button_text", "button", TEXT_RATIO),
    ("disabled_text", "base", LARGE_RATIO),  # WCAG exempts inactive controls; kept legible
    ("tooltip_text", "tooltip", TEXT_RATIO),
    ("accent_fill_text", "accent_fill", TEXT_RATIO),
    ("selection_text", "selection", TEXT_RATIO),
    ("text", "hover", TEXT_RATIO),
    ("mid", "base", LARGE_RATIO),
    # The focus ring (1.4.11, 2.4.13): on every surface a focused control sits on or in, a
    # selected row's included (on the accent fill, the ring takes accent_fill_text).
    *(
        ("focus", bg, LARGE_RATIO)
        for bg in (
            *("window", "base", "alternate_base", "page", "button", "card", "tile"),
            *("sidebar", "selection", "hover", "status_bar", "chip", "banner_bg", "today_tint"),
        )
    ),
    ("outline", "card", LARGE_RATIO),
    # A menu's edge, and a combo box's dropped list's, over the window or a list.
    *(("outline", bg, LARGE_RATIO) for bg in ("window", "base", "alternate_base")),
    ("sidebar_text", "sidebar", TEXT_RATIO),
    ("sidebar_text", "sidebar_hover", TEXT_RATIO),
    ("muted_text", "sidebar", TEXT_RATIO),
    ("status_bar_text", "status_bar", TEXT_RATIO),
    ("muted_text", "status_bar", TEXT_RATIO),
    ("accent", "status_bar", TEXT_RATIO),
    ("accent", "tile", TEXT_RATIO),
    ("muted_text", "tile", TEXT_RATIO),
    ("text", "card", TEXT_RATIO),
    ("strong_text", "card", TEXT_RATIO),
    ("muted_text", "card", TEXT_RATIO),
    ("accent", "card", TEXT_RATIO),
    ("accent", "selection", LARGE_RATIO),  # the photo's initials (30 px, bold)
    ("danger_text", "base", TEXT_RATIO),
    ("danger_text", "window", TEXT_RATIO),
    ("danger_text", "card", TEXT_RATIO),
    ("danger_text", "danger_bg", TEXT_RATIO),
    ("danger_border", "base", LARGE_RATIO),
    ("ok_text", "base", TEXT_RATIO),
    ("ok_text", "window", TEXT_RATIO),
    ("ok_text", "card", TEXT_RATIO),
    ("warning_text", "base", TEXT_RATIO),
    ("warning_text", "window", TEXT_RATIO),
    ("banner_text", "banner_bg", TEXT_RATIO),
    ("banner_border", "window", LARGE_RATIO),
    ("overdue_text", "overdue_bg", TEXT_RATIO),
    ("overdue_text", "base", TEXT_RATIO),
    # Lists alternate their rows: a coloured word is read on both.
    *((fg, "alternate_base", TEXT_RATIO) for fg in ("overdue_text", "danger_text", "warning_text")),
    ("ok_text", "alternate_base", TEXT_RATIO),
    ("present_text", "present_bg", TEXT_RATIO),
    *((f"vitality_{light}", "card", TEXT_RATIO) for light in ("green", "amber", "red", "unknown")),
    ("chart_text", "card", TEXT_RATIO),
    ("chart_text", "page", TEXT_RATIO),
    ("chart_series", "card", LARGE_RATIO),
    ("chart_series", "page", LARGE_RATIO),
    ("chart_outline", "card", LARGE_RATIO),
    ("chart_target", "card", LARGE_RATIO),
    ("chart_target", "page", LARGE_RATIO),
    ("chart_outline", "page", LARGE_RATIO),
    ("chip_text", "chip", TEXT_RATIO),
    ("text", "today_tint", TEXT_RATIO),
    ("accent", "today_tint", TEXT_RATIO),
    ("muted_text", "today_tint", TEXT_RATIO),
    ("text", "drop_target", TEXT_RATIO),
    ("text", "selection", TEXT_RATIO),  # a selected day of the month
    ("muted_text", "selection", TEXT_RATIO),
    ("link", "selection", TEXT_RATIO),
    ("cancelled_text", "base", TEXT_RATIO),
    ("cancelled_text", "alternate_base", TEXT_RATIO),
    ("now_line", "base", LARGE_RATIO),
    # The ring around the chosen event is seen against the day and the event's own fill.
    *(
        ("calendar_choice", bg, LARGE_RATIO)
        for bg in (
            *("base", "alternate_base", "selection", "today_tint", "cancelled_fill"),
            *("no_community", "status_idea", "status_planned", "status_confirmed"),
            "status_done",
            *(f"community_{n}" for n in range(len(COMMUNITY))),
        )
    ),
    ("now_line", "today_tint", LARGE_RATIO),
    ("cancelled_text", "cancelled_fill", TEXT_RATIO),
    ("block_text", "no_community", TEXT_RATIO),
    *(("block_text", f"status_{s}", TEXT_RATIO) for s in ("idea", "planned", "confirmed", "done")),
    *(("block_text", f"community_{n}", TEXT_RATIO) for n in range(len(COMMUNITY))),
)

_TOKEN = re.compile(r"@([a-z][a-z0-9_]*)")
_scheme = LIGHT  # the scheme shown now


def value(role: str, scheme: str | None = None) -> str:
    """The colour of `role` ("#rrggbb") in `scheme` (the one shown now by default)."""
    if role.startswith("community_"):
        found = COMMUNITY[int(role.removeprefix("community_")) % len(COMMUNITY)]
    else:
        found = ROLES[role]
    return found.dark if (scheme or _scheme) == DARK else found.light


def colour(role: str, scheme: str | None = None) -> QColor:
    return QColor(value(role, scheme))


def brush(role: str) -> QBrush:
    return QBrush(colour(role))


def community_colour(rank: int | None) -> QColor:
    """The fill of the community at `rank` (its place among the communities by creation, from
    0) in the scheme shown; grey for an event with no community (None)."""
    if rank is None:
        return colour("no_community")
    return colour(f"community_{rank % len(COMMUNITY)}")


def current() -> str:
    return _scheme


def edge(fill: QColor) -> QColor:
    """The edge of a calendar block of `fill`: a deeper shade of it, on the page's side of
    the scheme (darker in light, lighter in dark)."""
    return fill.lighter(160) if _scheme == DARK else fill.darker(150)


# -- contrast (WCAG 2.2) -------------------------------------------------------------------------


def relative_luminance(hex_colour: str) -> float:
    """WCAG 2.2's relative luminance of an sRGB colour "#rrggbb"."""
    channels = [int(hex_colour[i : i + 2], 16) / 255 for i in (1, 3, 5)]
    r, g, b = (c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels)
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(one: str, other: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), the lighter over the darker: 1 to 21."""
    a, b = sorted((relative_luminance(one), relative_luminance(other)), reverse=True)
    return (a + 0.05) / (b + 0.05)


# -- the palette and the style sheet --------------------------------------------------------------


def palette(scheme: str) -> QPalette:
    """The application palette of `scheme` (for Fusion), from the roles."""

    def c(role: str) -> QColor:
        return colour(role, scheme)

    pal = QPalette()
    r = QPalette.ColorRole
    for role, name in (
        (r.Window, "window"),
        (r.WindowText, "window_text"),
        (r.Base, "base"),
        (r.AlternateBase, "alternate_base"),
        (r.Text, "text"),
        (r.PlaceholderText, "muted_text"),
        (r.Button, "button"),
        (r.ButtonText, "button_text"),
        (r.BrightText, "accent_fill_text"),
        (r.Light, "light"),
        (r.Midlight, "midlight"),
        (r.Mid, "mid"),
        (r.Dark, "dark"),
        (r.Shadow, "shadow"),
        (r.Highlight, "accent_fill"),
        (r.HighlightedText, "accent_fill_text"),
        (r.Link, "link"),
        (r.LinkVisited, "link"),
        (r.ToolTipBase, "tooltip"),
        (r.ToolTipText, "tooltip_text"),
        (r.Accent, "accent_fill"),
    ):
        pal.setColor(role, c(name))
    disabled = QPalette.ColorGroup.Disabled
    for role in (r.WindowText, r.Text, r.ButtonText, r.PlaceholderText):
        pal.setColor(disabled, role, c("disabled_text"))
    pal.setColor(disabled, r.Base, c("window"))
    pal.setColor(disabled, r.Highlight, c("mid"))
    return pal


def stylesheet(scheme: str) -> str:
    """resources/styles/app.qss with each `@role` replaced by its colour in `scheme`, and its
    sizes (`$font(22px)`, `$size(16px)`) by the application font's (ui.kit.sizing)."""
    path = paths.resources_dir() / "styles" / "app.qss"
    template = path.read_text(encoding="utf-8") if path.exists() else ""
    return render(render_sizes(template), scheme)


_SIZE = re.compile(r"\$(font|size)\((\d+(?:\.\d+)?)px\)")


def render_sizes(template: str) -> str:
    """A style sheet template's sizes, drawn at the default text size, for the application
    font now: `$font(22px)` becomes a font size in points relative to it, `$size(16px)` a
    box that grows with it. The text follows the person's size; nothing is pinned."""

    def size(match: re.Match[str]) -> str:
        px = float(match.group(2))
        return font_size(px) if match.group(1) == "font" else f"{scaled(round(px))}px"

    return _SIZE.sub(size, template)


def render(template: str, scheme: str) -> str:
    """A style sheet template's `@role` tokens replaced by their colours (KeyError: no such
    role)."""
    return _TOKEN.sub(lambda m: value(m.group(1), scheme), template)


# -- which scheme, and following it ----------------------------------------------------------------


def saved_appearance() -> str:
    saved = str(settings.app_settings().value(settings.APPEARANCE, SYSTEM) or SYSTEM)
    return saved if saved in APPEARANCES else SYSTEM


def system_scheme(app: QApplication) -> str:
    """The desktop's scheme; light when the platform does not say."""
    return DARK if app.styleHints().colorScheme() == Qt.ColorScheme.Dark else LIGHT


class _Notifier(QObject):
    """`changed(scheme)` once the palette and the style sheet of a scheme are in place:
    widgets that set colours themselves (charts) take the new ones."""

    changed = Signal(str)


_notifier: _Notifier | None = None
_sheet = ""  # the style sheet set last: the app still shows ours while it is the app's
_following = False
_forced: str | None = None  # the scheme asked of the platform (a chosen, not the system's)


def notifier() -> _Notifier:
    global _notifier
    if _notifier is None:
        _notifier = _Notifier()
    return _notifier


def apply(app: QApplication, appearance: str | None = None) -> str:
    """Show the app in `appearance` ("system", "light", "dark"; the saved one by default):
    Fusion, the scheme's palette and style sheet; returns the scheme shown. With "system" the
    app follows the desktop's changes while it runs."""
    global _scheme, _sheet, _following, _forced
    appearance = appearance or saved_appearance()
    hints = app.styleHints()
    # Native dialogs and the title bar follow the chosen scheme too.
    if appearance == SYSTEM:
        if _forced is not None:
            hints.unsetColorScheme()
        _forced = None
        scheme = system_scheme(app)
    else:
        scheme = appearance
        _forced = scheme
        hints.setColorScheme(Qt.ColorScheme.Dark if scheme == DARK else Qt.ColorScheme.Light)
    _scheme = scheme
    if app.style().name().casefold() not in ("fusion", ""):  # "": under our style sheet
        app.setStyle("Fusion")
    app.setPalette(palette(scheme))
    _sheet = stylesheet(scheme)
    app.setStyleSheet(_sheet)
    if not _following:
        hints.colorSchemeChanged.connect(lambda _s: _system_changed(app))
        app.installEventFilter(_font_follower())
        _following = True
    notifier().changed.emit(scheme)
    return scheme


def _system_changed(app: QApplication) -> None:
    """The desktop changed its scheme: follow it when the app shows ours and the preference
    is "system" (a scheme chosen in Preferences stays)."""
    if not _sheet or app.styleSheet() != _sheet or _forced is not None:
        return
    if saved_appearance() != SYSTEM:
        return
    if system_scheme(app) != _scheme:
        apply(app, SYSTEM)


class _FontFollower(QObject):
    """The application font changed (the desktop's text size): the style sheet's sizes are
    rendered again from it, in the scheme shown."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if event.type() == QEvent.Type.ApplicationFontChange and isinstance(watched, QApplication):
            QTimer.singleShot(0, lambda: _font_changed(watched))
        return False


_follower: _FontFollower | None = None


def _font_follower() -> _FontFollower:
    global _follower
    if _follower is None:
        _follower = _FontFollower()
    return _follower


def _font_changed(app: QApplication) -> None:
    """Render the style sheet for the new font when the app still shows ours."""
    global _sheet
    if not _sheet or app.styleSheet() != _sheet:
        return
    sheet = stylesheet(_scheme)
    if sheet != _sheet:
        _sheet = sheet
        app.setStyleSheet(sheet)


# Rich text (reports) names its colours by class: <p class='bad'>.
HTML_CLASSES = {"bad": "danger_text", "warn": "warning_text", "ok": "ok_text"}


class _HtmlFollower(QObject):
    """Shows a browser's rich text again in the new scheme (a child of the browser: gone
    with it)."""

    def __init__(self, browser: QTextBrowser, html: str) -> None:
        super().__init__(browser)
        self.setObjectName("themedHtml")
        self.browser = browser
        self.html = html
        notifier().changed.connect(self.render)

    def render(self, _scheme: str = "") -> None:
        styles = " ".join(
            f".{name} {{ color: {value(role)}; }}" for name, role in HTML_CLASSES.items()
        )
        self.browser.document().setDefaultStyleSheet(styles)
        self.browser.setHtml(self.html)


def show_html(browser: QTextBrowser, html: str) -> None:
    """Show `html` (colours by class: bad, warn, ok) in the scheme's colours, now and when
    the scheme changes."""
    follower = browser.findChild(_HtmlFollower, "themedHtml")
    if follower is None:
        follower = _HtmlFollower(browser, html)
    follower.html = html
    follower.render()


def repolish(widget: QWidget) -> None:
    """Re-read the style sheet after a dynamic property the sheet selects on changed."""
    style = widget.style()
    style.unpolish(widget)
    style.polish(widget)
    widget.update()


def set_tone(widget: QWidget, tone: str) -> None:
    """Colour `widget`'s text through the style sheet's `[tone="…"]` rules ("ok", "bad",
    "warn", "muted", "" for none): the colour follows the scheme."""
    if widget.property("tone") != tone:
        widget.setProperty("tone", tone)
        repolish(widget)
