"""What the audit trail records about the partner directory: one named action per change."""

from django.utils.translation import gettext_lazy as _

from deepdive.core.audit import AuditAction


class DirectoryAction(AuditAction):
    CREATED = "directory.create", _("Organisation added to the directory")
    UPDATED = "directory.update", _("Organisation changed")
    MERGED = "directory.merge", _("Organisations merged")
    IMPORTED = "directory.import", _("Directory imported")
