"""The documented errors of the service operations (seed 004 "Services"): 400s in seed 004's
envelope, rendered by the one exception handler of ``proximity.http.errors``."""

from __future__ import annotations

from proximity.errors import NotFound, ProximityError


class ServiceNotFound(NotFound):
    code = "eServiceNotFound"
    message = "The service could not be found / invalid ID."


class ServiceTypeNotFound(NotFound):
    code = "eServiceTypeNotFound"
    message = "Service type ID given could not be found."


class ServiceCategoryNotFound(NotFound):
    code = "eServiceCategoryNotFound"
    message = "Service category ID given could not be found."


SERVICE_WRITE_ERRORS: tuple[type[ProximityError], ...] = (ServiceTypeNotFound, ServiceCategoryNotFound)
