#!/usr/bin/env bash
# A single-node Slurm cluster on localhost, for the Slurm tests:
#   bash tools/ci/slurm_cluster.sh install   # Debian's slurm-wlm and munge (root)
#   bash tools/ci/slurm_cluster.sh start     # munged + slurmctld + slurmd
#   bash tools/ci/slurm_cluster.sh stop
# The configuration goes to /etc/slurm/slurm.conf; state and logs to
# ${SLURM_CI_DIR:-/tmp/slurm-ci}.
set -euo pipefail
DIR=${SLURM_CI_DIR:-/tmp/slurm-ci}
HOST=$(hostname -s)
CPUS=$(nproc)

install() {
    command -v slurmctld >/dev/null && command -v munged >/dev/null && return
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge \
        >/dev/null
}

configure() {
    mkdir -p "$DIR/state" "$DIR/spool" /etc/slurm /run/munge /var/log/munge
    cat > /etc/slurm/slurm.conf <<CONF
ClusterName=ci
SlurmctldHost=$HOST
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
StateSaveLocation=$DIR/state
SlurmdSpoolDir=$DIR/spool
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
NodeName=$HOST CPUs=$CPUS State=UNKNOWN
PartitionName=debug Nodes=ALL Default=YES MaxTime=INFINITE State=UP
CONF
    [ -s /etc/munge/munge.key ] || {
        mkdir -p /etc/munge
        dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 2>/dev/null
    }
    chmod 400 /etc/munge/munge.key
}

start() {
    install
    configure
    pgrep -x munged >/dev/null || munged --force
    pgrep -x slurmctld >/dev/null || slurmctld
    pgrep -x slurmd >/dev/null || slurmd
    for _ in $(seq 60); do
        if sinfo -h -o '%T' 2>/dev/null | grep -qE '^(idle|mixed)'; then
            sinfo
            return 0
        fi
        sleep 1
    done
    echo "slurm did not become ready; logs in $DIR" >&2
    tail -n 20 "$DIR"/*.log >&2 || true
    return 1
}

stop() {
    pkill -x slurmd || true
    pkill -x slurmctld || true
    pkill -x munged || true
}

"$1"
