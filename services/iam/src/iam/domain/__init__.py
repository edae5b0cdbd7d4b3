"""iam's rules, free of I/O."""
