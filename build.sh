#!/usr/bin/env bash
# Bootstraps the Cake build: ./build.sh --target=Run | Test | Build | Stop-Db (see README.md).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
# NuGet.config lists this local feed; it must exist before the first restore (build.cake fills it).
mkdir -p .timebank/feed
dotnet tool restore >/dev/null
exec dotnet cake build.cake "$@"
