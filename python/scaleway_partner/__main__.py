"""``python -m scaleway_partner audit ...``: the same as the ``scaleway-partner`` command."""

from .audit.cli import run

if __name__ == "__main__":
    run()
