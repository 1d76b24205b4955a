"""Where each assigned task stands on a given date; counts for a period.

The quarterly report and ``docgen progress`` use the same functions, so what the
secretary chases before the quarter closes is what the report will count.

Definitions (a task has a deadline ``thoi_han`` unless it is recurring,
``thuong_xuyen``):

* done: status ``hoan_thanh`` or ``hoan_thanh_vuot`` (the latter also "exceeded"), and
  finished on or before the date considered (a task finished in October was not done
  at the end of September);
* on time: done, and recurring or finished on or before the deadline;
* late: done after the deadline, or marked ``qua_han``, or not done and the
  deadline has passed on the date considered;
* in a period: the deadline falls within it, or it is recurring;
* a recurring task counts in every period: done (and on time) while it is being
  carried out (``dang_thuc_hien``) or finished, late if marked ``qua_han``, not
  done if not started (``chua_thuc_hien``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from docgen.models.org import DangVien
from docgen.models.tasks import DONE, NhiemVu
from docgen.rules.share import Share

__all__ = [
    "ProgressRow",
    "TaskCounts",
    "TaskStatus",
    "count_tasks",
    "in_period",
    "needs_attention",
    "task_progress",
    "task_status",
]


@dataclass(frozen=True)
class TaskStatus:
    """A task's standing on a date."""

    done: bool
    on_time: bool
    late: bool
    exceeded: bool
    days_overdue: int | None
    days_left: int | None


def task_status(task: NhiemVu, as_of: date) -> TaskStatus:
    """Classify ``task`` as it stands on ``as_of``."""
    deadline = task.thoi_han
    finished = task.ngay_hoan_thanh
    if deadline is None and task.thuong_xuyen:
        ongoing = task.trang_thai in (*DONE, "dang_thuc_hien")
        return TaskStatus(
            done=ongoing,
            on_time=ongoing,
            late=task.trang_thai == "qua_han",
            exceeded=task.trang_thai == "hoan_thanh_vuot",
            days_overdue=None,
            days_left=None,
        )
    done = task.trang_thai in DONE and (finished is None or finished <= as_of)
    if done:
        late = deadline is not None and finished is not None and finished > deadline
        on_time = not late
    else:
        late = task.trang_thai == "qua_han" or (deadline is not None and deadline < as_of)
        on_time = False
    days_overdue = days_left = None
    if not done and deadline is not None:
        if deadline < as_of:
            days_overdue = (as_of - deadline).days
        else:
            days_left = (deadline - as_of).days
    return TaskStatus(
        done=done,
        on_time=on_time,
        late=late,
        exceeded=done and task.trang_thai == "hoan_thanh_vuot",
        days_overdue=days_overdue,
        days_left=days_left,
    )


def in_period(task: NhiemVu, start: date, end: date) -> bool:
    """Whether ``task`` is due in ``[start, end]`` (recurring tasks always are)."""
    if task.thoi_han is None:
        return task.thuong_xuyen
    return start <= task.thoi_han <= end


@dataclass(frozen=True)
class TaskCounts:
    """Counts of tasks for a period, as they stand at its end."""

    assigned: int = 0
    done: int = 0
    on_time: int = 0
    late: int = 0
    exceeded: int = 0

    def __add__(self, other: TaskCounts) -> TaskCounts:
        return TaskCounts(
            self.assigned + other.assigned,
            self.done + other.done,
            self.on_time + other.on_time,
            self.late + other.late,
            self.exceeded + other.exceeded,
        )

    @property
    def done_share(self) -> Share:
        return Share(self.done, self.assigned)

    @property
    def on_time_share(self) -> Share:
        return Share(self.on_time, self.assigned)

    @property
    def late_share(self) -> Share:
        return Share(self.late, self.assigned)

    @property
    def exceeded_share(self) -> Share:
        return Share(self.exceeded, self.assigned)


def count_tasks(tasks: Iterable[NhiemVu], start: date, end: date) -> TaskCounts:
    """Count the tasks due in ``[start, end]``, classified as of ``end``."""
    assigned = done = on_time = late = exceeded = 0
    for task in tasks:
        if not in_period(task, start, end):
            continue
        status = task_status(task, end)
        assigned += 1
        done += status.done
        on_time += status.on_time
        late += status.late
        exceeded += status.exceeded
    return TaskCounts(assigned, done, on_time, late, exceeded)


def needs_attention(task: NhiemVu, as_of: date, within_days: int) -> TaskStatus | None:
    """The task's status if it is overdue or due within ``within_days``; else None."""
    status = task_status(task, as_of)
    if status.done:
        return None
    if status.late:
        return status
    if status.days_left is not None and status.days_left <= within_days:
        return status
    return None


@dataclass(frozen=True)
class ProgressRow:
    """A task to chase: who, what, when, how it stands, and the file it is assigned in."""

    name: str
    task: str
    deadline: date | None  # None: recurring
    status: TaskStatus
    source: str

    @property
    def overdue(self) -> bool:
        return self.status.late


def task_progress(
    tasks: Iterable[tuple[NhiemVu, str]], members: Mapping[str, DangVien], as_of: date, within_days: int
) -> list[ProgressRow]:
    """The tasks that are overdue or due within ``within_days`` of ``as_of``.

    Args:
        tasks: Each task with the display name of the file assigning it.
        members: The cell's members by id.

    Overdue tasks come first (longest overdue first, then those marked overdue), then
    those still to come by days left.
    """
    rows: list[tuple[tuple[int, int], ProgressRow]] = []
    for task, source in tasks:
        status = needs_attention(task, as_of, within_days)
        if status is None:
            continue
        if status.days_overdue is not None:
            key = (0, -status.days_overdue)
        elif status.late:
            key = (0, 0)
        else:
            key = (1, status.days_left or 0)
        rows.append(
            (key, ProgressRow(members[task.dang_vien].ho_ten, task.noi_dung, task.thoi_han, status, source))
        )
    return [row for _, row in sorted(rows, key=lambda pair: pair[0])]
