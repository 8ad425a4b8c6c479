"""The search box in every page's header (base.html)."""

from django import template

from brik.accounts.permissions import Ability, can

register = template.Library()


@register.simple_tag(takes_context=True)
def shows_search_box(context) -> bool:
    """Whether the header shows the search box: for those who may list cases."""
    request = context.get("request")
    user = getattr(request, "user", None)
    return bool(user is not None and user.is_authenticated and can(user, Ability.CASE_LIST))
