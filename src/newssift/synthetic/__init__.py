"""The generator of the shipped synthetic sample corpus (a tool of its own: only the sample stage imports it)."""
