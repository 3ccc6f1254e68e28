"""Inviting a whole group from the Guests tab: a community (or its members in one role),
everyone with a tag, or an organization's people."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QMenu,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from cmplanner.i18n import _
from cmplanner.model.enums import MemberRole
from cmplanner.services import guests as guest_service
from cmplanner.services import vocabulary as vocabulary_service
from cmplanner.storage import Database
from ui.kit.jobs import run_in_background

# Who "Invite a group…" can add.
COMMUNITY, TAG, ORGANIZATION = "community", "tag", "organization"


class GroupDialog(QDialog):
    """Choose a community (and optionally one member role), a tag or an organization."""

    def __init__(
        self,
        kind: str,
        choices: Sequence[vocabulary_service.Choice],
        parent: QWidget,
        first: int | None = None,
    ) -> None:
        """`first`: the choice proposed first and preselected (the event's own community)."""
        super().__init__(parent)
        self.setObjectName("inviteGroup")
        choices = sorted(choices, key=lambda c: c.id != first)  # stable: the rest keep order
        self.kind = kind
        titles = {
            COMMUNITY: _("Invite a Community"),
            TAG: _("Invite Everyone with a Tag"),
            ORGANIZATION: _("Invite an Organization's People"),
        }
        labels = {COMMUNITY: _("Community:"), TAG: _("Tag:"), ORGANIZATION: _("Organization:")}
        self.setWindowTitle(titles[kind])
        self.choice = QComboBox(self)
        self.choice.setObjectName("groupChoice")
        for c in choices:
            self.choice.addItem(c.name, c.id)
        self.role = QComboBox(self)
        self.role.setObjectName("groupRole")
        self.role.addItem(_("Every member"), None)
        for r in MemberRole:
            self.role.addItem(r.label, r.value)
        form = QFormLayout()
        form.addRow(labels[kind], self.choice)
        if kind == COMMUNITY:
            form.addRow(_("Members in the role:"), self.role)
        else:
            self.role.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        ok = buttons.button(QDialogButtonBox.StandardButton.Ok)
        ok.setText(_("Invite"))
        ok.setEnabled(bool(choices))
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        if not choices:
            empty = QLabel(_("There is nothing to choose yet."), self)
            layout.addWidget(empty)
        layout.addWidget(buttons)

    def chosen(self) -> tuple[int, str | None]:
        return int(self.choice.currentData()), self.role.currentData()


def _people(db: Database, kind: str, ident: int, role: str | None) -> list[int]:
    if kind == COMMUNITY:
        return guest_service.people_of_community(db, ident, role)
    if kind == TAG:
        return guest_service.people_with_tag(db, ident)
    return guest_service.people_of_organization(db, ident)


def _choices(db: Database, kind: str) -> tuple[vocabulary_service.Choice, ...]:
    if kind == COMMUNITY:
        return vocabulary_service.communities(db)
    if kind == TAG:
        return vocabulary_service.tags(db)
    return vocabulary_service.organizations(db)


def _group_choices(
    db: Database, kind: str, event_id: int | None
) -> tuple[tuple[vocabulary_service.Choice, ...], int | None]:
    """The choices, and the saved event's community (None when not asked or none)."""
    community = guest_service.event_community(db, event_id) if event_id is not None else None
    return _choices(db, kind), community


class GroupInvite(QObject):
    """The "Invite a Group" button and what it asks; `people` gives the ids to invite."""

    people = Signal(list)

    def __init__(
        self,
        db: Database,
        event_id: int | None,
        panel: QWidget,
        feedback: QLabel,
    ) -> None:
        super().__init__(panel)
        self.db, self.event_id, self._feedback = db, event_id, feedback
        # The event's community as the editor has it now (else the saved event's is read).
        self.community_of: Callable[[], int | None] | None = None
        self.group_dialog: GroupDialog | None = None
        self.group_button = QPushButton(_("Invite a &Group"), panel)
        self.group_button.setObjectName("inviteGroupButton")
        self.group_button.setAutoDefault(False)
        group_menu = QMenu(self.group_button)
        for kind, text in (
            (COMMUNITY, _("A &Community…")),
            (TAG, _("Everyone with a &Tag…")),
            (ORGANIZATION, _("An &Organization's People…")),
        ):
            action = group_menu.addAction(text)
            action.triggered.connect(lambda _checked=False, k=kind: self.choose_group(k))
        self.group_button.setMenu(group_menu)

    def choose_group(self, kind: str) -> None:
        """Ask which community, tag or organization, then invite its people. For a
        community, the event's own is proposed first."""
        community_of = self.community_of
        community = community_of() if community_of is not None else None
        run_in_background(
            _group_choices,
            self.db,
            kind,
            self.event_id if community_of is None else None,
            on_success=lambda found: self._ask_group(kind, found[0], community or found[1]),
        )

    def _ask_group(
        self, kind: str, found: Sequence[vocabulary_service.Choice], first: int | None = None
    ) -> None:
        panel = self.parent()
        assert isinstance(panel, QWidget)
        dialog = GroupDialog(kind, found, panel, first if kind == COMMUNITY else None)
        self.group_dialog = dialog
        dialog.accepted.connect(lambda: self.invite_group(kind, *dialog.chosen()))
        dialog.open()

    def invite_group(self, kind: str, ident: int, role: str | None = None) -> None:
        run_in_background(
            _people,
            self.db,
            kind,
            ident,
            role,
            on_success=lambda ids: self._invite_people(kind, ids),
        )

    def _invite_people(self, kind: str, ids: list[int]) -> None:
        if ids:
            self.people.emit(ids)
            return
        self._feedback.setText(
            {
                COMMUNITY: _("Nobody to invite: the community has no members (in that role)."),
                TAG: _("Nobody to invite: no contact has that tag."),
                ORGANIZATION: _("Nobody to invite: the organization has no people yet."),
            }[kind]
        )
