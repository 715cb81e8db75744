"""Fetches the URL given as argument and prints the body: the HTTP client of the sandbox tests
where curl is missing. A failed connect prints the OSError on stderr and exits 7, as curl does."""

import sys
import urllib.error
import urllib.request

try:
    with urllib.request.urlopen(sys.argv[1], timeout=10) as response:
        sys.stdout.write(response.read().decode())
except urllib.error.URLError as e:
    print("fetch:", e.reason, file=sys.stderr)
    sys.exit(7)
