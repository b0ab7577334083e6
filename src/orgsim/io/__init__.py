"""Files in and out: loading and validating timelines, checking quotes, converting, atomic writes, the cache."""
