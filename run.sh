#!/usr/bin/env bash
# Builds (when needed) and starts the Tollgate proxy on http://127.0.0.1:8080/v1.
# With no GROQ_API_KEY it runs offline, in front of an embedded mock server serving fixtures/.
# Configuration comes from TOLLGATE_* environment variables (see README.md). The same as ./tollgate with no command.
set -euo pipefail
exec "$(dirname "$0")/tollgate" "$@"
