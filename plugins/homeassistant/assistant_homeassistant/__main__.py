import sys

from assistant_homeassistant.cli import main

sys.exit(main())
