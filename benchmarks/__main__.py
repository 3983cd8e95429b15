"""``python -m benchmarks``: the same as ``invoke bench``."""

import sys

from benchmarks.run import main

sys.exit(main())
