import sys

from kafo.cli import main

sys.exit(main())
