"""Optional dependencies (pandas, matplotlib), imported on first use with a clear message when
the extra that brings them is not installed."""

from __future__ import annotations

import importlib
from types import ModuleType

__all__ = ["MissingExtraError", "require"]


class MissingExtraError(ImportError):
    """A feature needs an optional dependency: the message names the extra to install.

    >>> try:
    ...     frames = report.to_pandas()
    ... except MissingExtraError as err:
    ...     print(err)  # pip install pandas (the 'pandas' extra of scaleway_partner brings it)
    """


def require(module: str, extra: str, feature: str) -> ModuleType:
    """``module``, or :class:`MissingExtraError` telling to install it (and its ``extra``)."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        # The package itself, not the extra: that works before scaleway_partner is on PyPI.
        package = module.split(".")[0]
        raise MissingExtraError(
            f"{feature} needs {package}, which is not installed: pip install {package} "
            f"(the '{extra}' extra of scaleway_partner brings it)",
            name=module,
        ) from e
