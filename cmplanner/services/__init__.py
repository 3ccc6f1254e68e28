"""Use cases. Functions take a `Database`, return Read models or plain data, and every write
returns the `Changes` it made: `Changes` itself, or a result carrying them as `.changes`
(`cmplanner.bus.Written` when it also hands back an id or a snapshot). Services never
publish: whoever ran the write does (the UI's job runner)."""
