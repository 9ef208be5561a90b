"""`python -m cscdesk` runs the same entry point as the `cscdesk` command."""

import sys

from cscdesk.cli import main

sys.exit(main())
