"""The `cmplanner` command (main.py): one module a group of commands, and common.py for what
they share. Building the parser imports no service: each command loads what it uses when it
runs, so that `cmplanner --help` and every command start fast."""
