"""The statistics' system check (`brik check`).

- brik.statistics.E001: the world map's geometry (npm package world-atlas, installed
  by `make install`) is missing, so the annual report cannot be drawn.
"""

from django.core.checks import Error, register

from brik.statistics.worldmap import geometry_file


@register("brik")
def world_map_geometry_check(app_configs, **kwargs):
    path = geometry_file()
    if path.exists():
        return []
    return [
        Error(
            f"The world map's geometry {path} is missing: the annual report cannot be drawn.",
            hint="Run `make install` (it installs the npm package world-atlas).",
            id="brik.statistics.E001",
        )
    ]
