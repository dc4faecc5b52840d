"""sqs-checks: pre-inspection data-quality checks for youth justice services.

The framework holds no checks of its own: the inspection catalog lives in the
first-party plugin ``sqs_hmip``, registered through the ``sqs_checks``
entry-point group exactly as a third-party plugin would be.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("sqs-checks")
except PackageNotFoundError:  # pragma: no cover - running from a source tree
    __version__ = "0.0.0"

__all__ = ["__version__"]
