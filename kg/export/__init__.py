"""Exporters: pure ``render_*`` functions return text; ``write_*`` put it on disk atomically."""
