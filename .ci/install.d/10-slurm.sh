#!/usr/bin/env bash
# Slurm for the sweep's job-array integration test (cmd/copsim,
# TestSlurmJobArray): munge, slurmctld, slurmd and the client commands from
# Debian's packages. The test starts its own single-node cluster under a
# temporary folder; nothing here starts a daemon.
set -euo pipefail
need=()
command -v munged >/dev/null || need+=(munge)
command -v slurmctld >/dev/null || need+=(slurmctld)
command -v slurmd >/dev/null || need+=(slurmd)
command -v sbatch >/dev/null || need+=(slurm-client)
if [ ${#need[@]} -eq 0 ]; then
  echo "slurm: already installed"
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -q
$SUDO apt-get install -y -q --no-install-recommends "${need[@]}"
