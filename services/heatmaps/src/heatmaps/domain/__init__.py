"""Rules of heatmaps with no I/O: the clustering engine (`cluster_index`) and its compiled kernels."""
