#!/usr/bin/env bash
# The MSR Action3D skeleton benchmark: a teacher that sees more (by default
# an ensemble of three tiny ST-GCNs on joints, bones and motion) distilled
# into the tiny ST-GCN student on the 3D joints (cross-subject split),
# against the same student trained alone, seed by seed.
#
#   bash tools/analysis/run_msr_benchmark.sh [WORK_DIR]   (default work_dirs/benchmark_msr_action3d)
#
# Stages (each skipped when its result.json exists; an interrupted training
# resumes from its last epoch checkpoint):
#   1. teacher: TEACHER=joints-bones-motion, the full-size
#      ST-GCN on joints, bones and their motion
#      (configs/benchmark/msr_action3d/stgcn_msr-action3d-joints-bones-motion.py),
#      seed $TEACHER_SEED (default 100); TEACHER=joints, the same network on
#      the student's input (stgcn_msr-action3d-joints.py); or
#      TEACHER=ensemble-joints-bones-motion, three of the first trained with
#      seeds $MEMBER_SEEDS (default 100 101 102) alongside stage 2, averaged
#      into one checkpoint by build_ensemble_checkpoint.py and tested once;
#      or TEACHER=ensemble-tiny-ls0.1-joints-bones-motion (default, the
#      largest lead on the development folds), the same with tiny ST-GCN
#      members on that input trained with label smoothing 0.1
#      (stgcn-tiny-ls0.1_msr-action3d-joints-bones-motion.py).
#      A work dir holds one teacher. The defaults of TEACHER, METHODS,
#      BASELINES and BASELINE are the choices made on the development folds
#      (tools/analysis/msr_benchmark_choices.sh), so that the script without
#      them writes the benchmark's final table.
#   2. students without distillation, seeds $SEEDS (default 0 1 2 3 4),
#      and each variant of the student's recipe in $BASELINES (default
#      student-ls0.3 student-ls0.4; a variant B trains
#      $CFG/B_stgcn-tiny_msr-action3d-joints.py, e.g. student-ls0.1: label
#      smoothing 0.1) as runs WORK/B_seed<N>
#   3. distilled students, seeds $SEEDS, of each method in $METHODS (default
#      kd-kl-ls0.3; a method M distils with
#      $CFG/M_<teacher>_stgcn-tiny_msr-action3d-joints.py, e.g. kd-kl-t1:
#      kd-kl at temperature 1, for the ensemble teacher), runs
#      WORK/M_seed<N> beside the others
#   4. table: tools/analysis/benchmark_stats.py (paired differences with 95%
#      intervals, distillation ratio, the training top-1 of each run's final
#      model from tools/analysis/train_accuracy.py) in WORK/results.md,
#      against the runs
#      named $BASELINE (student or a variant of $BASELINES; default
#      student-ls0.4, chosen on the development folds, when BASELINES has
#      it, else student)
#   5. costs of student and teacher (benchmark_report.py costs), appended
#      (measured once: a rerun keeps WORK/costs.json)
# SPLIT=val (default) trains on the 5 training subjects and validates once,
# at the end, on the 5 test subjects: the reported split, for final models.
# SPLIT=dev trains on 4 training subjects and validates on the development
# subject (tools/data/make_msr_action3d_splits.py, $DEV_SUBJECT, default 5):
# the split every choice is made on (docs/benchmark_protocol.md). A work dir
# holds one split. EPOCHS overrides the configs' epochs; JOBS as in
# run_benchmark.sh (tools/analysis/benchmark_jobs.sh). DATA_ROOT:
# ../shared/data/msr_action3d.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash tools/setup_env.sh
export PATH="$PWD/.venv/bin:$PATH"

SPLIT=${SPLIT:-val}
case $SPLIT in
    val) WORK=${1:-work_dirs/benchmark_msr_action3d} ;;
    dev) WORK=${1:-work_dirs/benchmark_msr_action3d_dev} ;;
    *) echo "SPLIT=$SPLIT: use val (test subjects) or dev" >&2; exit 1 ;;
esac
CFG=configs/benchmark/msr_action3d
STUDENT_CFG=configs/recognition/skeleton/stgcn-tiny_msr-action3d-joints.py
source tools/analysis/msr_benchmark_choices.sh
# one sample's input (clips x persons x frames x joints x channels), for costs
STUDENT_SHAPE=1x1x32x20x3
TEACHER_SHAPE=1x1x32x20x12
case $TEACHER in
    joints) TEACHER_CFG=$CFG/stgcn_msr-action3d-joints.py
            KD_TEACHER=stgcn
            TEACHER_CKPT_KEY=model.teacher_ckpt
            TEACHER_SHAPE=$STUDENT_SHAPE ;;
    joints-bones-motion)
            TEACHER_CFG=$CFG/stgcn_msr-action3d-joints-bones-motion.py
            KD_TEACHER=stgcn-joints-bones-motion
            TEACHER_CKPT_KEY=model.teachers.teacher.ckpt ;;
    ensemble-joints-bones-motion)
            MEMBER_CFG=$CFG/stgcn_msr-action3d-joints-bones-motion.py
            TEACHER_CFG=$CFG/ensemble3_stgcn_msr-action3d-joints-bones-motion.py
            KD_TEACHER=ensemble3-stgcn-joints-bones-motion
            TEACHER_CKPT_KEY=model.teachers.teacher.ckpt ;;
    ensemble-tiny-ls0.1-joints-bones-motion)
            MEMBER_CFG=$CFG/stgcn-tiny-ls0.1_msr-action3d-joints-bones-motion.py
            TEACHER_CFG=$CFG/ensemble3_stgcn-tiny-ls0.1_msr-action3d-joints-bones-motion.py
            KD_TEACHER=ensemble3-stgcn-tiny-ls0.1-joints-bones-motion
            TEACHER_CKPT_KEY=model.teachers.teacher.ckpt ;;
    *) echo "TEACHER=$TEACHER: use joints, joints-bones-motion," \
            "ensemble-joints-bones-motion or" \
            "ensemble-tiny-ls0.1-joints-bones-motion" >&2; exit 1 ;;
esac
# kd_config METHOD: the config distilling TEACHER into the student by METHOD
kd_config() {
    echo "$CFG/${1}_${KD_TEACHER}_stgcn-tiny_msr-action3d-joints.py"
}
for method in $METHODS; do
    [ -f "$(kd_config "$method")" ] || { echo "METHODS: no config" \
        "$(kd_config "$method") for method '$method' with TEACHER=$TEACHER" >&2
        exit 1; }
done
# variant_config VARIANT: the config of a variant of the student's recipe
variant_config() {
    echo "$CFG/${1}_stgcn-tiny_msr-action3d-joints.py"
}
for variant in $BASELINES; do
    # benchmark_stats.py tells a student recipe from a method by the name
    case $variant in
        student-*) ;;
        *) echo "BASELINES: '$variant' is not named student-<variant>" >&2
           exit 1 ;;
    esac
    [ -f "$(variant_config "$variant")" ] || {
        echo "BASELINES: no config $(variant_config "$variant") for the" \
            "student variant '$variant'" >&2
        exit 1; }
done
# the tuned student when it trains here, else the student's default recipe
case " $BASELINES " in
    *" $TUNED_BASELINE "*) BASELINE=${BASELINE:-$TUNED_BASELINE} ;;
    *) BASELINE=${BASELINE:-student} ;;
esac
case " student $BASELINES " in
    *" $BASELINE "*) ;;
    *) echo "BASELINE=$BASELINE: use student or one of BASELINES" \
            "('$BASELINES')" >&2; exit 1 ;;
esac
DATA_ROOT=${DATA_ROOT:-../shared/data/msr_action3d}
SEEDS=${SEEDS:-0 1 2 3 4}
TEACHER_SEED=${TEACHER_SEED:-100}
MEMBER_SEEDS=${MEMBER_SEEDS:-100 101 102}
DEV_SUBJECT=${DEV_SUBJECT:-5}
mkdir -p "$WORK"
marker="$SPLIT"
[ "$SPLIT" = val ] || marker="dev subject $DEV_SUBJECT"
if [ -f "$WORK/split" ] && [ "$(cat "$WORK/split")" != "$marker" ]; then
    echo "$WORK holds runs of '$(cat "$WORK/split")'; this is '$marker':" \
        "use another work dir" >&2
    exit 1
fi
echo "$marker" > "$WORK/split"
# the distilled runs of a work dir all learn from its one teacher
if [ -f "$WORK/teacher_name" ] && [ "$(cat "$WORK/teacher_name")" != "$TEACHER" ]; then
    echo "$WORK holds runs with TEACHER=$(cat "$WORK/teacher_name"); this is" \
        "TEACHER=$TEACHER: use another work dir" >&2
    exit 1
fi
echo "$TEACHER" > "$WORK/teacher_name"
TRAIN_LIST=$DATA_ROOT/train_list.txt
VAL_LIST=$DATA_ROOT/test_list.txt
if [ "$SPLIT" = dev ]; then
    python tools/data/make_msr_action3d_splits.py "$DATA_ROOT" \
        --out-dir "$WORK/splits" --dev-subject "$DEV_SUBJECT"
    TRAIN_LIST=$WORK/splits/dev_train_list.txt
    VAL_LIST=$WORK/splits/dev_val_list.txt
fi
DATA=""
if [ "$SPLIT" = dev ]; then
    # held out, subject 9 brings the training list's all-zero sequence
    # (a13_s09_e02) into validation, which the training loader skips
    DATA="val_dataloader.dataset.skip_invalid=True
test_dataloader.dataset.skip_invalid=True"
fi
for loader in train val test; do
    list=$VAL_LIST
    [ "$loader" = train ] && list=$TRAIN_LIST
    DATA="$DATA ${loader}_dataloader.dataset.ann_file=$list
${loader}_dataloader.dataset.data_prefix.skeleton=$DATA_ROOT/skeletons"
done
# one validation, after the last epoch (the reported split is seen once)
n=${EPOCHS:-$(python -c "from mmengine.config import Config
print(Config.fromfile('$STUDENT_CFG').train_cfg.max_epochs)")}
SHORT="train_cfg.max_epochs=$n train_cfg.val_interval=$n
param_scheduler.0.T_max=$n param_scheduler.0.end=$n
default_hooks.checkpoint.max_keep_ckpts=1"
source tools/analysis/benchmark_jobs.sh

if [ -z "${MEMBER_CFG:-}" ]; then
    echo "== 1/5 teacher (seed $TEACHER_SEED)"
    spawn train teacher "$TEACHER_CFG" "$TEACHER_SEED"
else
    echo "== 1/5 teacher members (seeds $MEMBER_SEEDS)"
    for seed in $MEMBER_SEEDS; do
        spawn train "member_seed$seed" "$MEMBER_CFG" "$seed"
    done
fi
echo "== 2/5 students without distillation (seeds $SEEDS;" \
    "variants: ${BASELINES:-none}; $JOBS at once)"
for seed in $SEEDS; do
    spawn train "student_seed$seed" "$STUDENT_CFG" "$seed"
done
for variant in $BASELINES; do
    for seed in $SEEDS; do
        spawn train "${variant}_seed$seed" "$(variant_config "$variant")" \
            "$seed"
    done
done
drain
if [ -z "${MEMBER_CFG:-}" ]; then
    TEACHER_CKPT=$(last_ckpt teacher)
else
    echo "== 1/5 teacher: ensemble of members $MEMBER_SEEDS"
    TEACHER_CKPT=$WORK/teacher_ensemble.pth
    build_ensemble "$TEACHER_CFG" "$TEACHER_CKPT" $MEMBER_SEEDS
    test_model teacher "$TEACHER_CFG" "$TEACHER_CKPT"
fi
echo "== 3/5 distilled students ($METHODS, seeds $SEEDS)"
for method in $METHODS; do
    for seed in $SEEDS; do
        spawn train "${method}_seed$seed" "$(kd_config "$method")" "$seed" \
            "$TEACHER_CKPT_KEY=$TEACHER_CKPT"
    done
done
drain
echo "== 4/5 table: $WORK/results.md"
# each run's final model tested on its training list (train_accuracy.py):
# the table's training top-1 column
train_accuracy student $BASELINES $METHODS
# the distilled runs do not validate their teacher: the distillation ratio
# takes the teacher's top-1 from WORK/teacher/result.json
python tools/analysis/benchmark_stats.py "$WORK" --baseline "$BASELINE" \
    --methods student $BASELINES $METHODS --out "$WORK/results.md"
echo "== 5/5 costs: $WORK/costs.json (one sample, 1 thread, side by side)"
OMP_NUM_THREADS=1 python tools/analysis/benchmark_report.py costs \
    --model student "$STUDENT_CFG" "$STUDENT_SHAPE" \
    --model teacher "$TEACHER_CFG" "$TEACHER_SHAPE" \
    --out "$WORK/costs.json" --reuse --markdown "$WORK/results.md" \
    > "$WORK/costs.log" 2>&1
tail -n 4 "$WORK/costs.log"
