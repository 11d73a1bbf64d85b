#!/usr/bin/env bash
# Bootstraps the Cake build: ./build.sh --target=Run | Test | Build | Stop-Db (see README.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
dotnet tool restore >/dev/null
exec dotnet cake build.cake "$@"
