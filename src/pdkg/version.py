"""The installed version of pdkg (pyproject.toml is the only place it is written)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("pdkg")
except PackageNotFoundError:  # a source tree that was not installed
    __version__ = "0+unknown"
