#!/usr/bin/env bash
# The whole user journey on data the project makes itself, on a CPU:
#   environment -> generated motion videos -> teacher (TSM-ResNet18)
#   -> distilled student (TSM-MobileNetV2, `mim train mmrazor`)
#   -> student-only checkpoint -> `mim test mmaction` -> summary table.
# Results go to $WORK_DIR (default work_dirs/demo). Set EPOCHS to change the
# training length of teacher and student (default 20).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash tools/setup_env.sh
export PATH="$PWD/.venv/bin:$PATH"

WORK_DIR=${WORK_DIR:-work_dirs/demo}
EPOCHS=${EPOCHS:-20}
TEACHER_CFG=configs/recognition/tsm/tsm_r18_1x1x8_20e_motions-rgb.py
STUDENT_CFG=configs/recognition/tsm/tsm_mobilenetv2-w0.5_1x1x8_20e_motions-rgb.py
KD_CFG=configs/distill/logits_kd/kd-logits_tsm-r18_tsm-mobilenetv2-w0.5_20e_motions-rgb.py
SCHEDULE="train_cfg.max_epochs=$EPOCHS param_scheduler.0.T_max=$EPOCHS param_scheduler.0.end=$EPOCHS"

mkdir -p "$WORK_DIR"
last_checkpoint() { cat "$1/last_checkpoint"; }

echo "== 1/5 data: generated motion videos in data/motions"
python tools/data/make_motion_dataset.py --out-dir data/motions

echo "== 2/5 teacher: mim train mmaction $TEACHER_CFG"
mim train mmaction "$TEACHER_CFG" --gpus 0 --work-dir "$WORK_DIR/teacher" \
    --cfg-options $SCHEDULE > "$WORK_DIR.teacher.log" 2>&1 \
    || { tail -n 30 "$WORK_DIR.teacher.log"; exit 1; }
TEACHER_CKPT=$(last_checkpoint "$WORK_DIR/teacher")

echo "== 3/5 distillation: mim train mmrazor $KD_CFG"
mim train mmrazor "$KD_CFG" --gpus 0 --work-dir "$WORK_DIR/distill" \
    --cfg-options $SCHEDULE model.teacher_ckpt="$TEACHER_CKPT" \
    > "$WORK_DIR.distill.log" 2>&1 \
    || { tail -n 30 "$WORK_DIR.distill.log"; exit 1; }

echo "== 4/5 convert: student-only checkpoint"
python tools/convert_kd_ckpt_to_student.py \
    "$(last_checkpoint "$WORK_DIR/distill")" --out "$WORK_DIR/student.pth" \
    --verify "$STUDENT_CFG" --force 2>&1 | grep -v " - mmengine - \|UserWarning\|warnings.warn"

echo "== 5/5 test: mim test mmaction (student, then teacher)"
mim test mmaction "$STUDENT_CFG" --gpus 0 --checkpoint "$WORK_DIR/student.pth" \
    --work-dir "$WORK_DIR/test_student" > "$WORK_DIR.test.log" 2>&1 \
    || { tail -n 30 "$WORK_DIR.test.log"; exit 1; }
mim test mmaction "$TEACHER_CFG" --gpus 0 --checkpoint "$TEACHER_CKPT" \
    --work-dir "$WORK_DIR/test_teacher" >> "$WORK_DIR.test.log" 2>&1 \
    || { tail -n 30 "$WORK_DIR.test.log"; exit 1; }

python tools/analysis/summarize_models.py --out "$WORK_DIR/summary.json" \
    --model teacher "$TEACHER_CFG" "$WORK_DIR/test_teacher" \
    --model student "$STUDENT_CFG" "$WORK_DIR/test_student" \
    2>&1 | grep -v ' - mmengine - \|^$\|UserWarning\|warnings.warn'
