"""One error type for everything a user can fix: a wrong folder, a stale export, a
mismatched vocabulary. The message names the file and says what to do."""

import sys


class TunesmithTorchError(Exception):
    pass


def run_main(main):
    """Runs a command's main, printing a TunesmithTorchError as one line and exiting 1."""
    try:
        main()
    except TunesmithTorchError as error:
        print(f"tunesmith_torch: {error}", file=sys.stderr)
        sys.exit(1)
