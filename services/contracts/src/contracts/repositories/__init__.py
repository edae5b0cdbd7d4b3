"""Tables of the contracts database and the queries over them."""
