#!/usr/bin/env bash
# Test on a Slurm cluster:
#   bash tools/slurm_test.sh PARTITION JOB_NAME CONFIG CHECKPOINT [test.py arguments]
# GPUS, GPUS_PER_NODE, CPUS_PER_TASK, SRUN_ARGS as in slurm_train.sh.
set -x
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
CHECKPOINT=$4
GPUS=${GPUS:-8}
GPUS_PER_NODE=${GPUS_PER_NODE:-8}
CPUS_PER_TASK=${CPUS_PER_TASK:-5}
SRUN_ARGS=${SRUN_ARGS:-""}
TASKS_PER_NODE=${TASKS_PER_NODE:-$([ "$GPUS_PER_NODE" -gt 0 ] && echo "$GPUS_PER_NODE" || echo "$GPUS")}
GRES=$([ "$GPUS_PER_NODE" -gt 0 ] && echo "--gres=gpu:$GPUS_PER_NODE" || echo "")

PYTHONPATH="$(dirname "$0")/..":${PYTHONPATH:-} \
srun -p "$PARTITION" \
    --job-name="$JOB_NAME" \
    $GRES \
    --ntasks="$GPUS" \
    --ntasks-per-node="$TASKS_PER_NODE" \
    --cpus-per-task="$CPUS_PER_TASK" \
    --kill-on-bad-exit=1 \
    $SRUN_ARGS \
    python -u "$(dirname "$0")/test.py" "$CONFIG" "$CHECKPOINT" \
    --launcher="slurm" "${@:5}"
