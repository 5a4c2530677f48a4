"""The version, in one place: packaging reads it (pyproject's dynamic version) and so does the package."""

__version__ = "0.1.0"
