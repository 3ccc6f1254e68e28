"""The home screen: cards, charts, lists and what their buttons do."""
