"""Who may do what where: grants (``grants``), datazone membership (``territory``), the replicas
of iam's grants and datazones (``replica``) and the request path (``caller``). ``grants``,
``datazones`` and ``territory`` are pure; the rest reads and writes the service's database.
See docs/decisions.md, "Territories and grants in every service"."""
