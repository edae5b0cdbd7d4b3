"""iam's tables and the queries over them (every module may define tables: migrations/env.py)."""
