"""The Calendar section: month, week and agenda, its keys, calendars in and out of files and
servers.
"""
