"""Talking to other programs: vCard and CSV contacts in and out (`contacts_import`,
`contacts_export`), and the `cmplanner contacts import|export` commands."""
