"""The one error a service raises when a step cannot be taken.

A service never returns an error code or a half-done result: it raises ``Refused`` (or one of
the apps' named kinds of it, such as ``proposals.operations.DeadlinePassed``) before it writes,
with a message for the person and, where the fault lies in what they typed, the messages per
form field. A view catches ``Refused`` and shows it with ``show_on``: beside the fields, with
what was typed kept, or above the form.

Who may act is a different question, answered by the named checks in ``core.permissions``;
they raise Django's ``PermissionDenied``, which the site shows as its 403 page.
"""

from __future__ import annotations

from typing import Any


class Refused(Exception):
    """A step that cannot be taken. ``message`` says why, in the reader's language;
    ``errors`` is {form field: [messages]} when the fault is in what was typed (the key
    ``None``, or a name the form does not have, is shown above the form)."""

    def __init__(self, message: str = "", *, errors: dict[str | None, list[str]] | None = None):
        self.message = str(message)
        self.errors: dict[str | None, list[str]] = dict(errors or {})
        super().__init__(self.message or "; ".join(" ".join(v) for v in self.errors.values()))

    def messages(self) -> list[str]:
        """Every message, the general one first."""
        found = [self.message] if self.message else []
        return found + [text for texts in self.errors.values() for text in texts]

    def show_on(self, form: Any) -> None:
        """Put the messages on a bound Django form: each beside its field, the rest above."""
        if self.message:
            form.add_error(None, self.message)
        for field, texts in self.errors.items():
            target = field if field in getattr(form, "fields", {}) else None
            for text in texts:
                form.add_error(target, text)
