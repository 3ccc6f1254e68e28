"""The Tasks section and the checklist templates."""
