"""Build: plan the outputs, skip the fresh ones by their cache keys (cache.py, manifest.py), and
run the stale ones through the stages (builder.py), in a pool of workers (workers.py), one
build at a time per project (lock.py)."""
