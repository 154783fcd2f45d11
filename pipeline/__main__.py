import signal
import sys

from pipeline.cli import main


def _terminate(signum, frame):
    """Leave on SIGTERM as on Ctrl-C, through the cleanup of whatever is running (a build's staging folder, a
    release's unpacked copy), with the exit status a shell gives a terminated process."""
    raise SystemExit(128 + signum)


signal.signal(signal.SIGTERM, _terminate)
sys.exit(main())
