from django import template

from brik.casefiles.page import section_context

register = template.Library()


@register.inclusion_tag("casefiles/_section.html", takes_context=True)
def casefiles_section(context, case):
    """The case page's notes and attachments (nothing for a reader without the abilities)."""
    return {
        **section_context(context["request"], case),
        "request": context["request"],
        "csrf_token": context.get("csrf_token"),
    }
