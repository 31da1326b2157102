from django_tasks import task

from .operations import reminders


@task()
def send_review_reminders() -> int:
    """Remind reviewers of what they have left when their window closes within three days
    (see ``operations.reminders.send_review_reminders``; safe to run any number of times).
    Enqueued by ``operations.assignment.enqueue_reminders``."""
    return reminders.send_review_reminders()
