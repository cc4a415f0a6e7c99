"""What the governance views share: turning a service's refusal into messages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError


def report_errors(request, error: ValidationError) -> None:
    for message in error.messages:
        messages.error(request, message)


def form_errors(request, form) -> None:
    for errors in form.errors.values():
        for message in errors:
            messages.error(request, message)
