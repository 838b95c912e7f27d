"""The project's speed and memory benchmark: `python -m bench` (see README, "Benchmark")."""
