"""partnergraph benchmarks (see README.md); run with ``python -m benchmarks.run``."""
