"""The event bus: what changed reaches live listeners only."""

from __future__ import annotations

import gc

from cmplanner.bus import EVERYTHING, Changes, EventBus, Written, changes_of


class Listener:
    def __init__(self) -> None:
        self.seen: list[Changes] = []

    def on_change(self, changes: Changes) -> None:
        self.seen.append(changes)


def test_listeners_get_changes_and_die_with_their_owner() -> None:
    bus = EventBus()
    listener = Listener()
    bus.subscribe(listener.on_change)
    bus.publish(Changes(contacts=frozenset({1})))
    assert listener.seen == [Changes(contacts=frozenset({1}))]
    del listener
    gc.collect()
    bus.publish(Changes(contacts=frozenset({2})))  # no error, no leak
    assert bus._listeners == []


def test_empty_changes_are_not_published() -> None:
    bus = EventBus()
    listener = Listener()
    bus.subscribe(listener.on_change)
    bus.publish(Changes())
    assert listener.seen == []


def test_changes_merge_and_touch() -> None:
    merged = Changes(contacts=frozenset({1})) | Changes(events=frozenset({7}))
    assert merged.touches("contacts") and merged.touches("events")
    assert not merged.touches("tasks")
    assert EVERYTHING.touches("tasks")
    assert not Changes()


def test_the_changes_of_a_result() -> None:
    changes = Changes(contacts=frozenset({1}))
    assert changes_of(changes) is changes
    written = Written(7, changes)
    assert changes_of(written) is changes
    new_id, same = written  # unpacks like the (value, changes) pair it replaces
    assert (new_id, same) == (7, changes)
    assert changes_of(EVERYTHING) is EVERYTHING
    assert changes_of([1, 2]) is None  # a read: nothing to publish
    assert changes_of(None) is None
