"""Request bodies the routes validate with and the views they render (and document)."""
