"""The proposals' task: the participation reminders, run at a given time.

``operations.reminders.enqueue_reminders`` enqueues it, and the reminders it runs may enqueue it
again, so this module does not import the operations: the task runs the periodic job of the
same name, which ``periodic.py`` registers with ``operations.send_participation_reminders``.
"""

from typing import cast

from django_tasks import task

from deepdive.core.scheduling import periodic

# The periodic job that sends the reminders (registered in ``periodic.py``).
REMINDERS_JOB = "proposals.participation_reminders"


@task()
def send_participation_reminders() -> int:
    """Remind co-submitting organisations still pending three days after their invitation
    (see ``operations.send_participation_reminders``; safe to run any number of times)."""
    job = {job.name: job for job in periodic.jobs()}[REMINDERS_JOB]
    return cast(int, job.run())
