from django_tasks import task

from .operations import assignment


@task()
def send_review_reminders() -> int:
    """Remind reviewers of what they have left when their window closes within three days
    (see ``operations.assignment.send_review_reminders``; safe to run any number of times)."""
    return assignment.send_review_reminders()
