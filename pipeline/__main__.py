import sys

from pipeline.cli import main

sys.exit(main(owns_process=True))
