#!/usr/bin/env bash
# Train on a Slurm cluster, one task per GPU (or per CPU process):
#   bash tools/slurm_train.sh PARTITION JOB_NAME CONFIG WORK_DIR [train.py arguments]
# GPUS (tasks, default 8), GPUS_PER_NODE (default 8), CPUS_PER_TASK
# (default 5) and SRUN_ARGS are read from the environment; GPUS_PER_NODE=0
# requests no GPUs (CPU nodes, gloo backend).
set -x
PARTITION=$1
JOB_NAME=$2
CONFIG=$3
WORK_DIR=$4
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
    python -u "$(dirname "$0")/train.py" "$CONFIG" --work-dir="$WORK_DIR" \
    --launcher="slurm" "${@:5}"
