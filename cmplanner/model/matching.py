"""Names compared as people read them: « Vélo  lyon » is « Vélo Lyon » (kept apart from the
tables: cheap to import)."""

import unicodedata
from collections.abc import Iterable


def fold(text: str) -> str:
    """`text` without case, accents or repeated spaces: the key two names that a person
    would call the same share (organizations, communities, tags, venues)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def same_name(rows: Iterable[tuple[int, str]], name: str) -> int | None:
    """The id of the first (id, name) row whose name folds as `name` does, else None."""
    key = fold(name)
    return next((int(row_id) for row_id, other in rows if fold(other) == key), None)


def ranked(choices: Iterable[tuple[int, str]], typed: str) -> list[tuple[int, str]]:
    """The (id, name) choices whose name contains `typed` (folded), best first: the same
    name, then names starting with it, then a word starting with it, then the others; each
    group in the order given."""
    key = fold(typed)
    if not key:
        return []
    found: list[tuple[int, int, tuple[int, str]]] = []
    for n, choice in enumerate(choices):
        name = fold(choice[1])
        at = name.find(key)
        if at < 0:
            continue
        while at > 0 and name[at - 1].isalnum():
            at = name.find(key, at + 1)
            if at < 0:
                break
        rank = 0 if name == key else 1 if name.startswith(key) else 2 if at > 0 else 3
        found.append((rank, n, choice))
    return [choice for _rank, _n, choice in sorted(found)]
