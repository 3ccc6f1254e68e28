"""How a person's name is shown (kept apart from the tables: cheap to import)."""


def display_name(given: str, family: str, nickname: str = "") -> str:
    name = f"{given} {family}".strip()
    return name or nickname or "?"
