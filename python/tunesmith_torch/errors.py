"""One error type for everything a user can fix: a wrong folder, a stale export, a
mismatched vocabulary. The message names the file and says what to do."""

import json
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


def read_json(path, remedy):
    """The JSON at `path`, or a TunesmithTorchError naming the file and `remedy`."""
    try:
        with open(path) as handle:
            return json.load(handle)
    except FileNotFoundError:
        raise TunesmithTorchError(f"{path}: missing; {remedy}") from None
    except (OSError, ValueError) as error:
        raise TunesmithTorchError(f"{path}: unreadable ({error}); {remedy}") from None
