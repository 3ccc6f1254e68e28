"""Undoable writes on tasks and checklist templates. Tasks are undone by their rows as they
were (`tasks.task_states` / `tasks.restore_tasks`), ids included."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from cmplanner.bus import Changes
from cmplanner.i18n import _, ngettext
from cmplanner.model.enums import kind_label
from cmplanner.services import preferences
from cmplanner.services import tasks as task_service
from cmplanner.services.tasks import TaskData, TaskStates
from cmplanner.storage import Database
from ui.kit.undo import SnapshotCommand


class TasksCommand(SnapshotCommand[TaskStates]):
    """A write on the tasks `task_ids`; without them, a creation (its write returns the ids
    it made): undo deletes them, and redo brings them back with the same ids."""

    def __init__(
        self,
        db: Database,
        text: str,
        write: Callable[[], Any],
        task_ids: Sequence[int] | None = None,
    ) -> None:
        if task_ids is None:
            super().__init__(db, text, write, self._restore, delete=self._delete)
            return
        ids = list(task_ids)
        snapshot = lambda: task_service.task_states(db, ids)  # noqa: E731
        super().__init__(db, text, write, self._restore, snapshot=snapshot)

    def _restore(self, states: TaskStates) -> Changes:
        return task_service.restore_tasks(self.db, states)

    def _delete(self, created: int | Sequence[int]) -> tuple[TaskStates, Changes]:
        ids = [created] if isinstance(created, int) else list(created)
        states = task_service.task_states(self.db, ids)
        return states, task_service.delete_tasks(self.db, ids)


class SetTasksDone(TasksCommand):
    """Undo gives each task back the state it had (`was`: task id → done)."""

    def __init__(self, db: Database, was: dict[int, bool], done: bool) -> None:
        n = len(was)
        text = (
            ngettext("Mark {n} task done", "Mark {n} tasks done", n)
            if done
            else ngettext("Mark {n} task not done", "Mark {n} tasks not done", n)
        )
        ids = list(was)

        def write() -> Changes:
            changes = Changes()
            for task_id in ids:
                changes |= task_service.set_done(db, task_id, done)
            return changes

        super().__init__(db, text.format(n=n), write, ids)


class AddTask(TasksCommand):
    def __init__(self, db: Database, data: TaskData) -> None:
        text = _("Add the task “{title}”").format(title=data.title.strip())
        super().__init__(db, text, lambda: task_service.add_task(db, data))


class EditTask(TasksCommand):
    def __init__(self, db: Database, task_id: int, old: TaskData, new: TaskData) -> None:
        text = _("Edit the task “{title}”").format(title=new.title.strip())
        super().__init__(db, text, lambda: task_service.update_task(db, task_id, new), [task_id])


class RemoveTasks(TasksCommand):
    """Undo puts the tasks back as they were, with their ids (and ticks)."""

    def __init__(self, db: Database, task_ids: list[int], title: str = "") -> None:
        n = len(task_ids)
        text = (
            _("Remove the task “{title}”").format(title=title)
            if n == 1 and title
            else ngettext("Remove {n} task", "Remove {n} tasks", n).format(n=n)
        )
        ids = list(task_ids)
        super().__init__(db, text, lambda: task_service.delete_tasks(db, ids), ids)


class ApplyTemplate(TasksCommand):
    """Add a kind's checklist template to an event (or one date of a series); undo removes
    the tasks it added."""

    def __init__(
        self, db: Database, event_id: int, kind: str, occurrence: dt.datetime | None = None
    ) -> None:
        def write() -> tuple[list[int], Changes]:
            changes = task_service.apply_template(db, event_id, occurrence, kind)
            return sorted(changes.tasks), changes

        text = _("Apply the checklist of “{kind}”").format(kind=kind_label(kind))
        super().__init__(db, text, write)


class SetTaskTemplates(SnapshotCommand[str]):
    """Event kinds' checklist templates become the ones given (kind → (title, offset));
    undo restores every template as it was saved (or the shipped ones if none were)."""

    def __init__(
        self,
        db: Database,
        by_kind: dict[str, Sequence[tuple[str, int]]],
        names: Sequence[str],
    ) -> None:
        templates = {kind: list(items) for kind, items in by_kind.items()}
        key = task_service.TEMPLATES_KEY
        super().__init__(
            db,
            _("Edit the checklist templates ({kinds})").format(kinds=", ".join(names)),
            write=lambda: task_service.set_templates(db, templates),
            snapshot=lambda: preferences.get(db, key),
            restore=lambda was: preferences.put(db, key, was),
        )
