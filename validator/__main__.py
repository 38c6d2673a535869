"""Run the tiercheck command line as `python -m validator`."""

from .cli import main

raise SystemExit(main())
