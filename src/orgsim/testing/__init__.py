"""Tools for testing and benchmarking orgsim and tools built on it: synthetic timelines."""
