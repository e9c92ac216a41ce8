"""Registry of targets: read, validate, write (indicators.md §7.5, architecture.md "Registry")."""

from xuncha.registry.reader import KIND_LABELS, STATUS_LABELS, Registry, load_registry, write_registry

__all__ = ["KIND_LABELS", "STATUS_LABELS", "Registry", "load_registry", "write_registry"]
