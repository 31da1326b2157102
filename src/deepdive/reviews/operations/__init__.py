"""Every change of state in a review: ``pool`` (reviewers, expertise, conflicts, the round's
settings), ``assignment`` (run, edit and save an assignment; it schedules the reminders),
``reminders`` (reminding the reviewers late in their window: what ``tasks`` runs) and
``reviewing`` (drafts and submitted reviews); ``emails`` writes to the reviewers."""
