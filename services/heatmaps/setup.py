"""Builds the engine's C kernels (the rest of the package is configured in pyproject.toml)."""

import numpy
from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "heatmaps.domain._kernels",
            sources=["src/heatmaps/domain/_kernels.c"],
            include_dirs=[numpy.get_include()],
            # Each floating-point operation rounds on its own, as in JavaScript: no fused multiply-add.
            extra_compile_args=["-O3", "-ffp-contract=off", "-fno-fast-math", "-std=gnu99", "-pthread"],
            extra_link_args=["-pthread"],
        )
    ]
)
