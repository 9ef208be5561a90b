"""Start script for the frozen bundle: the same entry point as the installed `cscdesk` command."""

import sys

from cscdesk.cli import main

if __name__ == "__main__":
    sys.exit(main())
