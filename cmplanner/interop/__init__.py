"""Talking to other programs: vCard and CSV contacts in and out (`contacts`), iCalendar files
(`ics`), invitations by e-mail (`mail`), CalDAV (`caldav`). Their commands are in
cmplanner/cli/."""

import re

# Control characters other than tab and line breaks (C0, DEL, C1), and Unicode's line and
# paragraph separators: no program writes them in contacts or calendars; quoted in a message
# they would break its line or, as an escape sequence, take over the terminal.
_CONTROLS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u2028\u2029]")


def without_controls(text: str) -> str:
    """A file's text as it is read: each control character a space (tab, CR and LF kept)."""
    return _CONTROLS.sub(" ", text)
