#!/usr/bin/env bash
# Starts a published TimeBank the way timebank@.service does, where systemd is absent (a container, a test):
# the unit's WorkingDirectory, EnvironmentFile, Environment= lines and ExecStart, read from the unit file itself,
# with /opt/timebank replaced by the published folder and /etc/timebank/timebank.env by the given file.
#   deploy/run-as-unit.sh <published folder> <environment file> <port> [unit file]
set -euo pipefail
published="$(cd "$1" && pwd)"
env_file="$2"
port="$3"
unit="${4:-$(dirname "${BASH_SOURCE[0]}")/timebank@.service}"

value() { sed -n "s/^$1=//p" "$unit" | head -1; }
exec_start="$(value ExecStart)"
working_directory="$(value WorkingDirectory)"
[ -n "$exec_start" ] && [ -n "$working_directory" ] || { echo "$unit has no ExecStart or WorkingDirectory" >&2; exit 1; }

# The unit's own Environment= lines, then the environment file (as systemd reads them: KEY=value, # comments).
while IFS= read -r line; do export "${line#Environment=}"; done < <(grep '^Environment=' "$unit")
while IFS= read -r line; do
  case "$line" in ''|'#'*) continue ;; esac
  export "$line"
done < "$env_file"

command="${exec_start//\/opt\/timebank/$published}"
command="${command//%i/$port}"
# The unit names Microsoft's package location of dotnet; where it lives elsewhere, the one on PATH runs instead.
if [ ! -x "${command%% *}" ]; then command="$(command -v dotnet) ${command#* }"; fi
cd "${working_directory//\/opt\/timebank/$published}"
# exec: the service is this process, so a SIGTERM to it reaches the service as systemd's would.
# shellcheck disable=SC2086
exec $command
