"""Signal handlers: each only calls a service."""

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from . import operations


@receiver(email_confirmed, dispatch_uid="deepdive.accounts.verify_affiliations_by_domain")
def verify_affiliations_on_email_confirmed(sender, request, email_address, **kwargs):
    operations.verify_affiliations_by_domain(user=email_address.user)
