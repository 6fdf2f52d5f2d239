"""Citing the book's papers in the forms readers' tools take: BibTeX, RIS, CSL-JSON, GB/T 7714, APA.

CSL-JSON is the hub (:mod:`.csl` builds one item per paper); RIS (:mod:`.ris`) is read from the
same facts, and the formatted references (:mod:`.render`) come from a CSL processor run over the
CSL-JSON items with the official styles, so every format says the same thing about a paper.
:mod:`.kinds` decides once what a paper is (conference, journal, preprint, report).
"""
