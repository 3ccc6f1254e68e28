"""CM Planner: the headless core (never imports Qt)."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cmplanner")
except PackageNotFoundError:  # running from a source tree that was never installed
    __version__ = "0.0.0"

APP_ID = "org.cmplanner.CMPlanner"
APP_NAME = "CM Planner"
