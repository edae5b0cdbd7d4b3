"""The contracts context: contracts and their roles, services with their types and categories,
and every link binding a contract to assets, entities, parties and services."""
