"""Calendars exchanged with other programs: .ics files out and in, the guests' replies,
and publishing to a CalDAV calendar from the menus."""
