"""What the Preferences pages share: a page's form, hints, the result of a test button, and
the password fields that hand passwords to the system keyring."""

from __future__ import annotations

from PySide6.QtWidgets import QFormLayout, QLabel, QLineEdit, QVBoxLayout, QWidget

from cmplanner.i18n import N_, _
from ui.kit import theme

STORED = N_("stored in the system keyring")


def keyring_problem() -> str:
    """Why no password can be kept ("" when the system keyring works)."""
    try:
        import keyring  # on opening Preferences: the keyring's backends load slowly

        # imported on use, not at the top: keeps it off the start-up path
        from keyring.backends.fail import Keyring as NoKeyring

        backend = keyring.get_keyring()
    except Exception as exc:  # a broken keyring installation
        return str(exc)
    if isinstance(backend, NoKeyring):
        return _("no system keyring was found")
    return ""


class FormPage(QWidget):
    """A page: a form on top, then what the page adds below it."""

    def __init__(self, parent: QWidget) -> None:
        super().__init__(parent)
        self.page_layout = QVBoxLayout(self)
        self.form = QFormLayout()
        self.page_layout.addLayout(self.form)


def hint(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def result_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.hide()
    return label


def show_result(label: QLabel, ok: bool, text: str) -> None:
    theme.set_tone(label, "ok" if ok else "bad")
    label.setText(("✓ " if ok else "✗ ") + text)
    label.show()


def password_edit(parent: QWidget, name: str) -> QLineEdit:
    edit = QLineEdit(parent)
    edit.setObjectName(name)
    edit.setEchoMode(QLineEdit.EchoMode.Password)
    return edit


def password_placeholder(edit: QLineEdit, stored: bool, problem: str) -> None:
    """Say whether a password is stored (or that none can be, the field then disabled)."""
    if problem:
        edit.setEnabled(False)
        edit.setPlaceholderText(_("no system keyring"))
    elif stored:
        edit.setPlaceholderText(_(STORED))
        edit.setToolTip(_("Type a new password to replace the stored one."))
    else:
        edit.setPlaceholderText("")


def keyring_note(layout: QVBoxLayout, page: QWidget, problem: str) -> None:
    if not problem:
        return
    note = QLabel(
        _(
            "Passwords cannot be kept: {reason}. CM Planner never writes them in the "
            "database; install a keyring (GNOME Keyring, KWallet…) to send or publish "
            "with a password."
        ).format(reason=problem),
        page,
    )
    note.setObjectName("keyringProblem")
    theme.set_tone(note, "bad")
    note.setWordWrap(True)
    layout.addWidget(note)
