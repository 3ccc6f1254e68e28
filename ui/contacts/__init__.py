"""The Contacts section: the list, the contact editor, files in and out, duplicates, a person's
rights.
"""
