"""Every change of state in a review, in three modules: ``pool`` (reviewers, expertise,
conflicts, the round's settings), ``assignment`` (run, edit and save an assignment; reminders)
and ``reviewing`` (drafts and submitted reviews)."""
