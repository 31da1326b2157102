from django import template

from deepdive.reference.models import catalogue as _catalogue

register = template.Library()


@register.filter
def catalogue(text: str) -> str:
    """Shipped reference text (an Output, a criterion's description...) in the reader's
    language: ``{% load reference %}{{ output.text|catalogue }}``."""
    return _catalogue(text)
