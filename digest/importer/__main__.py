import sys

from digest.importer.cli import main

sys.exit(main())
