"""Select widgets that write their options in Python.

Django renders each <option> through a template include; for the 249 countries that was most of
a form page's time (bench/README.md). These produce the same HTML, escaped the same way.
"""

from django import forms
from django.forms.utils import flatatt
from django.utils.html import escape, format_html
from django.utils.safestring import SafeString


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
