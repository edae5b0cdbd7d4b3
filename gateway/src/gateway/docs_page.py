"""``/docs``: Swagger UI over the gateway's ``/openapi.json``, served from the installed
``swagger-ui-bundle`` package (no CDN: the page works on a network that reaches only us)."""

from __future__ import annotations

from pathlib import Path

import swagger_ui_bundle
from starlette.requests import Request
from starlette.responses import FileResponse, Response

from proximity.errors import RouteNotFound

BUNDLE = Path(swagger_ui_bundle.swagger_ui_path)
# Only the files the page loads; nothing else of the package (source maps, templates) is served.
ASSETS = {
    "swagger-ui.css": "text/css",
    "swagger-ui-bundle.js": "text/javascript",
    "swagger-ui-standalone-preset.js": "text/javascript",
    "favicon-32x32.png": "image/png",
    "favicon-16x16.png": "image/png",
}
# Scripts from this origin only, so the page runs under a strict Content-Security-Policy.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Cache-Control": "no-cache",
}

PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="UTF-8">
    <title>Proximity API</title>
    <link rel="stylesheet" type="text/css" href="/docs/swagger-ui.css">
    <link rel="icon" type="image/png" href="/docs/favicon-32x32.png" sizes="32x32">
  </head>
  <body>
    <div id="swagger-ui"></div>
    <script src="/docs/swagger-ui-bundle.js"></script>
    <script src="/docs/swagger-ui-standalone-preset.js"></script>
    <script src="/docs/initializer.js"></script>
  </body>
</html>
"""

INITIALIZER = """window.onload = function () {
  window.ui = SwaggerUIBundle({
    url: "/openapi.json",
    dom_id: "#swagger-ui",
    deepLinking: true,
    persistAuthorization: true,
    presets: [SwaggerUIBundle.presets.apis, SwaggerUIStandalonePreset],
    layout: "StandaloneLayout",
  });
};
"""


def page() -> Response:
    return Response(PAGE, media_type="text/html", headers=SECURITY_HEADERS)


def asset(request: Request) -> Response:
    name = request.path_params["file"]
    if name == "initializer.js":
        return Response(INITIALIZER, media_type="text/javascript", headers=SECURITY_HEADERS)
    media_type = ASSETS.get(name)
    if media_type is None:
        raise RouteNotFound()
    return FileResponse(
        BUNDLE / name, media_type=media_type, headers={"Cache-Control": "public, max-age=86400"}
    )
