"""Model Studio's regions and the base URLs under a region's host."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Region:
    """A Model Studio region: its name on the command line and its host root."""

    name: str
    label: str
    host: str


REGIONS: dict[str, Region] = {
    region.name: region
    for region in (
        Region("singapore", "Singapore", "https://dashscope-intl.aliyuncs.com"),
        Region("virginia", "Virginia", "https://dashscope-us.aliyuncs.com"),
        Region("beijing", "Beijing", "https://dashscope.aliyuncs.com"),
    )
}
ALL_REGIONS: tuple[str, ...] = tuple(REGIONS)


def region_label(name: str) -> str:
    """How a region is named to the user ("Singapore"); an unknown name as it is."""
    return REGIONS[name].label if name in REGIONS else name


COMPATIBLE_PATH = "/compatible-mode/v1"
NATIVE_PATH = "/api/v1"


def compatible_base_url(host_root: str) -> str:
    """The OpenAI-compatible base URL under a host root."""
    return host_root.rstrip("/") + COMPATIBLE_PATH


def native_base_url(host_root: str) -> str:
    """The DashScope native base URL under a host root."""
    return host_root.rstrip("/") + NATIVE_PATH
