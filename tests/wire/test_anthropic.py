#!/usr/bin/env python3
"""Wire tests: tolk -p against the fake anthropic API, every scenario (TAP)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import apicases  # noqa: E402

sys.exit(apicases.main("anthropic"))
