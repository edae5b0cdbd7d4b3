"""HTTP entry points: thin, one module per resource."""
