"""rimp_base.py: what every part of the importer shares."""


class Failure(Exception):
    """An error for the user: one line (`retort import: ...`), exit 1,
    nothing written."""


import os

# Where the user started: paths in messages are relative to it, though the
# importer moves to the folder of alembic.ini (Alembic resolves relative
# paths from there).
START_DIR = os.getcwd()


def shown(path):
    """A path as the user should read it in a message."""
    p = os.path.abspath(path)
    rel = os.path.relpath(p, START_DIR)
    return p if rel.startswith(".." + os.sep + "..") else rel
