"""The app around the sections: start-up, the main window, one instance per database, reminders,
backups, help.
"""
