"""refs.bib as data: read it, check it against its schema, write it in canonical form, export it,
add papers from arXiv, and the topic registry and notes its fields refer to.

Nothing here imports Sphinx or docutils (``python -m llmkb check | fmt | export | add`` need neither),
nor the build pieces in :mod:`llmkb.sphinx_ext`: the build reads this layer, never the reverse.
"""
