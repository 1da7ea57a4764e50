#!/usr/bin/env bash
# The whole user journey on data the project makes itself, on a CPU:
#   environment -> generated videos of fast moves -> teacher (TSM-ResNet18, all 16
#   frames) -> student alone (TSM-MobileNetV2 x0.5, every 2nd frame)
#   -> distilled student (same, `mim train mmrazor`) -> student-only
#   checkpoint -> `mim test mmaction` -> summary table.
# Results go to $WORK_DIR (default work_dirs/demo). EPOCHS sets the training
# length of all three (default 12), SEED the training seed (default 0; the
# data are the same for every seed).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/setup_env.sh
export PATH="$PWD/.venv/bin:$PATH"

WORK_DIR=${WORK_DIR:-work_dirs/demo}
EPOCHS=${EPOCHS:-12}
SEED=${SEED:-0}
TEACHER_CFG=configs/recognition/tsm/tsm_r18_1x1x16_12e_motion-fast-rgb.py
STUDENT_CFG=configs/recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_12e_motion-fast-rgb.py
KD_CFG=configs/distill/logits_kd/kd-logits_tsm-r18_tsm-mobilenetv2-w0.5_12e_motion-fast-rgb.py
OPTIONS="train_cfg.max_epochs=$EPOCHS param_scheduler.0.T_max=$EPOCHS param_scheduler.0.end=$EPOCHS randomness.seed=$SEED"

mkdir -p "$WORK_DIR"
last_checkpoint() { cat "$1/last_checkpoint"; }
# train TOOL CONFIG NAME [OPTIONS...]: mim train into $WORK_DIR/NAME
train() {
    local tool=$1 config=$2 name=$3
    shift 3
    mim train "$tool" "$config" --gpus 0 --work-dir "$WORK_DIR/$name" \
        --cfg-options $OPTIONS "$@" > "$WORK_DIR.$name.log" 2>&1 \
        || { tail -n 30 "$WORK_DIR.$name.log"; exit 1; }
}
# test CONFIG CHECKPOINT NAME: mim test into $WORK_DIR/test_NAME
test_model() {
    mim test mmaction "$1" --gpus 0 --checkpoint "$2" \
        --work-dir "$WORK_DIR/test_$3" >> "$WORK_DIR.test.log" 2>&1 \
        || { tail -n 30 "$WORK_DIR.test.log"; exit 1; }
}

echo "== 1/6 data: generated fast moves in data/motion_fast"
python tools/data/make_motion_dataset.py --task fast \
    --out-dir data/motion_fast --size 32 --num-train 30 --num-val 24

echo "== 2/6 teacher: mim train mmaction $TEACHER_CFG"
train mmaction "$TEACHER_CFG" teacher
TEACHER_CKPT=$(last_checkpoint "$WORK_DIR/teacher")

echo "== 3/6 student alone: mim train mmaction $STUDENT_CFG"
train mmaction "$STUDENT_CFG" alone

echo "== 4/6 distillation: mim train mmrazor $KD_CFG"
train mmrazor "$KD_CFG" distill model.teachers.teacher.ckpt="$TEACHER_CKPT"

echo "== 5/6 convert: student-only checkpoint"
python tools/convert_kd_ckpt_to_student.py \
    "$(last_checkpoint "$WORK_DIR/distill")" --out "$WORK_DIR/student.pth" \
    --verify "$STUDENT_CFG" --force 2>&1 | grep -v " - mmengine - \|UserWarning\|warnings.warn"

echo "== 6/6 test: mim test mmaction (distilled student, student alone, teacher)"
: > "$WORK_DIR.test.log"
test_model "$STUDENT_CFG" "$WORK_DIR/student.pth" distilled
test_model "$STUDENT_CFG" "$(last_checkpoint "$WORK_DIR/alone")" alone
test_model "$TEACHER_CFG" "$TEACHER_CKPT" teacher

python tools/analysis/summarize_models.py --out "$WORK_DIR/summary.json" \
    --model teacher "$TEACHER_CFG" "$WORK_DIR/test_teacher" \
    --model alone "$STUDENT_CFG" "$WORK_DIR/test_alone" \
    --model distilled "$STUDENT_CFG" "$WORK_DIR/test_distilled" \
    2>&1 | grep -v ' - mmengine - \|^$\|UserWarning\|warnings.warn'
