"""The Events section and the event editor: guests, recurrence, invitations, check-in at the door,
closing.
"""
