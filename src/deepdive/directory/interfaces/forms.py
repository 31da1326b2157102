"""Forms of the partner directory (secretariat pages). They check input; services write."""

from __future__ import annotations

import re

from django import forms
from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from deepdive.core.widgets import Checklist

from ..models import Organisation, OrganisationDomain, is_valid_domain
from .imports import ImportFileError, read_table

LOGO_MAX_BYTES = 1024 * 1024
LOGO_FORMATS = {"PNG", "JPEG", "GIF", "WEBP"}
IMPORT_MAX_BYTES = 5 * 1024 * 1024
IMPORT_EXTENSIONS = {"csv", "xlsx"}


def split_domains(text: str) -> list[str]:
    """Domains from text separated by new lines, commas, semicolons or spaces; lower case, a
    leading ``@`` removed, duplicates dropped, order kept."""
    seen: dict[str, None] = {}
    for part in re.split(r"[\s,;]+", text or ""):
        part = part.strip().lower().lstrip("@")
        if part:
            seen.setdefault(part, None)
    return list(seen)


def domain_errors(domains: list[str], organisation: Organisation | None) -> list[str]:
    """Messages for malformed domains and domains of another organisation."""
    errors = [
        str(
            _(
                "“%(domain)s” is not a valid e-mail domain: write it like example.org "
                "(letters, digits, hyphens and dots, no @ or spaces)."
            )
            % {"domain": d}
        )
        for d in domains
        if not is_valid_domain(d)
    ]
    taken = OrganisationDomain.objects.filter(domain__in=domains).select_related("organisation")
    if organisation is not None and organisation.pk:
        taken = taken.exclude(organisation=organisation)
    errors += [
        str(
            _("The e-mail domain %(domain)s already belongs to %(organisation)s.")
            % {"domain": row.domain, "organisation": row.organisation}
        )
        for row in taken
    ]
    return errors


class LogoField(forms.ImageField):
    """An image of at most 1 MB in PNG, JPEG, GIF or WebP, checked with Pillow."""

    default_error_messages = {
        "invalid_image": _(
            "This file is not an image we can read. Upload a PNG, JPEG, GIF or WebP image."
        ),
    }

    def to_python(self, data):
        if data in self.empty_values:
            return None
        size = getattr(data, "size", 0) or 0
        if size > LOGO_MAX_BYTES:
            raise ValidationError(
                _(
                    "The logo is %(size)s; the limit is 1 MB. Make the image smaller "
                    "(for example 400 pixels wide) and upload it again."
                ),
                code="too_large",
                params={"size": filesizeformat(size)},
            )
        image_file = super().to_python(data)
        image_format = getattr(getattr(image_file, "image", None), "format", None)
        if image_format not in LOGO_FORMATS:
            raise ValidationError(
                _("The logo is a %(format)s image. Upload a PNG, JPEG, GIF or WebP image."),
                code="bad_format",
                params={"format": image_format or _("unknown")},
            )
        return image_file


class OrganisationForm(forms.ModelForm):
    """Every field of an organisation, plus its e-mail domains."""

    website = forms.URLField(
        label=_("website"),
        required=False,
        max_length=200,
        assume_scheme="https",
        help_text=_("The full address, starting with https://"),
    )
    domains = forms.CharField(
        label=_("E-mail domains"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_(
            "One per line or separated by commas, like example.org. People who confirm an "
            "address at one of these domains are verified as the organisation's contacts."
        ),
    )

    class Meta:
        model = Organisation
        fields = [
            "name",
            "acronym",
            "partner_type",
            "countries",
            "website",
            "action_groups",
            "themes",
            "sectors",
            "description",
            "logo",
            "is_member",
        ]
        field_classes = {"logo": LogoField}
        widgets = {
            "countries": Checklist,
            "action_groups": Checklist,
            "themes": Checklist,
            "sectors": Checklist,
            "logo": forms.ClearableFileInput(
                attrs={"accept": "image/png,image/jpeg,image/gif,image/webp"}
            ),
        }
        help_texts = {
            "logo": _("PNG, JPEG, GIF or WebP, at most 1 MB."),
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and not self.is_bound:
            self.initial["domains"] = "\n".join(
                self.instance.domains.values_list("domain", flat=True)
            )
        countries = self.fields["countries"]
        countries.choices = sorted(countries.choices, key=lambda c: str(c[1]).casefold())

    def clean_domains(self) -> list[str]:
        domains = split_domains(self.cleaned_data.get("domains", ""))
        errors = domain_errors(domains, self.instance)
        if errors:
            raise ValidationError(errors)
        return domains

    def organisation_fields(self) -> dict:
        """The cleaned values for the services (everything but the domains)."""
        return {k: v for k, v in self.cleaned_data.items() if k != "domains"}


class OrganisationChoiceField(forms.ModelChoiceField):
    """Lists active organisations; accepts any, so a merged one gets a clear message."""

    def to_python(self, value):
        if value in self.empty_values:
            return None
        try:
            return Organisation.objects.select_related("merged_into").get(pk=value)
        except (ValueError, TypeError, Organisation.DoesNotExist) as e:
            raise ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            ) from e


class MergeForm(forms.Form):
    source = OrganisationChoiceField(
        label=_("Organisation to merge (it will disappear)"),
        queryset=Organisation.objects.active(),
    )
    target = OrganisationChoiceField(
        label=_("Organisation to keep"),
        queryset=Organisation.objects.active(),
    )

    def _clean_active(self, name: str) -> Organisation | None:
        organisation = self.cleaned_data.get(name)
        if organisation is not None and organisation.merged_into_id:
            raise ValidationError(
                _("%(name)s has already been merged into %(other)s; choose %(other)s instead.")
                % {"name": organisation, "other": organisation.merged_into}
            )
        return organisation

    def clean_source(self):
        return self._clean_active("source")

    def clean_target(self):
        return self._clean_active("target")

    def clean(self):
        cleaned = super().clean()
        source, target = cleaned.get("source"), cleaned.get("target")
        if source and target and source.pk == target.pk:
            self.add_error(
                "target",
                _("Choose two different organisations: one cannot be merged into itself."),
            )
        return cleaned


class ImportUploadForm(forms.Form):
    file = forms.FileField(
        label=_("CSV or XLSX file"),
        error_messages={
            "empty": _("The file is empty: its first row must name the columns."),
            "required": _("Choose a CSV or XLSX file to check."),
        },
        help_text=_(
            "At most 5 MB. CSV in UTF-8 with a header row (comma or semicolon), or an Excel "
            "workbook whose first sheet has a header row."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".csv,.xlsx,text/csv,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        extension = upload.name.rsplit(".", 1)[-1].lower() if "." in upload.name else ""
        if extension not in IMPORT_EXTENSIONS:
            raise ValidationError(
                _("“%(name)s” is neither a CSV nor an XLSX file. Save the sheet as .csv or .xlsx."),
                params={"name": upload.name},
            )
        if upload.size > IMPORT_MAX_BYTES:
            raise ValidationError(
                _("The file is %(size)s; the limit is 5 MB. Split it into smaller files."),
                params={"size": filesizeformat(upload.size)},
            )
        upload.seek(0)
        content = upload.read()
        try:
            self.table = read_table(content, extension)
        except ImportFileError as e:
            raise ValidationError(str(e)) from e
        self.content = content
        self.extension = extension
        return upload


class ImportConfirmForm(forms.Form):
    token = forms.RegexField(
        regex=r"^[0-9a-f]{32}\.(csv|xlsx)$",
        widget=forms.HiddenInput,
        error_messages={"invalid": _("This import is not valid any more; upload the file again.")},
    )
