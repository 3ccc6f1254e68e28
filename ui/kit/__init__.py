"""Shared plumbing and widgets: the job runner, the changes bridge, undo, list models, form
helpers, date fields, the error dialog, the theme.
"""
