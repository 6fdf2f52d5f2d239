"""Chinese full-text search for the built book: jieba, given the field's terms (:mod:`.user_dict`,
``search_terms.txt``), splitting each distinct string once per build (:mod:`.chinese`)."""
