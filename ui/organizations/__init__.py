"""The Organizations section: the list and the organization editor."""
