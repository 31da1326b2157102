"""Widgets: selects that write their options in Python, a time-zone box, a list of checkboxes.

Django renders each <option> through a template include; for the 249 countries that was most of
a form page's time (bench/README.md). The selects produce the same HTML, escaped the same way;
the checklist's template writes its checkboxes in one loop, without an include per option.
"""

from contextvars import ContextVar
from functools import cache

from django import forms
from django.core.signals import request_started
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from .timezones import zone_labels


def _option(option: dict) -> str:
    selected = " selected" if option["selected"] else ""
    extra = flatatt({k: v for k, v in option["attrs"].items() if k != "selected"})
    value, label = escape(option["value"]), escape(option["label"])
    return f'<option value="{value}"{extra}{selected}>{label}</option>'


class _FastOptions:
    def render(self, name, value, attrs=None, renderer=None):
        context = self.get_context(name, value, attrs)["widget"]
        parts = []
        for group_name, options, _index in context["optgroups"]:
            rendered = "".join(_option(option) for option in options)
            if group_name:
                rendered = f'<optgroup label="{escape(group_name)}">{rendered}</optgroup>'
            parts.append(rendered)
        # Every value and label above went through escape(); the attributes through flatatt().
        return format_html(
            '<select name="{}"{}>{}</select>',
            context["name"],
            flatatt(context["attrs"]),
            SafeString("".join(parts)),
        )


class FastSelect(_FastOptions, forms.Select):
    pass


class FastSelectMultiple(_FastOptions, forms.SelectMultiple):
    pass


# --- The time-zone input: a text box suggesting from one <datalist> per page -----------------

ZONE_DATALIST_ID = "timezones"
_zone_list_wanted: ContextVar[bool] = ContextVar("zone_list_wanted", default=False)


def _forget_zone_list(**kwargs) -> None:
    _zone_list_wanted.set(False)


request_started.connect(_forget_zone_list, dispatch_uid="deepdive.core.widgets.zone_list")


class ZoneInput(forms.TextInput):
    """A text box for an IANA zone name, suggesting the current zones named by city and
    country. The suggestions are one ``<datalist id="timezones">`` per page, however many
    boxes: rendering a box asks for it, and ``{% zone_datalist %}`` at the end of base.html
    writes it (``zone_datalist_wanted``)."""

    def __init__(self, attrs=None):
        defaults = {
            "list": ZONE_DATALIST_ID,
            "autocomplete": "off",
            "spellcheck": "false",
            "autocapitalize": "none",
        }
        super().__init__({**defaults, **(attrs or {})})

    def render(self, name, value, attrs=None, renderer=None):
        _zone_list_wanted.set(True)
        return super().render(name, value, attrs, renderer)


def take_zone_datalist_wanted() -> bool:
    """Whether a zone box was drawn since the request started (and forget it: once a page)."""
    wanted = _zone_list_wanted.get()
    _zone_list_wanted.set(False)
    return wanted


@cache
def zone_datalist(language: str) -> SafeString:
    """The ``<datalist>`` of the current zones: the IANA name as value, "City, Country" in
    ``language`` as label; built once per language."""
    options = "".join(
        f'<option value="{escape(zone)}">{escape(label)}</option>'
        for zone, label in zone_labels(language)
    )
    return SafeString(f'<datalist id="{ZONE_DATALIST_ID}">{options}</datalist>')


# --- A searchable list of checkboxes ----------------------------------------------------------


class Checklist(forms.CheckboxSelectMultiple):
    """Checkboxes in a scrolling box, the checked ones first, with a "Filter the list" box that
    static/js/checklist.js shows and drives (the count of matches is announced); without
    JavaScript every checkbox is there. includes/field.html puts it in a <fieldset> whose
    <legend> is the field's label.

    ``filter_from``: the least number of options that gets a filter box.
    ``exclude_from``: the id of a <select> of the same form whose chosen value is not offered
    (the lead organisation among the co-submitters): its checkbox is hidden and disabled, and
    the script follows the select's changes.
    """

    template_name = "core/widgets/checklist.html"

    def __init__(self, attrs=None, choices=(), *, filter_from: int = 10, exclude_from=None):
        super().__init__(attrs, choices)
        self.filter_from = filter_from
        self.exclude_from = exclude_from
        self.excluded_value = None

    def __deepcopy__(self, memo):
        copied = super().__deepcopy__(memo)
        copied.excluded_value = None
        return copied

    def get_context(self, name, value, attrs):
        context = super().get_context(name, value, attrs)
        widget = context["widget"]
        options = [
            option
            for _group, group_options, _index in widget["optgroups"]
            for option in group_options
        ]
        excluded = None if self.excluded_value is None else str(self.excluded_value)
        for option in options:
            option["excluded"] = excluded is not None and str(option["value"]) == excluded
        # The checked options first, then the others, each in their own order.
        options.sort(key=lambda option: not option["selected"])
        widget["options"] = options
        widget["filterable"] = len(options) >= self.filter_from
        widget["exclude_from"] = self.exclude_from
        widget["count_text"] = _("%(shown)s of %(total)s shown")
        widget["none_text"] = _("Nothing matches.")
        return context
