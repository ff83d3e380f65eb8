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
    ...     print(err)  # names the extra: pip install 'scaleway_partner[pandas]'
    """


def require(module: str, extra: str, feature: str) -> ModuleType:
    """``module``, or :class:`MissingExtraError` telling to install ``scaleway_partner[extra]``."""
    try:
        return importlib.import_module(module)
    except ImportError as e:
        raise MissingExtraError(
            f"{feature} needs {module.split('.')[0]}, which is not installed: "
            f"pip install 'scaleway_partner[{extra}]'",
            name=module,
        ) from e
