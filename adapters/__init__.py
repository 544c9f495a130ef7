"""Source-system adapters: one package per source, each implementing :class:`adapters.base.SourceAdapter`."""
