from django_tasks import task

from . import operations


@task()
def send_participation_reminders() -> int:
    """Remind co-submitting organisations still pending three days after their invitation
    (see ``operations.send_participation_reminders``; safe to run any number of times)."""
    return operations.send_participation_reminders()
