"""Static files: hashed and compressed names served by WhiteNoise, collected only when changed."""

import pytest
from django.core.management import call_command
from django.templatetags.static import static

from brik.core import staticfiles

# Brik's own files only: the admin's and the npm packages' would take long to
# hash and compress, and are handled the same way.
ONLY_BRIKS_OWN = ["admin/*", "vendor/*"]


@pytest.fixture
def static_root(settings, tmp_path):
    """Brik's own storage (the other tests use Django's plain one), collecting into tmp_path."""
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "brik.core.staticfiles.StaticStorage"},
    }
    settings.STATIC_ROOT = tmp_path / "static"
    settings.DEBUG = False
    return settings.STATIC_ROOT


def test_pages_use_plain_names_before_the_files_are_collected(static_root):
    assert static("brik/brik.css") == "/static/brik/brik.css"


def test_whitenoise_serves_a_collected_file_under_its_hashed_name(static_root, client):
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=ONLY_BRIKS_OWN)
    url = static("brik/brik.css")
    assert url != "/static/brik/brik.css"
    assert url.startswith("/static/brik/brik.")
    assert url.endswith(".css")

    response = client.get(url, headers={"accept-encoding": "br, gzip"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/css")
    assert response["Content-Encoding"] == "br"
    # The name changes with the content, so a browser may keep it for good.
    assert "immutable" in response["Cache-Control"]
    assert "max-age=315360000" in response["Cache-Control"]


def test_a_name_missing_from_the_collected_files_is_an_error(static_root):
    call_command("collectstatic", interactive=False, verbosity=0, ignore_patterns=ONLY_BRIKS_OWN)
    with pytest.raises(ValueError, match="manifest"):
        static("brik/no-such-file.css")


def test_only_the_vendor_files_brik_uses_are_published():
    from django.contrib.staticfiles import finders

    assert finders.find("vendor/pico/pico.min.css")
    assert finders.find("vendor/tom-select/js/tom-select.complete.min.js")
    assert finders.find("vendor/pico/pico.amber.min.css") is None
    assert finders.find("vendor/tom-select/esm/tom-select.js") is None


def test_collecting_is_skipped_while_no_source_file_changed(static_root, settings, tmp_path):
    source = tmp_path / "source"
    source.mkdir()
    (source / "extra.css").write_text("body { color: black }")
    settings.STATICFILES_DIRS = [*settings.STATICFILES_DIRS, ("extra", source)]
    static_root.mkdir()
    stamp = static_root / staticfiles.STAMP_NAME
    stamp.write_text(f'{{"fingerprint": "{staticfiles.source_fingerprint()}"}}')

    assert staticfiles.collect_if_changed() is False
    assert not (static_root / "staticfiles.json").exists()

    before = staticfiles.source_fingerprint()
    (source / "extra.css").write_text("body { color: navy }")
    assert staticfiles.source_fingerprint() != before
