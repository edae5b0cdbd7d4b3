"""What assets publishes (``published``) and consumes (``consumed``, ``consumers``)."""
