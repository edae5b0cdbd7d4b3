"""Location search: the keyword query language and the search over bounds."""
