"""Errors that are the user's to fix. The CLI prints them as one clear line, never as a traceback."""


class NewssiftError(Exception):
    """Base class: a problem with the user's input, params or model files."""


class ConfigError(NewssiftError):
    """params.yaml is missing, malformed, or has unknown keys or wrong types."""


class DataError(NewssiftError):
    """An input corpus cannot be read or cannot be used (e.g. too few examples to split)."""


class ModelLoadError(NewssiftError):
    """A model folder is missing files, is for another task or family, or fails its checksums."""
