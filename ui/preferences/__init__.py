"""The Preferences dialog, one module per page, the saved values read and written on the job
runner, and publishing to the CalDAV calendar it sets."""
