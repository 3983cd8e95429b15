"""``python -m digest.bench``: the same as ``invoke bench``."""

import sys

from digest.bench.run import main

sys.exit(main())
