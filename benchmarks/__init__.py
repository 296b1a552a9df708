"""`make bench`: each module of this package is one part; `python -m benchmarks [part ...]`."""
