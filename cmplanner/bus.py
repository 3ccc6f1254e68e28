"""What changed, and who wants to know. Plain Python with weak references; `ui/` bridges it
to Qt signals once, so each view refreshes only what it shows.

A write never publishes: it returns its `Changes` (or a result carrying them as `.changes`,
such as `Written`), and whoever ran it publishes them: the UI's job runner, on the GUI thread."""

from __future__ import annotations

import threading
import weakref
from collections.abc import Callable
from dataclasses import dataclass, field, fields
from typing import Any, Generic, NamedTuple, TypeVar


@dataclass(frozen=True)
class Changes:
    """Ids touched by a write, per kind of record. `everything` after a restore or a new file."""

    contacts: frozenset[int] = field(default_factory=frozenset)
    organizations: frozenset[int] = field(default_factory=frozenset)
    communities: frozenset[int] = field(default_factory=frozenset)
    events: frozenset[int] = field(default_factory=frozenset)
    venues: frozenset[int] = field(default_factory=frozenset)
    invitations: frozenset[int] = field(default_factory=frozenset)
    tasks: frozenset[int] = field(default_factory=frozenset)
    commitments: frozenset[int] = field(default_factory=frozenset)
    interactions: frozenset[int] = field(default_factory=frozenset)
    tags: frozenset[int] = field(default_factory=frozenset)
    work_entries: frozenset[int] = field(default_factory=frozenset)  # table work_entry
    settings: frozenset[str] = field(default_factory=frozenset)
    everything: bool = False

    def __bool__(self) -> bool:
        return self.everything or any(
            getattr(self, f.name) for f in fields(self) if f.name != "everything"
        )

    def touches(self, kind: str) -> bool:
        return self.everything or bool(getattr(self, kind))

    def __or__(self, other: Changes) -> Changes:
        merged: dict[str, Any] = {}
        for f in fields(self):
            a, b = getattr(self, f.name), getattr(other, f.name)
            merged[f.name] = (a or b) if f.name == "everything" else a | b
        return Changes(**merged)


EVERYTHING = Changes(everything=True)

T = TypeVar("T")


class Written(NamedTuple, Generic[T]):
    """What a write hands back besides its Changes (a new id, a snapshot for undo)."""

    value: T
    changes: Changes


def changes_of(result: object) -> Changes | None:
    """The Changes a write returned: the result itself, or its `.changes`; None for a read."""
    if isinstance(result, Changes):
        return result
    changes = getattr(result, "changes", None)
    return changes if isinstance(changes, Changes) else None


Listener = Callable[[Changes], None]


class EventBus:
    def __init__(self) -> None:
        self._listeners: list[weakref.ref[Any] | Callable[[], Listener | None]] = []
        self._lock = threading.Lock()

    def subscribe(self, listener: Listener) -> None:
        """Hold `listener` weakly: a bound method dies with its object."""
        ref: Callable[[], Listener | None]
        if hasattr(listener, "__self__") and hasattr(listener, "__func__"):
            ref = weakref.WeakMethod(listener)
        else:
            ref = weakref.ref(listener)
        with self._lock:
            self._listeners.append(ref)

    def unsubscribe(self, listener: Listener) -> None:
        with self._lock:
            self._listeners = [r for r in self._listeners if r() not in (None, listener)]

    def publish(self, changes: Changes) -> None:
        if not changes:
            return
        with self._lock:
            alive = [(r, r()) for r in self._listeners]
            self._listeners = [r for r, fn in alive if fn is not None]
        for _ref, fn in alive:
            if fn is not None:
                fn(changes)


bus = EventBus()
