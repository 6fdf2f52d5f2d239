"""llmkb: a knowledge base of LLM research, and the Sphinx extension that builds it."""

__version__ = "0.1.0"


def setup(app):
    """Sphinx entry point: ``extensions = ["llmkb"]``."""
    from .sphinx_ext.extension import setup as _setup

    return _setup(app)
