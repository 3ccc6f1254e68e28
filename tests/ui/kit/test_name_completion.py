"""Organization, community and tag names in the contact editor complete to the existing name,
whatever its case and accents, and saving a name that is an existing one (« velo lyon » for
« Vélo Lyon ») links to it instead of creating a near-duplicate."""

from __future__ import annotations

from PySide6.QtCore import QEvent, Qt
from PySide6.QtGui import QKeyEvent
from PySide6.QtWidgets import QApplication, QComboBox, QWidget

from cmplanner.model.matching import fold, ranked_positions
from cmplanner.services import communities as community_service
from cmplanner.services import contacts as contact_service
from cmplanner.services import organizations as organization_service
from cmplanner.services import vocabulary
from cmplanner.services.communities import CommunityData
from cmplanner.services.contact_data import (
    AffiliationData,
    ContactData,
    MembershipData,
    OrganizationData,
)
from cmplanner.storage import Database
from ui.contacts.editor import ContactEditor
from ui.shell.main_window import MainWindow


def type_text(text: str) -> None:
    """Type as a keyboard does: each key goes where the focus is (the completion list
    while it is open), accented letters included."""
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    for ch in text:
        target = QApplication.activePopupWidget() or app.focusWidget()
        assert target is not None
        key = ord(ch.upper()) if ch.isascii() else Qt.Key.Key_unknown
        for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
            app.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier, ch))
        app.processEvents()


def press(key: Qt.Key) -> None:
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    target = QApplication.activePopupWidget() or app.focusWidget()
    assert target is not None
    for kind in (QEvent.Type.KeyPress, QEvent.Type.KeyRelease):
        app.sendEvent(target, QKeyEvent(kind, key, Qt.KeyboardModifier.NoModifier))
    app.processEvents()


def lyon_names(db: Database) -> tuple[int, int, int]:
    club, _c = community_service.create_community(db, CommunityData("Club vélo Lyon"))
    velo, _c = community_service.create_community(db, CommunityData("Vélo Lyon"))
    org, _c = organization_service.create_organization(db, OrganizationData("Maison du Vélo"))
    return club, velo, org


def open_editor(qtbot, window: MainWindow, contact_id: int) -> ContactEditor:
    window.show_section("contacts")
    view = window.view("contacts")
    view.open_contact(contact_id)
    editor = view.editor
    assert isinstance(editor, ContactEditor)
    editor.tabs.setCurrentIndex(1)  # Organizations and communities
    qtbot.waitExposed(editor)
    editor.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is editor)
    return editor


def new_row_combo(editor: ContactEditor, rows: object) -> QComboBox:
    before = len(rows.rows)  # type: ignore[attr-defined]
    rows.add_button.click()  # type: ignore[attr-defined]
    row = rows.rows[before]  # type: ignore[attr-defined]
    combo = row.focus_widget()
    assert isinstance(combo, QComboBox)
    combo.setFocus()
    QApplication.processEvents()
    return combo


def test_typing_velo_then_tab_completes_to_the_existing_community_and_saves_it(
    qtbot, window: MainWindow
) -> None:
    db = window.db
    _club, velo, _org = lyon_names(db)
    cid = 2
    communities = vocabulary.communities(db)
    editor = open_editor(qtbot, window, cid)
    combo = new_row_combo(editor, editor.memberships)

    type_text("vélo")
    popup = QApplication.activePopupWidget()
    model = popup.model() if popup is not None else None
    shown = [model.index(r, 0).data() for r in range(model.rowCount())] if model else []
    press(Qt.Key.Key_Tab)
    assert combo.currentText() == "Vélo Lyon"  # it was "vélo vélo Lyon"
    assert shown == ["Vélo Lyon", "Club vélo Lyon"]  # the name starting with it first
    assert QApplication.focusWidget() is not combo.lineEdit()  # Tab moved on

    editor.save()
    saved = contact_service.get_contact(db, cid).data.communities
    assert ("Vélo Lyon", velo) in {(m.community, m.community_id) for m in saved}
    assert vocabulary.communities(db) == communities  # no new community


def test_without_accents_or_capitals_and_a_chosen_line_replaces_the_text(
    qtbot, window: MainWindow
) -> None:
    db = window.db
    club, _velo, org = lyon_names(db)
    editor = open_editor(qtbot, window, 2)
    combo = new_row_combo(editor, editor.memberships)
    type_text("VELO")
    press(Qt.Key.Key_Down)
    press(Qt.Key.Key_Down)  # the second line: Club vélo Lyon
    press(Qt.Key.Key_Return)
    assert combo.currentText() == "Club vélo Lyon"

    organization = new_row_combo(editor, editor.affiliations)
    type_text("maison du velo")
    press(Qt.Key.Key_Escape)  # no completion taken: the text stays as typed
    assert organization.currentText() == "maison du velo"
    editor.save()
    data = contact_service.get_contact(db, 2).data
    assert club in {m.community_id for m in data.communities}
    assert ("Maison du Vélo", org) in {
        (a.organization, a.organization_id) for a in data.affiliations
    }


def test_tags_complete_the_word_being_typed(qtbot, window: MainWindow) -> None:
    editor = open_editor(qtbot, window, 2)
    tags = editor.tags
    tags.setText("VIP, ")
    tags.setFocus()
    tags.end(False)
    type_text("benev")
    press(Qt.Key.Key_Tab)
    assert tags.tags() == ("VIP", "bénévole")


def test_saving_a_name_that_differs_by_case_or_accents_links_to_the_existing_one(
    demo_db: Database,
) -> None:
    _club, velo, org = lyon_names(demo_db)
    counts = [len(vocabulary.communities(demo_db)), len(vocabulary.organizations(demo_db))]
    tags = vocabulary.tags(demo_db)
    cid, _changes = contact_service.create_contact(
        demo_db,
        ContactData(
            given_name="Ana",
            communities=(MembershipData("  velo   LYON ", "member"),),
            affiliations=(AffiliationData("MAISON DU VELO", "bénévole"),),
            tags=("Benevole", "vip"),
        ),
    )
    data = contact_service.get_contact(demo_db, cid).data
    assert [m.community_id for m in data.communities] == [velo]
    assert [a.organization_id for a in data.affiliations] == [org]
    assert sorted(data.tags) == ["VIP", "bénévole"]
    assert [len(vocabulary.communities(demo_db)), len(vocabulary.organizations(demo_db))] == counts
    assert vocabulary.tags(demo_db) == tags
    assert vocabulary.tag_id(demo_db, "BÉNÉVOLE") == vocabulary.tag_id(demo_db, "bénévole")


def test_ranking_and_folding() -> None:
    assert fold("  Vélo   LYON ") == fold("velo lyon") == "velo lyon"
    names = [fold(n) for n in ("Club vélo Lyon", "Vélo Lyon", "Lovélo", "Vélo")]
    # The same name, then starting with it, then a word starting with it, then inside.
    assert ranked_positions(names, "velo") == [3, 1, 0, 2]
    assert ranked_positions(names, "") == [] and ranked_positions(names, "zzz") == []


def test_the_completer_model_passes_the_model_tester(qtmodeltester) -> None:
    from ui.kit.choice_combo import NameCompleter

    parent = QWidget()
    completer = NameCompleter([(1, "Vélo Lyon"), (2, "Club vélo Lyon")], parent)
    completer.setCompletionPrefix("velo")
    assert completer.matches.rowCount() == 2
    qtmodeltester.check(completer.matches)
