"""The assets context: assets and their hierarchy, asset types, and (later) entities, industries,
dynamic fields, location search and documents."""
