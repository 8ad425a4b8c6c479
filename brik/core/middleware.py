"""Response headers that every page of Brik needs."""

from django.utils.cache import patch_cache_control


class NoStoreWhenLoggedInMiddleware:
    """Tells browsers and proxies never to store a page sent to a logged-in person.

    Such pages hold case data, names and the audit trail; a shared computer's
    browser cache or a caching proxy must not keep a copy. Pages for
    anonymous visitors (the login page, the published statistics) keep their
    own caching. Must come after AuthenticationMiddleware.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            patch_cache_control(response, no_store=True)
        return response
