"""The Calendar section: month, week and agenda, what they look like, their keys and the
actions on an occurrence (calendars in and out of files and servers: ui/exchange)."""
