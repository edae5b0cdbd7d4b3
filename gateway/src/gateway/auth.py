"""Who is calling, at the edge: the client key's tenant always, the user's verified token
unless the route is public. The checks are the ones every service behind the gateway runs
again itself (``proximity.auth.caller``); only the spelling of the edge differs."""

from __future__ import annotations

from proximity.auth.caller import CallerGuard


class Authenticator(CallerGuard):
    """The pipeline resolves the key first (``client``), before routing and rate limiting, and
    hands it to ``user``."""

    # Clients send seed 000's credentials in ``Proxy-Authorization`` only; ``X-Client-Key``
    # is a key as sent. The gateway itself forwards credentials as ``X-Client-Key: Basic``.
    credentials_in_client_key = False
    service_caller_refusal = "Service tokens are not accepted from outside."
