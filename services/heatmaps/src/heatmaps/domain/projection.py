"""Web-Mercator projection to the unit square, as supercluster computes it.

x = lng / 360 + 0.5; y from the Mercator formula, clamped to [0, 1] (0 at the north). The forward
functions are compiled (the build and the bbox of a query use them); the inverse is vectorised
numpy (run once per level when the index is built, never per query).
"""

import math

import numpy as np
import numpy.typing as npt
from numba import njit  # type: ignore[import-untyped]

FloatArray = npt.NDArray[np.float64]


@njit(cache=True)  # type: ignore[misc]
def lng_x(lng: float) -> float:
    return lng / 360.0 + 0.5


@njit(cache=True)  # type: ignore[misc]
def lat_y(lat: float) -> float:
    sin = math.sin(lat * math.pi / 180.0)
    y = 0.5 - 0.25 * math.log((1.0 + sin) / (1.0 - sin)) / math.pi
    if y < 0.0:
        return 0.0
    if y > 1.0:
        return 1.0
    return y


@njit(cache=True)  # type: ignore[misc]
def project(lng: FloatArray, lat: FloatArray) -> tuple[FloatArray, FloatArray]:
    """Projected coordinates rounded to float32 (supercluster's `Math.fround`), held as float64."""
    n = lng.shape[0]
    x = np.empty(n, np.float64)
    y = np.empty(n, np.float64)
    for i in range(n):
        x[i] = np.float32(lng_x(lng[i]))
        y[i] = np.float32(lat_y(lat[i]))
    return x, y


def unproject(x: FloatArray, y: FloatArray) -> tuple[FloatArray, FloatArray]:
    lng = (x - 0.5) * 360.0
    y2 = (180.0 - y * 360.0) * np.pi / 180.0
    lat = 360.0 * np.arctan(np.exp(y2)) / np.pi - 90.0
    return lng, lat
