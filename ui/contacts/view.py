"""Contacts: the people of the communities. Search, filters, the editor, undoable deletes,
merges, tags and memberships, and a side panel to drop contacts on a community or a tag."""

from __future__ import annotations

from typing import Any

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QInputDialog,
    QLabel,
    QListView,
    QMenu,
    QPushButton,
    QSpinBox,
    QSplitter,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from cmplanner.bus import Changes
from cmplanner.formats import month_names
from cmplanner.i18n import _, current_language, ngettext
from cmplanner.model.enums import MemberRole, OrganizationKind
from cmplanner.services import vocabulary as vocabulary_service
from cmplanner.services.vocabulary import Vocabulary
from ui.communities.commands import AddMembers
from ui.communities.editor import AddToCommunityDialog
from ui.contacts import commands
from ui.contacts.duplicates import DuplicatesDialog, MergeDialog
from ui.contacts.editor import ContactEditor, load_editor_input
from ui.contacts.files import export_contacts
from ui.contacts.privacy import erase_person, export_person
from ui.kit.choice_combo import FilterCombo
from ui.kit.display import format_int
from ui.kit.flow_layout import FlowLayout, side_by_side
from ui.kit.jobs import run_in_background
from ui.kit.listing_view import ListingView
from ui.kit.models import CONTACT_IDS_MIME, DropTarget, DropTargetModel
from ui.kit.named_records import add_record_actions, manage
from ui.kit.sizing import remember_splitter, scaled

EMPTY_VOCABULARY = Vocabulary((), (), (), ())


def _combo(parent: QWidget, name: str, any_text: str, label: str, description: str) -> QComboBox:
    """A filter: its first choice is "any"; a screen reader says what it filters on."""
    combo = FilterCombo(parent)
    combo.setObjectName(name)
    combo.setAccessibleName(label)
    combo.setAccessibleDescription(description)
    combo.addItem(any_text, None)
    return combo


def _refill(combo: QComboBox, items: list[tuple[str, Any]]) -> None:
    """Replace a filter combo's choices, keeping the chosen one when it still exists."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    while combo.count() > 1:
        combo.removeItem(1)
    for text, data in items:
        combo.addItem(text, data)
    combo.setCurrentIndex(max(0, combo.findData(chosen)) if chosen is not None else 0)
    combo.blockSignals(False)


class FilterBar(QWidget):
    """Tag, community and role, kind of organization, city, birthdays in a month, not seen
    for N days."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("filterBar")
        self.tag = _combo(
            self, "tagFilter", _("Any tag"), _("Tag"), _("Show only the contacts with this tag")
        )
        self.community = _combo(
            self,
            "communityFilter",
            _("Any community"),
            _("Community"),
            _("Show only the members of this community"),
        )
        self.role = _combo(
            self,
            "roleFilter",
            _("Any role"),
            _("Role"),
            _("Show only the contacts with this role in a community"),
        )
        for role in MemberRole:
            self.role.addItem(role.label, role.value)
        self.kind = _combo(
            self,
            "kindFilter",
            _("Any organization"),
            _("Kind of organization"),
            _("Show only the contacts of this kind of organization"),
        )
        for kind in OrganizationKind:
            self.kind.addItem(kind.label, kind.value)
        self.city = _combo(
            self, "cityFilter", _("Any city"), _("City"), _("Show only the contacts in this city")
        )
        self.birthday = _combo(
            self,
            "birthdayFilter",
            _("Any birthday"),
            _("Birthday"),
            _("Show only the contacts whose birthday falls in this month"),
        )
        self.birthday.addItem(_("Birthdays this month"), "this")
        for month, name in enumerate(month_names(current_language()), start=1):
            self.birthday.addItem(_("Birthdays in {month}").format(month=name), month)
        # Narrow (the bar must fit a laptop screen); the whole choice shows as its tooltip.
        self.birthday.setMinimumContentsLength(6)
        self.birthday.currentTextChanged.connect(self.birthday.setToolTip)
        self.birthday.setToolTip(self.birthday.currentText())
        self.not_seen = QCheckBox(_("Not seen for"), self)
        self.not_seen.setObjectName("notSeenFilter")
        self.days = QSpinBox(self)
        self.days.setObjectName("notSeenDays")
        self.days.setRange(1, 3650)
        self.days.setValue(90)
        self.days.setSuffix(_(" days"))
        self.days.setAccessibleName(_("Days not seen"))
        self.days.setAccessibleDescription(
            _("With “Not seen for” ticked: only the contacts not met for this many days")
        )
        self.days.setEnabled(False)
        self.clear = QPushButton(_("Clear"), self)
        self.clear.setObjectName("clearFilters")
        self.clear.setToolTip(_("Show every contact again"))
        self.clear.setEnabled(False)

        # Wraps onto a second line in a narrow window (a laptop's screen).
        layout = FlowLayout(self)
        for widget in (self.tag, self.community, self.role, self.kind, self.city, self.birthday):
            layout.addWidget(widget)
        layout.addWidget(side_by_side(self, self.not_seen, self.days))
        layout.addWidget(self.clear)

        for combo in (self.tag, self.community, self.role, self.kind, self.city, self.birthday):
            combo.currentIndexChanged.connect(self._on_changed)
        self.not_seen.toggled.connect(self.days.setEnabled)
        self.not_seen.toggled.connect(self._on_changed)
        self.days.valueChanged.connect(self._on_days_changed)
        self.clear.clicked.connect(self.reset)

    def set_vocabulary(self, vocabulary: Vocabulary) -> None:
        _refill(self.tag, [(t.name, t.name) for t in vocabulary.tags])
        _refill(self.community, [(c.name, c.id) for c in vocabulary.communities])
        _refill(self.city, [(city, city) for city in vocabulary.cities])

    def values(self) -> dict[str, Any]:
        return {
            "tag": self.tag.currentData(),
            "community": self.community.currentData(),
            "role": self.role.currentData(),
            "organization_kind": self.kind.currentData(),
            "city": self.city.currentData(),
            "birthday_month": self.birthday.currentData(),
            "not_seen_days": self.days.value() if self.not_seen.isChecked() else None,
        }

    def reset(self) -> None:
        combos = (self.tag, self.community, self.role, self.kind, self.city, self.birthday)
        for widget in (*combos, self.not_seen):
            widget.blockSignals(True)
        for combo in combos:
            combo.setCurrentIndex(0)
        self.not_seen.setChecked(False)
        self.days.setEnabled(False)
        for widget in (*combos, self.not_seen):
            widget.blockSignals(False)
        self._on_changed()

    def _on_days_changed(self, _value: int) -> None:
        if self.not_seen.isChecked():
            self._on_changed()

    def _on_changed(self, *_args: Any) -> None:
        self.clear.setEnabled(any(v not in (None, "") for v in self.values().values()))
        self.changed.emit()


class _ListWide(QStyledItemDelegate):
    """Items as wide as their list, not as their name: a long community name ends with "…"
    (whole in its tooltip) instead of making the narrow list scroll sideways."""

    def sizeHint(self, option: QStyleOptionViewItem, index: Any) -> QSize:
        return QSize(1, super().sizeHint(option, index).height())


class DropPanel(QWidget):
    """Communities and tags as drop targets for dragged contacts."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("dropPanel")
        self.setMinimumWidth(scaled(140))
        self.setMaximumWidth(scaled(320))
        self.communities = DropTargetModel(self)
        self.tags = DropTargetModel(self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        hint = QLabel(_("Drag contacts onto a community or a tag."), self)
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        layout.addWidget(hint)
        self.community_list = self._section(layout, _("Communities"), self.communities, 3)
        self.tag_list = self._section(layout, _("Tags"), self.tags, 2)

    def _section(
        self, layout: QVBoxLayout, title: str, model: DropTargetModel, stretch: int
    ) -> QListView:
        label = QLabel(title, self)
        label.setObjectName("sectionTitle")
        layout.addSpacing(6)
        layout.addWidget(label)
        view = QListView(self)
        view.setAccessibleName(title)
        view.setAccessibleDescription(_("Drop the selected contacts on one to add them to it."))
        view.setModel(model)
        view.setAcceptDrops(True)
        view.setDragDropMode(QAbstractItemView.DragDropMode.DropOnly)
        view.setDefaultDropAction(Qt.DropAction.CopyAction)
        view.setDropIndicatorShown(True)
        view.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        view.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        view.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        view.setItemDelegate(_ListWide(view))
        layout.addWidget(view, stretch)
        return view

    def set_vocabulary(self, vocabulary: Vocabulary) -> None:
        self.communities.set_targets(
            [DropTarget("community", c.id, c.name) for c in vocabulary.communities]
        )
        self.tags.set_targets([DropTarget("tag", t.id, t.name) for t in vocabulary.tags])


class ContactsView(ListingView):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(
            "contacts",
            kind="contacts",
            placeholder=_("Search contacts by name, e-mail, phone, organization, city or notes…"),
            title=_("Contacts"),
            empty_text=_("No contacts yet."),
            no_match_text=_("No contact matches “{text}”."),
            sort_key="name",  # by family name
            widths={
                "name": 200,
                "given_name": 100,
                "family_name": 115,
                "phone": 142,  # "+33 6 59 73 79 71" whole
                "organization": 140,
                "city": 100,
                "last_seen": 125,
            },
            stretch="email",
            # The whole name, as it is written (王小明, "Nagy János"), first; its parts can
            # be shown from the header's menu.
            hidden=("given_name", "family_name"),
            mime_type=CONTACT_IDS_MIME,
            parent=parent,
        )
        header = self.table.horizontalHeader()
        header.moveSection(header.visualIndex(self.listing.column_keys().index("name")), 0)
        self.vocabulary = EMPTY_VOCABULARY
        self._create_actions()

        self.new_button = QPushButton(_("New contact"), self)
        self.new_button.setObjectName("newContact")
        self.new_button.clicked.connect(lambda: self.open_contact(None))
        self.duplicates_button = QPushButton(_("Find duplicates…"), self)
        self.duplicates_button.clicked.connect(self.find_duplicates)
        self.top_bar.addWidget(self.duplicates_button)
        self.top_bar.addWidget(self.new_button)

        self.filter_bar = FilterBar(self)
        self.filter_bar.changed.connect(self._on_filters_changed)
        self.main_layout.insertWidget(1, self.filter_bar)

        self.drop_panel = DropPanel(self)
        self.drop_panel.communities.dropped.connect(self.drop_on)
        self.drop_panel.tags.dropped.connect(self.drop_on)
        for panel_list in (self.drop_panel.community_list, self.drop_panel.tag_list):
            panel_list.setContextMenuPolicy(Qt.ContextMenuPolicy.CustomContextMenu)
            panel_list.customContextMenuRequested.connect(
                lambda pos, panel_list=panel_list: self._drop_panel_menu(panel_list, pos)
            )
        # The panel can be dragged narrower or closed for a wider table.
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.setChildrenCollapsible(True)
        self.body.removeWidget(self.pages)
        self.splitter.addWidget(self.pages)
        self.splitter.addWidget(self.drop_panel)
        self.splitter.setStretchFactor(0, 1)
        self.splitter.setStretchFactor(1, 0)
        self.splitter.setSizes([1000, 180])
        remember_splitter(self.splitter, "contacts/splitter")
        self.body.addWidget(self.splitter, 1)

        self.table.selectionModel().selectionChanged.connect(self._update_actions)
        self.model.modelReset.connect(self._update_actions)
        self._update_actions()

    # -- actions ----------------------------------------------------------------------------

    def _create_actions(self) -> None:
        self.commands: dict[str, QAction] = {}

        def add(key: str, text: str, slot: Any) -> QAction:
            action = QAction(text, self)
            action.triggered.connect(lambda _checked=False: slot())
            self.commands[key] = action
            return action

        self.open_action.setText(_("&Edit…"))
        self.commands["edit"] = self.open_action
        self.commands["delete"] = self.delete_action
        add("new", _("&New contact…"), lambda: self.open_contact(None))
        add("merge", _("&Merge the two selected…"), self.merge_selected)
        add("tag", _("Add a &tag…"), self.tag_selected)
        add("community", _("Add to a &community…"), self.add_selected_to_community)
        add("export", _("E&xport selected…"), self.export_selected)
        add("export_person", _("Export this person's &data…"), self.export_person)
        add("erase", _("E&rase this person…"), self.erase_person)
        add("duplicates", _("&Find duplicates…"), self.find_duplicates)

    def _update_actions(self, *_args: Any) -> None:
        n = len(self.selected_ids())
        self.commands["edit"].setEnabled(n == 1)
        self.commands["delete"].setEnabled(n >= 1)
        self.commands["merge"].setEnabled(n == 2)
        for key in ("tag", "community", "export"):
            self.commands[key].setEnabled(n >= 1)
        for key in ("export_person", "erase"):
            self.commands[key].setEnabled(n == 1)

    def fill_row_menu(self, menu: QMenu, ids: list[int]) -> None:
        self._update_actions()
        if not ids:
            menu.addAction(self.commands["new"])
            return
        for key in ("edit", "delete", None, "merge", "tag", "community", None, "export"):
            if key is None:
                menu.addSeparator()
            else:
                menu.addAction(self.commands[key])
        menu.addSeparator()
        privacy = menu.addMenu(_("&Privacy"))
        privacy.addAction(self.commands["export_person"])
        privacy.addAction(self.commands["erase"])

    # -- database, filters, vocabulary ------------------------------------------------------

    def refresh(self) -> None:
        super().refresh()
        self.load_vocabulary()

    def load_vocabulary(self) -> None:
        if self.db is None:
            return
        run_in_background(vocabulary_service.vocabulary, self.db, on_success=self._apply_vocabulary)

    def _apply_vocabulary(self, vocabulary: Vocabulary) -> None:
        self.vocabulary = vocabulary
        self.filter_bar.set_vocabulary(vocabulary)
        self.drop_panel.set_vocabulary(vocabulary)
        # A filter on a tag or community that no longer exists has just been dropped.
        if self.filter_bar.values() != self.filters:
            self._on_filters_changed()

    def _on_filters_changed(self) -> None:
        self.set_filter_values(self.filter_bar.values())

    def set_filters(self, **values: Any) -> None:
        """Choose filters as the bar would (tests and the CLI's vocabulary)."""
        bar = self.filter_bar
        combos = {
            "tag": bar.tag,
            "community": bar.community,
            "role": bar.role,
            "organization_kind": bar.kind,
            "city": bar.city,
            "birthday_month": bar.birthday,
        }
        for name, value in values.items():
            if name == "not_seen_days":
                bar.not_seen.setChecked(value is not None)
                if value is not None:
                    bar.days.setValue(int(value))
            else:
                combo = combos[name]
                combo.setCurrentIndex(max(0, combo.findData(value)))

    def on_changes(self, changes: Changes) -> None:
        kinds = ("contacts", "tags", "communities", "organizations")
        if not any(changes.touches(k) for k in kinds):
            return
        if self._loaded or self.isVisible():
            self.refresh()

    # -- opening, deleting, merging ---------------------------------------------------------

    def names_of(self, ids: list[int]) -> dict[int, str]:
        """Display names of shown contacts, from the row cache."""
        positions = {rid: row for row, rid in enumerate(self.model.ids())}
        column = self.listing.column_keys().index("name")
        out = {}
        for rid in ids:
            values = self.model.row_values(positions[rid]) if rid in positions else None
            out[rid] = (values[column] if values else "") or f"#{rid}"
        return out

    def open_selected(self) -> None:
        ids = self.selected_ids()
        if not ids:
            index = self.table.currentIndex()
            if not index.isValid():
                return
            ids = [self.model.id_at(index.row())]
        self.open_contact(ids[0])

    def new_record(self) -> None:
        self.open_contact(None)

    def open_contact(self, contact_id: int | None) -> None:
        """Open the editor on a contact (None: a new one) once its card is loaded."""
        if self.db is None:
            return
        run_in_background(
            load_editor_input,
            self.db,
            contact_id,
            on_success=self._show_editor,
            label=_("Opening…"),
        )

    def _show_editor(self, editor_input: Any) -> None:
        assert self.db is not None
        self.editor = ContactEditor(self.db, editor_input, self.push, self.window())
        self.editor.open()

    def delete_selected(self) -> None:
        ids = self.selected_ids()
        if not ids or self.db is None:
            return
        names = self.names_of(ids)
        self.push(commands.DeleteContacts(self.db, ids, names[ids[0]] if len(ids) == 1 else ""))
        self._tell(
            ngettext(
                "Deleted {n} contact. Edit ▸ Undo brings it back.",
                "Deleted {n} contacts. Edit ▸ Undo brings them back.",
                len(ids),
            ).format(n=len(ids))
        )

    def merge_selected(self) -> None:
        ids = self.selected_ids()
        if len(ids) != 2 or self.db is None:
            return

        names = self.names_of(ids)
        dialog = MergeDialog([(cid, names[cid], self.summary_of(cid)) for cid in ids], self)
        if dialog.exec():
            keep = dialog.kept()
            other = ids[1] if keep == ids[0] else ids[0]
            self.push(commands.MergeContacts(self.db, keep, other, names[keep]))

    def summary_of(self, contact_id: int) -> str:
        """E-mail · phone · organization · city, from the shown row."""
        positions = {rid: row for row, rid in enumerate(self.model.ids())}
        values = self.model.row_values(positions[contact_id]) if contact_id in positions else None
        if not values:
            return ""
        keys = self.listing.column_keys()
        parts = [values[keys.index(k)] for k in ("email", "phone", "organization", "city")]
        return " · ".join(str(p) for p in parts if p)

    # -- tags and communities ---------------------------------------------------------------

    def tag_selected(self) -> None:
        ids = self.selected_ids()
        if not ids or self.db is None:
            return
        tag, ok = QInputDialog.getItem(
            self,
            _("Add a tag"),
            ngettext(
                "Tag for the selected contact:", "Tag for the {n} selected contacts:", len(ids)
            ).format(n=len(ids)),
            [t.name for t in self.vocabulary.tags],
            0,
            True,
        )
        if ok and tag.strip():
            self.push(commands.TagContacts(self.db, ids, tag))

    def add_selected_to_community(self) -> None:
        ids = self.selected_ids()
        if not ids or self.db is None:
            return
        if not self.vocabulary.communities:
            self._tell(_("There is no community yet: create one in Communities."))
            return

        dialog = AddToCommunityDialog(self.vocabulary.communities, len(ids), self)
        if dialog.exec():
            community = dialog.community()
            self.push(AddMembers(self.db, community.id, community.name, ids, dialog.role()))

    def drop_on(self, target: DropTarget, ids: list[int]) -> None:
        """Contacts dropped on a community (as members) or a tag."""
        if not ids or self.db is None:
            return
        if target.kind == "community":
            self.push(AddMembers(self.db, target.id, target.name, ids))
            self._tell(
                ngettext(
                    "Added {n} contact to {name}.", "Added {n} contacts to {name}.", len(ids)
                ).format(n=len(ids), name=target.name)
            )
        else:
            self.push(commands.TagContacts(self.db, ids, target.name))
            self._tell(
                ngettext(
                    "Tagged {n} contact “{name}”.", "Tagged {n} contacts “{name}”.", len(ids)
                ).format(n=len(ids), name=target.name)
            )

    def _drop_panel_menu(self, panel_list: QListView, pos: Any) -> None:
        menu = self.drop_panel_menu(panel_list, panel_list.indexAt(pos))
        if not menu.isEmpty():
            menu.exec(panel_list.viewport().mapToGlobal(pos))

    def drop_panel_menu(self, panel_list: QListView, index: Any) -> QMenu:
        """Right-click on a community or a tag of the side panel: rename, merge, delete."""
        menu = QMenu(self)
        model = panel_list.model()
        if self.db is None or not isinstance(model, DropTargetModel):
            return menu
        db = self.db
        if index.isValid():
            target = model.targets[index.row()]
            add_record_actions(
                menu, self.window(), db, self.push, target.kind, target.id, target.name, keys=False
            )
        if model is self.drop_panel.tags:
            menu.addSeparator()
            action = menu.addAction(_("Manage &tags…"))
            action.triggered.connect(
                lambda _checked=False: manage(self.window(), db, self.push, "tag")
            )
        return menu

    # -- files, duplicates, privacy ---------------------------------------------------------

    def export_selected(self) -> None:
        if self.db is not None:
            export_contacts(self, self.db, self.selected_ids())

    def export_person(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1 and self.db is not None:
            export_person(self, self.db, ids[0], self.names_of(ids)[ids[0]])

    def erase_person(self) -> None:
        ids = self.selected_ids()
        if len(ids) == 1 and self.db is not None:
            erase_person(self, self.db, ids[0], self.names_of(ids)[ids[0]], self.undo_stack)

    def find_duplicates(self) -> None:
        if self.db is None:
            return
        self.duplicates_dialog = DuplicatesDialog(self.db, self.push, self.window())
        self.duplicates_dialog.open()
        self.duplicates_dialog.load()

    # -- status -----------------------------------------------------------------------------

    def _tell(self, text: str) -> None:
        window = self.window()
        if hasattr(window, "show_message"):
            window.show_message(text)

    def status_text(self) -> str:
        n = self.row_count()
        return ngettext("{n} contact", "{n} contacts", n).format(n=format_int(n))
