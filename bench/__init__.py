"""Benchmarks (``make bench``): not tests; they print a table and write bench/results.json."""
