import sys

from newssift.cli import main

sys.exit(main())
