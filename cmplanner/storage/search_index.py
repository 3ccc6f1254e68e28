"""The contacts' full-text index: one FTS5 row per contact (rowid = contact id) holding its
names, e-mails, phones, organizations, cities and notes. `unicode61 remove_diacritics 2`
makes "benoit" find "Benoît" and "muller" find "Müller"; triggers keep it in sync.

The SQL lives here, not in the migration, so later migrations can rebuild the index with the
same definition and the search service can name the same columns.
"""

from __future__ import annotations

from cmplanner.model.names import east_asian_script

TABLE = "contact_search"
# The longest Chinese, Japanese or Korean search word tried as family name + given name.
_WHOLE_NAME_MAX = 8
COLUMNS = ("name", "emails", "phones", "organizations", "city", "notes")

CREATE_INDEX = (
    f"CREATE VIRTUAL TABLE {TABLE} USING fts5("
    + ", ".join(COLUMNS)
    + ", tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3')"
)

# The number with its separators removed, so "+33612" finds "+33 6 12 34 56 78".
_DIGITS = "number"
for _sep in (" ", ".", "-", "+", "/", "(", ")"):
    _DIGITS = f"replace({_DIGITS}, '{_sep}', '')"


def _row_select(contact_id: str) -> str:
    return f"""
SELECT c.id,
       trim(c.given_name || ' ' || c.family_name || ' ' || c.nickname),
       coalesce((SELECT group_concat(address, ' ') FROM contact_email
                 WHERE contact_id = c.id), ''),
       coalesce((SELECT group_concat(number || ' ' || {_DIGITS}, ' ') FROM contact_phone
                 WHERE contact_id = c.id), ''),
       coalesce((SELECT group_concat(o.name, ' ') FROM affiliation a
                 JOIN organization o ON o.id = a.organization_id
                 WHERE a.contact_id = c.id), ''),
       coalesce((SELECT group_concat(city, ' ') FROM contact_address
                 WHERE contact_id = c.id), ''),
       c.notes
FROM contact c WHERE c.id = {contact_id}"""


def refresh_sql(contact_id: str) -> str:
    """Statements that rebuild one contact's row (`contact_id` is an SQL expression)."""
    return (
        f"DELETE FROM {TABLE} WHERE rowid = {contact_id};\n"
        f"INSERT INTO {TABLE}(rowid, {', '.join(COLUMNS)}) {_row_select(contact_id)};"
    )


# Every contact's row as the index should hold it (rowid, then COLUMNS): what fills it, and
# what a check compares it with.
INDEXED_ROWS = _row_select("c.id").replace("WHERE c.id = c.id", "")
POPULATE = f"INSERT INTO {TABLE}(rowid, {', '.join(COLUMNS)}) " + INDEXED_ROWS


def _triggers() -> list[tuple[str, str, str]]:
    """(name, "WHEN ON table", body) for every trigger that keeps the index in sync."""
    found = [
        ("contact_ins", "AFTER INSERT ON contact", refresh_sql("NEW.id")),
        ("contact_upd", "AFTER UPDATE ON contact", refresh_sql("NEW.id")),
        ("contact_del", "AFTER DELETE ON contact", f"DELETE FROM {TABLE} WHERE rowid = OLD.id;"),
        # An organization renamed: its people's rows change.
        ("organization_upd", "AFTER UPDATE OF name ON organization", _refresh_org("NEW.id")),
    ]
    for table in ("contact_email", "contact_phone", "contact_address", "affiliation"):
        found += [
            (f"{table}_ins", f"AFTER INSERT ON {table}", refresh_sql("NEW.contact_id")),
            (
                f"{table}_upd",
                f"AFTER UPDATE ON {table}",
                refresh_sql("OLD.contact_id") + "\n" + refresh_sql("NEW.contact_id"),
            ),
            (f"{table}_del", f"AFTER DELETE ON {table}", refresh_sql("OLD.contact_id")),
        ]
    return found


# One row: `paused` = 1 while a bulk writer fills the index itself, in its own transaction
# (rolled back with it). Schema revisions before 0006 had ungated triggers.
STATE_TABLE = "contact_search_state"
CREATE_STATE = (
    f"CREATE TABLE {STATE_TABLE} (id INTEGER PRIMARY KEY CHECK (id = 1),"
    " paused INTEGER NOT NULL DEFAULT 0)"
)
INIT_STATE = f"INSERT INTO {STATE_TABLE} (id, paused) VALUES (1, 0)"
PAUSE = f"UPDATE {STATE_TABLE} SET paused = 1"
RESUME = f"UPDATE {STATE_TABLE} SET paused = 0"
_GATE = f" WHEN (SELECT paused FROM {STATE_TABLE}) = 0"


def trigger_statements(gated: bool = True) -> list[str]:
    gate = _GATE if gated else ""
    return [
        f"CREATE TRIGGER {TABLE}_{name} {when}{gate} BEGIN\n{body}\nEND"
        for name, when, body in _triggers()
    ]


def trigger_drops() -> list[str]:
    return [f"DROP TRIGGER IF EXISTS {TABLE}_{name}" for name, _w, _b in _triggers()]


def populate_range_sql() -> str:
    """Index the contacts with ids in [?, ?] (new ones: their rows are not in the index)."""
    return f"INSERT INTO {TABLE}(rowid, {', '.join(COLUMNS)}) " + _row_select("c.id").replace(
        "WHERE c.id = c.id", "WHERE c.id BETWEEN ? AND ?"
    )


def drop_statements() -> list[str]:
    return [*trigger_drops(), f"DROP TABLE IF EXISTS {TABLE}"]


def _refresh_org(org_id: str) -> str:
    people = f"SELECT contact_id FROM affiliation WHERE organization_id = {org_id}"
    return (
        f"DELETE FROM {TABLE} WHERE rowid IN ({people});\n"
        f"INSERT INTO {TABLE}(rowid, {', '.join(COLUMNS)}) "
        + _row_select("c.id").replace("WHERE c.id = c.id", f"WHERE c.id IN ({people})")
        + ";"
    )


def match_query(text: str, country_code: int | None = None) -> str | None:
    """User text → an FTS5 query: every word must match as a prefix. None if no word.

    With the default region's `country_code`, a word written as a national phone number
    ("0612") also matches the international form the book stores ("33612…")."""
    words = [w for w in _split_words(text) if w]
    if not words:
        return None
    if len(words) > 1 and looks_like_phone(text.strip()):
        words = ["".join(words)]  # a phone number typed with separators: "06 12 34"

    def term(word: str) -> str:
        quoted = '"' + word.replace('"', '""') + '"*'
        if country_code and is_national_number(word):
            return f'({quoted} OR "{country_code}{word[1:]}"*)'
        if 1 < len(word) <= _WHOLE_NAME_MAX and east_asian_script(word):
            # 王小明 is written whole but stored as two names (王, 小明): the family name may
            # end after any character.
            splits = [
                f'{COLUMNS[0]} : ("{word[:n]}" AND "{word[n:]}"*)' for n in range(1, len(word))
            ]
            return "(" + " OR ".join([quoted, *splits]) + ")"
        return quoted

    return " AND ".join(term(w) for w in words)


def looks_like_phone(text: str) -> bool:
    return any(ch.isdigit() for ch in text) and all(ch.isdigit() or ch in " .-/()+" for ch in text)


def is_national_number(word: str) -> bool:
    """Digits with a single leading trunk zero: "0612", "04 78…" (not "0033…")."""
    return len(word) >= 3 and word.isdigit() and word[0] == "0" and word[1] != "0"


def _split_words(text: str) -> list[str]:
    out: list[str] = []
    current: list[str] = []
    for ch in text:
        if ch.isalnum():
            current.append(ch)
        else:
            if current:
                out.append("".join(current))
            current = []
    if current:
        out.append("".join(current))
    return out
