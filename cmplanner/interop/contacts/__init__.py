"""Contacts in and out: vCard (`vcard`) and CSV (`csv_files`) files read into items (`items`),
`export` writes them, `bulk` inserts new contacts fast.

Importing is three steps the CLI and the import wizard share (keep them stable):

1. `parse`: ``parsed = parse_bytes(data, format="auto", region=…)`` (or
   ``parse_file(path, …)``): reads vCard 2.1/3.0/4.0, Google CSV, Outlook CSV or any CSV
   (``mapping=`` overrides the guessed column mapping of a generic CSV). Never writes.
   Returns a `ParsedFile` whose ``items`` are `ImportItem`s: the card/row number, its first
   line in the file, a normalised `ContactData` (or `OrganizationData` for ``KIND:org``),
   warnings, problems.
   A file that is not contacts at all (binary, random text, empty) raises `ImportRefused`.
2. `plan`: ``plans = plan_import(db, parsed.items, merge="auto")``: for each item the likely
   duplicates in the book (`Match`, best first) and a suggested decision: ``("merge", id)``
   only when it is the same card — the same UID, or the same personal e-mail and a
   compatible name (services/duplicates.py says which) —, else ``"create"``; a shared phone,
   a generic address (contact@…) or the same name only suggest, with a warning naming the
   contact. ``merge="never"`` plans ``"create"`` for everyone. Read-only.
3. `write`: ``report = apply_import(db, items, decisions, skip_invalid=False, progress=cb)``:
   a backup ("before-import"), then ONE transaction. ``decisions[i]`` is ``"create"``, ``"skip"`` or
   ``("merge", id)``. Any invalid item refuses the whole file (`ImportRefused` naming the
   card/row, line and field) unless ``skip_invalid``; then the report lists what was
   skipped. ``progress(done, total)`` is called from the calling thread as items are
   written. Returns the `Changes` in `ImportReport.changes` (the caller publishes them).
   ``preview(items, decisions, skip_invalid)`` says what it would do (the dry run), counted
   and worded as the report will be.
"""
