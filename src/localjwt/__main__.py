"""``python -m localjwt``: the same as the ``localjwt`` command."""

import sys

from .cli import main

sys.exit(main())
