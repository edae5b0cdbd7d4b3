"""Proximity heatmaps context: heatmap configurations and the clustering engine behind their queries."""
