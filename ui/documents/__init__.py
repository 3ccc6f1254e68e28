"""Previews of the printable documents."""
