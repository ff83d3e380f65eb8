"""Builds the Python API reference (pdoc) of the installed package, warnings as errors.

Usage: python docs/python/build.py OUTPUT_DIR

The error classes present themselves under the package's public name (``__module__`` is
``scaleway_partner``), where pdoc cannot find their source, which it reads for the attributes'
docstrings: for the reference they are put back under the module that defines them, and pdoc
documents them as members of the package, as it does every name of its ``__all__``.
"""

import sys
import warnings
from pathlib import Path

import pdoc
from scaleway_partner import _errors

# pdoc warns of what it cannot document: that fails the build.
warnings.simplefilter("error")

for name in _errors.__all__:
    getattr(_errors, name).__module__ = _errors.__name__

pdoc.render.configure(docformat="google")
pdoc.pdoc(
    "scaleway_partner",
    "scaleway_partner.testing",
    "scaleway_partner.audit",
    output_directory=Path(sys.argv[1]),
)
