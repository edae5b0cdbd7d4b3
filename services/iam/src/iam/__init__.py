"""The iam context: features, groups of users, territories, features and operational groups,
datazones, and the effective permissions (tags and territory) they give each user."""
