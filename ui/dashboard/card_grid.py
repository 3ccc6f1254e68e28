"""The communities' section of the home screen and its cards: two side by side when both
fit the page's width, else one per line (the page never scrolls sideways); a recompute keeps
each card and updates it in place. Widgets dropped are deleted one per event-loop turn."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from PySide6.QtCore import QEvent, QObject, QTimer
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QScrollArea,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import _
from ui.dashboard.tables import title

CARD_COLUMNS = 2


class Discarder(QObject):
    """Hide now, delete later, one per event-loop turn (deleting thirty cards with their
    charts at once would stall the window)."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.doomed: list[QWidget] = []  # hidden, deleted one per event-loop turn
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(0)
        self._timer.timeout.connect(self._reap)

    def discard(self, widget: QWidget) -> None:
        widget.hide()
        self.doomed.append(widget)
        self._timer.start()

    def _reap(self) -> None:
        if self.doomed:
            self.doomed.pop().deleteLater()
        if self.doomed:
            self._timer.start()


class CardGrid(QObject):
    def __init__(
        self,
        content: QWidget,
        scroll_area: QScrollArea,
        page_layout: QVBoxLayout,
        discard: Callable[[QWidget], None],
        fix: Callable[[int, str], None],
        open_community: Callable[[int], None],
    ) -> None:
        super().__init__(content)
        self.content = content
        self.scroll_area = scroll_area
        self.page_layout = page_layout
        self.discard = discard
        self.cards: list[Any] = []  # in the order of the communities shown
        self.columns = CARD_COLUMNS
        self.grid: QGridLayout | None = None  # made with the lower page
        self.fix = fix  # what a card's buttons ask: the view's actions
        self.open_community = open_community
        scroll_area.viewport().installEventFilter(self)

    def build_section(
        self,
        page: QVBoxLayout,
        parent: QWidget,
        show_help: Callable[[], None],
        new_community: Callable[[], None],
    ) -> None:
        """The title with its help button, the grid, and what shows when there is no
        community yet."""
        communities_title = QHBoxLayout()
        communities_title.addWidget(title(_("Communities"), parent))
        self.help_button = QToolButton(parent)
        self.help_button.setObjectName("vitalityHelp")
        self.help_button.setText("?")
        self.help_button.setToolTip(_("How vitality is computed"))
        self.help_button.setAccessibleName(_("How vitality is computed"))
        self.help_button.clicked.connect(show_help)
        communities_title.addWidget(self.help_button)
        communities_title.addStretch(1)
        page.addLayout(communities_title)
        grid = self.grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setVerticalSpacing(14)
        self._set_columns(self.columns)
        page.addLayout(grid)
        self.empty = QWidget(parent)
        empty_row = QHBoxLayout(self.empty)
        empty_row.setContentsMargins(0, 0, 0, 0)
        self.empty_label = QLabel(
            _("No community yet. A community gets its card here: vitality, pace, attendance.")
        )
        self.empty_label.setObjectName("emptyState")
        self.empty_label.setWordWrap(True)
        self.new_button = QPushButton(_("Create a community…"), self.empty)
        self.new_button.setObjectName("newCommunity")
        self.new_button.clicked.connect(new_community)
        empty_row.addWidget(self.empty_label, 1)
        empty_row.addWidget(self.new_button)
        self.empty.hide()
        page.addWidget(self.empty)

    def arrange(self, ids: Sequence[int]) -> None:
        """The communities shown changed (one added, removed or renamed): the cards kept
        move to their new places, in one go; those of communities gone are dropped; the
        places of new ones stay empty until `show_card` builds them."""
        assert self.grid is not None
        place = {community_id: i for i, community_id in enumerate(ids)}
        kept = []
        for card in self.cards:
            self.grid.removeWidget(card)
            if card.community.community_id in place:
                kept.append(card)
            else:
                self.discard(card)
        kept.sort(key=lambda card: place[card.community.community_id])
        for card in kept:
            row, column = divmod(place[card.community.community_id], self.columns)
            self.grid.addWidget(card, row, column)
        self.cards = kept

    def show_card(self, index: int, community: Any, charts: Any) -> None:
        """The card of `community` shows its figures: updated in place when it is there,
        else built in its place."""
        assert self.grid is not None
        for card in self.cards:
            if card.community.community_id == community.community_id:
                card.set_community(community)
                return
        from ui.dashboard.cards import CommunityCard  # with the charts: after the first paint

        card = CommunityCard(community, charts, self.content)
        card.fix.connect(self.fix)
        card.openCommunity.connect(self.open_community)
        row, column = divmod(index, self.columns)
        self.grid.addWidget(card, row, column)
        # Shown now, not on the layout's queued call: the page is then laid out once with
        # the card, not once without it and once more with it.
        card.show()
        self.cards.insert(index, card)
        self.reflow()

    def clear(self) -> None:
        if self.grid is not None:
            for card in self.cards:
                self.grid.removeWidget(card)
                self.discard(card)
        self.cards = []

    def _fitting_columns(self) -> int:
        """Two cards side by side when both fit the page's width, else one per line: the
        page never scrolls sideways (a laptop's screen, a window half as wide)."""
        assert self.grid is not None
        widest = max((card.minimumSizeHint().width() for card in self.cards), default=0)
        margins = self.page_layout.contentsMargins()
        room = self.scroll_area.viewport().width() - margins.left() - margins.right()
        spacing = self.grid.horizontalSpacing()
        return CARD_COLUMNS if room >= CARD_COLUMNS * widest + spacing else 1

    def _set_columns(self, columns: int) -> None:
        assert self.grid is not None
        self.columns = columns
        for column in range(CARD_COLUMNS):
            self.grid.setColumnStretch(column, 1 if column < columns else 0)

    def reflow(self) -> None:
        if self.grid is None:
            return
        columns = self._fitting_columns()
        if columns == self.columns:
            return
        for card in self.cards:
            self.grid.removeWidget(card)
        self._set_columns(columns)
        for index, card in enumerate(self.cards):
            self.grid.addWidget(card, *divmod(index, columns))

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        if watched is self.scroll_area.viewport() and event.type() == QEvent.Type.Resize:
            self.reflow()
        return super().eventFilter(watched, event)
