"""Tables and tenant-scoped queries; migrations are built from the tables of these modules."""
