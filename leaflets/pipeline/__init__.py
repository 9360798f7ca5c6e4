"""The pipeline: plan the outputs, skip the fresh ones by their cache keys (cache.py, manifest.py), and
run the stale ones (builder.py) through the stages, one function for every PDF (stages.py), in
a pool of workers (workers.py), one build at a time per project (lock.py)."""
