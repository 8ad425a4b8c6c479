"""`{% constant %}...{% endconstant %}`: a part of a template written once per language.

Every page's frame (base.html: the head's links and scripts, the texts of the body's
attributes, the footer) is the same on every page of one language, but rendering it
node by node cost each request about half a millisecond: a dozen `{% static %}`,
`{% url %}` and `{% translate %}` nodes. Inside this tag it is rendered the first time
and then taken as it was, per language, script prefix and the few context values it
may read (CONSTANT_VARIABLES).

What the block may hold is checked when the template is read, so that nothing that
differs between requests or readers can be kept: text, `{% translate %}` of a literal
text, `{% blocktranslate %}` that reads only CONSTANT_VARIABLES, `{% static %}` and
`{% url %}` with literal arguments, CONSTANT_VARIABLES themselves, and the tags named
in CONSTANT_TAGS. Anything else is a TemplateSyntaxError naming it. What is kept is
dropped when a setting changes (the static files' URL, DEBUG, a name of the site).
"""

from typing import Any

from django import template
from django.core.signals import setting_changed
from django.template.base import FilterExpression, Node, NodeList, TextNode, TokenType, Variable
from django.template.defaulttags import URLNode
from django.template.library import SimpleNode
from django.templatetags.i18n import BlockTranslateNode, TranslateNode
from django.templatetags.static import StaticNode
from django.urls import get_script_prefix
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

register = template.Library()

# Context values a constant block may read: each is part of what it is kept under.
# (csp_nonce: django-htmx's script tag writes it when a nonce is in the context.)
CONSTANT_VARIABLES = ("SITE_NAME", "CENTRE_NAME", "LANGUAGE_CODE", "csp_nonce")
# Simple tags whose output depends only on settings and CONSTANT_VARIABLES.
CONSTANT_TAGS = frozenset({"htmx_script", "session_warning_seconds"})

# Renders kept per block: more than this (a language, prefix or name changing all the
# time) and the block starts again.
_KEPT_MAX = 64
# Bumped when a setting changes: every block drops what it kept.
_GENERATION = [0]


def forget(**_kwargs: Any) -> None:
    _GENERATION[0] += 1


setting_changed.connect(forget)


def _literal(expression: Any) -> bool:
    """A template argument that is the same on every render: a literal, no filters."""
    if isinstance(expression, FilterExpression):
        if expression.filters:
            return False
        expression = expression.var
    if isinstance(expression, Variable):
        return expression.literal is not None
    return isinstance(expression, str | int | float)


def _refusal(node: Node) -> str | None:
    """Why this node may not be kept (None: it may)."""
    if isinstance(node, TextNode):
        return None
    if isinstance(node, TranslateNode):
        if node.asvar or not _literal(node.filter_expression):
            return "{% translate %} of a variable, or with `as`"
        return None
    if isinstance(node, BlockTranslateNode):
        tokens = [*node.singular, *(node.plural or [])]
        names = {t.contents for t in tokens if t.token_type == TokenType.VAR}
        if node.extra_context or node.countervar or node.asvar:
            return "{% blocktranslate %} with `with`, `count` or `as`"
        if not names <= set(CONSTANT_VARIABLES):
            return f"{{% blocktranslate %}} reading {sorted(names - set(CONSTANT_VARIABLES))}"
        return None
    if isinstance(node, StaticNode):
        return (
            None if node.varname is None and _literal(node.path) else "{% static %} of a variable"
        )
    if isinstance(node, URLNode):
        arguments = [node.view_name, *node.args, *node.kwargs.values()]
        if node.asvar or not all(_literal(a) for a in arguments):
            return "{% url %} with a variable, or with `as`"
        return None
    if isinstance(node, SimpleNode):
        name = getattr(node.func, "__name__", "")
        arguments = [*node.args, *node.kwargs.values()]
        if name in CONSTANT_TAGS and node.target_var is None and all(map(_literal, arguments)):
            return None
        return f"{{% {name} %}}"
    if type(node).__name__ == "VariableNode":
        expression = node.filter_expression  # type: ignore[attr-defined]
        var = expression.var
        if not expression.filters and isinstance(var, Variable) and var.var in CONSTANT_VARIABLES:
            return None
        return f"{{{{ {expression.token} }}}}"
    return f"{type(node).__name__} ({node.token.contents if node.token else ''})"


class ConstantNode(Node):
    """Keeps its renders on itself: they go with the template (a template read again
    after a change, in development, is new nodes with nothing kept)."""

    def __init__(self, nodelist: NodeList):
        self.nodelist = nodelist
        self.kept: dict[tuple, SafeString] = {}
        self.generation = _GENERATION[0]

    def render(self, context) -> SafeString:
        if self.generation != _GENERATION[0]:
            self.kept, self.generation = {}, _GENERATION[0]
        key = (
            get_language(),
            get_script_prefix(),
            context.autoescape,
            *(str(context.get(name, "")) for name in CONSTANT_VARIABLES),
        )
        kept = self.kept.get(key)
        if kept is None:
            kept = mark_safe(self.nodelist.render(context))  # noqa: S308 - rendered by the template
            if len(self.kept) >= _KEPT_MAX:
                self.kept = {}
            self.kept[key] = kept
        return kept


@register.tag
def constant(parser, token) -> ConstantNode:
    if len(token.split_contents()) != 1:
        raise template.TemplateSyntaxError("{% constant %} takes no arguments.")
    nodelist = parser.parse(("endconstant",))
    parser.delete_first_token()
    for node in nodelist:
        refusal = _refusal(node)
        if refusal is not None:
            raise template.TemplateSyntaxError(
                f"{{% constant %}} may hold only what is the same on every page of a "
                f"language; not {refusal}."
            )
    return ConstantNode(nodelist)
