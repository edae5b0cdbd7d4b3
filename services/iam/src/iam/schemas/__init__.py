"""iam's request and response bodies (pydantic), as seed 004 documents them."""
