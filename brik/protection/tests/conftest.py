import pytest


@pytest.fixture(autouse=True)
def _backups_in_a_temporary_folder(settings, tmp_path):
    """Backups and restores' safety copies go to the test's own folder, never ./data."""
    settings.BRIK_BACKUP_DIR = tmp_path / "backups"
    return settings.BRIK_BACKUP_DIR
