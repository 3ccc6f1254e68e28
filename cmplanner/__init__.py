"""CM Planner: the headless core (never imports Qt)."""

# Kept in step with pyproject.toml by a test; importlib.metadata would cost a cold start.
__version__ = "0.1.0"

APP_ID = "org.cmplanner.CMPlanner"
APP_NAME = "CM Planner"
