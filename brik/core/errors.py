"""The one error type that services raise for a refused step.

Views show its message to the person; the CLI turns it into a CommandError;
the API returns it as a 400/409. Messages are translatable.
"""

from django.core.exceptions import ValidationError


class TransitionError(ValidationError):
    """A step that the case's current state, or the law, does not allow."""
