"""``python -m scaleway_partner ...``: the same as the ``scaleway-partner`` command."""

from .cli import run

if __name__ == "__main__":
    run()
