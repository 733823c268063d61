"""A refusal because of the state of a record (an illegal transition, a wish already
claimed, a rating before resolution): the API answers 409 instead of 400."""

from django.core.exceptions import ValidationError


class Conflict(ValidationError):
    """A ValidationError the API maps to 409 Conflict."""
