"""The contracts context's rules, free of HTTP and storage."""
