"""Names compared as people read them: « Vélo  lyon » is « Vélo Lyon » (kept apart from the
tables: cheap to import)."""

import unicodedata
from collections.abc import Iterable, Sequence


def fold(text: str) -> str:
    """`text` without case, accents or repeated spaces: the key two names that a person
    would call the same share (organizations, communities, tags, venues)."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


def same_name(rows: Iterable[tuple[int, str]], name: str) -> int | None:
    """The id of the first (id, name) row whose name folds as `name` does, else None."""
    key = fold(name)
    return next((int(row_id) for row_id, other in rows if fold(other) == key), None)


def ranked_positions(folded: Sequence[str], typed: str) -> list[int]:
    """Positions of the (already folded) names that contain `typed`, best first: the same
    name, then names starting with it, then a word starting with it, then the others; each
    group in the order given."""
    key = fold(typed)
    if not key:
        return []
    found: list[tuple[int, int]] = []
    for n, name in enumerate(folded):
        at = name.find(key)
        if at < 0:
            continue
        while at > 0 and name[at - 1].isalnum():
            at = name.find(key, at + 1)
            if at < 0:
                break
        rank = 0 if name == key else 1 if name.startswith(key) else 2 if at > 0 else 3
        found.append((rank, n))
    return [n for _rank, n in sorted(found)]
