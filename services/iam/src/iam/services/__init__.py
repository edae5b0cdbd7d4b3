"""iam's use cases: each opens one unit of work, checks, writes and publishes."""
