import sys

from techmarket.cli import main

sys.exit(main())
