"""The Communities section: the list, the community editor and the promises made."""
