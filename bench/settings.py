"""Production settings, with the benchmark's baseline endpoint added (bench/urls.py)."""

from archive.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
