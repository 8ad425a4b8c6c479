from django.conf import settings

from brik.core.names import centre_name


def site(request):
    return {"SITE_NAME": settings.SITE_NAME, "CENTRE_NAME": centre_name()}
