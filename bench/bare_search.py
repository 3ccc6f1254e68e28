"""The baseline of bench/cli_lists.py's search figure: a bare Python script listing the
contacts that match a term, as one would write it with nothing but sqlite3.

    python bench/bare_search.py DB TERM

Every word of TERM a prefix (the FTS5 query `contacts list --search` runs), one query that
joins the matches to each contact's first e-mail, phone and organization and sorts them by
family name then given name (case-insensitive), then one line per contact printed in the
layout of `cmplanner contacts list`: the same rows, the same text, for the bench to compare.
"""

from __future__ import annotations

import sqlite3
import sys

SQL = """
SELECT c.id, c.given_name, c.family_name,
  (SELECT address FROM contact_email x WHERE x.contact_id = c.id ORDER BY position, id LIMIT 1),
  (SELECT number FROM contact_phone x WHERE x.contact_id = c.id ORDER BY position, id LIMIT 1),
  (SELECT o.name FROM affiliation a JOIN organization o ON o.id = a.organization_id
    WHERE a.contact_id = c.id ORDER BY a.id LIMIT 1)
FROM contact c
WHERE c.id IN (SELECT rowid FROM contact_search WHERE contact_search MATCH ?)
ORDER BY c.family_name COLLATE NOCASE, c.given_name COLLATE NOCASE, c.id
"""


def main(database: str, term: str) -> int:
    words = "".join(ch if ch.isalnum() else " " for ch in term).split()
    query = " AND ".join('"' + word + '"*' for word in words)
    con = sqlite3.connect(f"file:{database}?mode=ro", uri=True)
    lines = []
    for cid, given, family, email, phone, org in con.execute(SQL, (query,)):
        name = f"{given.strip()} {family.strip()}".strip()
        email, phone = email or "", phone or ""
        lines.append(f"{cid:>6}  {name[:32]:<32}  {email[:34]:<34}  {phone:<18}  {org or ''}")
    con.close()
    if lines:
        print("\n".join(lines))
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1], sys.argv[2]))
