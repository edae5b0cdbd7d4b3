"""Reading one sample out of a ``/metrics`` answer, for tests."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families


def sample_value(metrics: str, name: str, **labels: str) -> float | None:
    """The value of the sample ``name`` with exactly ``labels``; None if there is none."""
    for family in text_string_to_metric_families(metrics):
        for sample in family.samples:
            if sample.name == name and sample.labels == labels:
                return float(sample.value)
    return None
