#!/usr/bin/env bash
# The AVLetters distillation benchmark behind the results table of docs/benchmark.md.
#
#   bash tools/analysis/run_benchmark.sh [WORK_DIR]   (default work_dirs/benchmark_avletters)
#
# Stages (each skipped when its result.json exists; an interrupted training
# run resumes from its last epoch checkpoint):
#   1. teacher members: the student recipe with seeds $MEMBER_SEEDS; and,
#      if a method is named *-single, the single-network teacher
#      ($SINGLE_TEACHER_CFG: more frames and pixels, seed: the first member
#      seed), whose methods distil from it instead of the ensemble
#   2. teacher: the members' ensemble (one checkpoint), tested on 8 and 16 frames
#   3. students without distillation, seeds $SEEDS (alongside stage 1)
#   4. one distilled student per method in $METHODS and seed in $SEEDS
#      (a method named *-stored trains offline: before its first training,
#      tools/precompute_teacher_outputs.py stores the teacher's outputs for
#      its fixed views once, in $WORK/teacher_store/METHOD)
#   5. report: results table (Markdown + JSON), plots (PNG), model costs,
#      the training top-1 of each run's final model (train_accuracy.py)
# Data: ../shared/data/avletters (set DATA_ROOT for another copy).
# Development split (SPLIT=dev): stages 3 and 4 train every candidate of
# configs/benchmark/avletters/dev_candidates.yml instead (student recipes,
# then each method's parameters on the chosen recipe; runs KIND@NAME_seedN),
# and record the best of each in $WORK/choices.json (CANDIDATES=FILE for
# another list); the list's single-network teacher candidates (if any) train
# beside the student recipes (runs teacher@NAME_seedN); a candidate whose
# config is a distillation config learns from the ensemble teacher of stage
# 2 (so it needs METHODS, whose members train first). CHOICES=DEV_WORK_DIR
# makes a SPLIT=val run use those choices (METHODS=best: only the method
# ranked first there); with SPLIT=dev, CHOICES=DIR takes the student recipe chosen there
# (e.g. over folds by tools/analysis/run_dev_folds.sh) instead of trying the
# recipes, and tunes the methods on it.
# RECIPE=NAME (SPLIT=val, without CHOICES) takes student recipe NAME of the
# candidates list, e.g. the one chosen over the folds, for every training
# (methods keep their configs' parameters: not tuned). With CHOICES or
# RECIPE the teacher members train with that recipe too. With RECIPE,
# PARAMS="METHOD=NAME ..." gives a method candidate NAME of the list (e.g.
# the one chosen over the folds, to rerun the final table on a machine that
# lacks the folds' work dirs).
# SPLIT=val (default) trains on the 5 training speakers and validates on the
# 2 validation speakers: the reported split, for final models only.
# SPLIT=dev trains on 4 training speakers and validates on the development
# speaker (tools/data/make_avletters_splits.py, $DEV_SPEAKER, default Bill):
# the split every choice is made on (docs/benchmark_protocol.md); for
# leave-one-speaker-out folds, one work dir per DEV_SPEAKER. A work dir
# holds one split (default work_dirs/benchmark_avletters, or
# work_dirs/benchmark_avletters_dev for SPLIT=dev).
# EPOCHS overrides the configs' (and candidates') training epochs (e.g. EPOCHS=1 to try the
# script quickly; such results are not the benchmark's).
# VAL_INTERVAL=N validates every N epochs (final runs: accuracy against
# epochs, tools/analysis/accuracy_vs_epochs.py, written beside the table);
# it does not change what a run trains (EpochSeedHook re-seeds each epoch).
# JOBS trainings run at once (default: the number of CPU cores, at most 4,
# or 1 with a GPU), each with cores / JOBS threads: these small models use
# two cores better as two one-thread runs than as one two-thread run. The
# thread count changes a run's arithmetic and so its result: an interrupted
# run resumes only with the same count, and the report refuses a work dir
# whose trainings ran with different counts.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
bash tools/setup_env.sh
export PATH="$PWD/.venv/bin:$PATH"

SPLIT=${SPLIT:-val}
case $SPLIT in
    val) WORK=${1:-work_dirs/benchmark_avletters} ;;
    dev) WORK=${1:-work_dirs/benchmark_avletters_dev} ;;
    *) echo "SPLIT=$SPLIT: use val (reported speakers) or dev" >&2; exit 1 ;;
esac
if [ -n "${RECIPE:-}" ] && { [ "$SPLIT" = dev ] || [ -n "${CHOICES:-}" ]; }; then
    echo "RECIPE is for final runs (SPLIT=val) without CHOICES" >&2
    exit 1
fi
PARAMS=${PARAMS:-}
if [ -n "$PARAMS" ] && [ -z "${RECIPE:-}" ]; then
    echo "PARAMS=\"$PARAMS\" needs RECIPE (final runs without CHOICES)" >&2
    exit 1
fi
CFG=configs/benchmark/avletters
DATA_ROOT=${DATA_ROOT:-../shared/data/avletters}
SEEDS=${SEEDS:-0 1 2}
MEMBER_SEEDS=${MEMBER_SEEDS:-100 101 102}
# (METHODS="" with SPLIT=dev: the student recipes only, no teacher)
METHODS=${METHODS-kd-kl kd-dist feat-mse mm-var trd fewer-frames kd-kl-dist-trd}
if [ -z "$METHODS" ] && [ "$SPLIT" = val ]; then
    echo "METHODS is empty: the final runs need at least one method" >&2
    exit 1
fi
STUDENT_CFG=$CFG/tsm_mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py
TEACHER_CFG=$CFG/ensemble3_tsm-mobilenetv2-w0.5_1x1x8_48px_avletters-rgb.py
SINGLE_TEACHER_CFG=$CFG/tsm_mobilenetv2-w0.5_1x1x16_72px_avletters-rgb.py
# the tag that ends the name of every method's config (the student it
# distils into): configs/benchmark/avletters/METHOD_<teacher>_$STUDENT_TAG.py
STUDENT_TAG=tsm-mobilenetv2-w0.5_1x1x8_48px_avletters-rgb
TEACHER_CKPT=""  # the ensemble's checkpoint, once stage 2 built it
mkdir -p "$WORK"
if [ -f "$WORK/split" ] && [ "$(cat "$WORK/split")" != "$SPLIT" ]; then
    echo "$WORK holds SPLIT=$(cat "$WORK/split") runs; this is SPLIT=$SPLIT:" \
        "use another work dir" >&2
    exit 1
fi
DEV_SPEAKER=${DEV_SPEAKER:-Bill}
if [ "$SPLIT" = dev ] && [ -f "$WORK/dev_speaker" ] \
        && [ "$(cat "$WORK/dev_speaker")" != "$DEV_SPEAKER" ]; then
    echo "$WORK holds runs validated on $(cat "$WORK/dev_speaker"); this is" \
        "DEV_SPEAKER=$DEV_SPEAKER: use one work dir per development speaker" >&2
    exit 1
fi
echo "$SPLIT" > "$WORK/split"
TRAIN_LIST=$DATA_ROOT/train_list.txt
VAL_LIST=$DATA_ROOT/val_list.txt
if [ "$SPLIT" = dev ]; then
    echo "$DEV_SPEAKER" > "$WORK/dev_speaker"
    python tools/data/make_avletters_splits.py "$DATA_ROOT" \
        --out-dir "$WORK/splits" --dev-speaker "$DEV_SPEAKER"
    TRAIN_LIST=$WORK/splits/dev_train_list.txt
    VAL_LIST=$WORK/splits/dev_val_list.txt
fi
DATA="train_dataloader.dataset.ann_file=$TRAIN_LIST
train_dataloader.dataset.data_prefix.video=$DATA_ROOT/videos
val_dataloader.dataset.ann_file=$VAL_LIST
val_dataloader.dataset.data_prefix.video=$DATA_ROOT/videos
test_dataloader.dataset.ann_file=$VAL_LIST
test_dataloader.dataset.data_prefix.video=$DATA_ROOT/videos"
SHORT=""  # after a candidate's options, so that EPOCHS wins
if [ -n "${EPOCHS:-}" ]; then
    SHORT="train_cfg.max_epochs=$EPOCHS train_cfg.val_interval=$EPOCHS
param_scheduler.0.T_max=$EPOCHS param_scheduler.0.end=$EPOCHS"
fi
if [ -n "${VAL_INTERVAL:-}" ]; then
    SHORT="$SHORT train_cfg.val_interval=$VAL_INTERVAL"
fi

source tools/analysis/benchmark_jobs.sh

# candidates (tools/analysis/benchmark_candidates.py): a method named
# *-stored shares the candidates of its online version
candidates() {
    python tools/analysis/benchmark_candidates.py \
        --candidates "${CANDIDATES:-$CFG/dev_candidates.yml}" "$@"
}
kind_of() { echo "${1%-stored}"; }
# method_config METHOD: the one config of METHOD, which distils into the
# benchmark student; exits naming the method if there is none or several
method_config() {
    local found=("$CFG"/"$1"_*_"$STUDENT_TAG".py)
    [ -f "${found[0]}" ] || found=()  # the pattern itself: no match
    if [ ${#found[@]} != 1 ]; then
        echo "method $1: expected one config $CFG/$1_*_$STUDENT_TAG.py," \
            "found ${#found[@]}${found[*]:+: ${found[*]}}" >&2
        exit 1
    fi
    echo "${found[0]}"
}
# teacher_ckpt_option CONFIG CKPT: the --cfg-option that loads checkpoint
# CKPT into the teacher of distillation config CONFIG (model.teacher_ckpt,
# or model.teachers.teacher.ckpt for a MultiTeacherDistill); nothing for a
# config that distils nothing
teacher_ckpt_option() {
    python -c "import sys; from mmengine.config import Config
model = Config.fromfile(sys.argv[1], import_custom_modules=False).model
key = ('model.teachers.teacher.ckpt' if 'teachers' in model else
       'model.teacher_ckpt' if 'teacher_ckpt' in model else '')
print(f'{key}={sys.argv[2]}' if key else '')" "$1" "$2"
}
# METHODS=best (final runs with CHOICES): the method ranked first there
if [ "$METHODS" = best ]; then
    if [ "$SPLIT" != val ] || [ -z "${CHOICES:-}" ]; then
        echo "METHODS=best is for final runs (SPLIT=val) with CHOICES=<the" \
            "development work dir that ranked the methods>" >&2
        exit 1
    fi
    METHODS=$(candidates ranking "$CHOICES")
    METHODS=${METHODS%% *}
    [ -n "$METHODS" ] || { echo "$CHOICES ranks no method" >&2; exit 1; }
    echo "best method in $CHOICES: $METHODS"
fi
for method in $METHODS; do  # a misspelt method stops here, not in stage 4
    method_config "$method" > /dev/null
done
# chosen CONFIG METHOD: cfg-options of the recipe (and method parameters)
# chosen in $CHOICES (a SPLIT=dev work dir), or of student recipe $RECIPE
# (method parameters: PARAMS's candidate, else as in CONFIG), or none (the
# configs as they are)
chosen() {
    if [ -n "${CHOICES:-}" ]; then
        candidates chosen "$1" "$CHOICES" "$(kind_of "$2")"
    elif [ -n "${RECIPE:-}" ]; then
        local kind param
        kind=$(kind_of "$2")
        param=$(param_of "$kind")
        if [ -n "$param" ]; then
            candidates options "$1" "$kind" "$param" --recipe "$RECIPE"
        else
            candidates options "$1" student "$RECIPE"
        fi
    fi
}
# param_of KIND: the candidate PARAMS names for KIND (KIND=NAME), if any
param_of() {
    local pair
    for pair in $PARAMS; do
        [ "${pair%%=*}" != "$1" ] || { echo "${pair#*=}"; return; }
    done
}
for pair in $PARAMS; do  # a PARAMS entry stops here too: a method of
    method=""            # METHODS whose candidate is in the list
    for m in $METHODS; do
        [ "$(kind_of "$m")" != "${pair%%=*}" ] || method=$m
    done
    if [ -z "$method" ]; then
        echo "PARAMS: $pair names no method of METHODS=\"$METHODS\"" >&2
        exit 1
    fi
    chosen "$(method_config "$method")" "$method" > /dev/null
done
# the teacher members' recipe: the chosen (or RECIPE) student recipe; on the
# development split without CHOICES, the config as it is
if [ "$SPLIT" = val ] || [ -n "${CHOICES:-}" ]; then
    member_opts=$(chosen "$STUDENT_CFG" student)
    [ -z "$member_opts" ] || echo "student recipe: $member_opts"
else
    member_opts=""
fi

if [ -n "$METHODS" ]; then  # the teacher, for the methods
echo "== 1/5 teacher members (seeds $MEMBER_SEEDS; $JOBS at once)"
SINGLE=$(for method in $METHODS; do case $method in *-single) echo "$method" ;; esac; done)
if [ -n "$SINGLE" ]; then  # the longest run first
    spawn train single_teacher "$SINGLE_TEACHER_CFG" "${MEMBER_SEEDS%% *}"
fi
for seed in $MEMBER_SEEDS; do
    spawn train "member_seed$seed" "$STUDENT_CFG" "$seed" $member_opts
done
if [ "$SPLIT" = val ]; then  # they need no teacher: alongside the members
    echo "== 3/5 students without distillation (seeds $SEEDS)"
    for seed in $SEEDS; do
        spawn train "student_seed$seed" "$STUDENT_CFG" "$seed" $member_opts
    done
fi
drain

echo "== 2/5 teacher: ensemble of $(echo $MEMBER_SEEDS | wc -w) members"
TEACHER_CKPT=$WORK/teacher_ensemble.pth
build_ensemble "$TEACHER_CFG" "$TEACHER_CKPT" $MEMBER_SEEDS
test_model teacher_8frames "$TEACHER_CFG" "$TEACHER_CKPT"
test_model teacher_16frames "$TEACHER_CFG" "$TEACHER_CKPT" \
    test_dataloader.dataset.pipeline.1.twice_sample=True
[ -z "$SINGLE" ] || SINGLE_CKPT=$(last_ckpt single_teacher)
fi

# store_options METHOD CONFIG: the --cfg-options of an offline (*-stored)
# method that put its teacher-output store in $WORK/teacher_store/METHOD
# (model.store_root and the store_root of its LoadTeacherOutputs transform)
store_options() {
    local store=$WORK/teacher_store/$1
    local index
    index=$(python -c "import sys; from mmengine.config import Config
pipeline = Config.fromfile(sys.argv[1]).train_dataloader.dataset.pipeline
print([t['type'] for t in pipeline].index('LoadTeacherOutputs'))" "$2")
    echo "model.store_root=$store train_dataloader.dataset.pipeline.$index.store_root=$store"
}

# precompute METHOD CONFIG: fill the store of an offline method once (the
# tool resumes an interrupted run; a marker says it finished)
precompute() {
    local store=$WORK/teacher_store/$1 start=$SECONDS
    if [ -f "$store.done" ]; then echo "[done] teacher outputs of $1"; return; fi
    echo "[precompute] teacher outputs of $1 ($(date +%T))"
    mkdir -p "$WORK/teacher_store"
    python tools/precompute_teacher_outputs.py "$2" --cfg-options \
        model.teacher_ckpt="$TEACHER_CKPT" $(store_options "$1" "$2") $DATA \
        > "$store.log" 2>&1 || { tail -n 30 "$store.log"; exit 1; }
    echo "$(( SECONDS - start )) s" > "$store.done"
}

for method in $METHODS; do  # alone, before stage 4's trainings
    case $method in
        *-stored) precompute "$method" "$(method_config "$method")" ;;
    esac
done

# distill METHOD NAME SEED [--cfg-options values...]: train a distilled
# student of METHOD as run NAME_seedSEED
distill() {
    local method=$1 name=$2 seed=$3 config ckpt=$TEACHER_CKPT load
    shift 3
    config=$(method_config "$method")
    case $method in *-single) ckpt=$SINGLE_CKPT ;; esac
    load=$(teacher_ckpt_option "$config" "$ckpt")
    if [ -z "$load" ]; then
        echo "method $method: $config has no teacher checkpoint key" \
            "(model.teacher_ckpt or model.teachers.teacher.ckpt)" >&2
        exit 1
    fi
    local extra=()
    case $method in *-stored) extra=($(store_options "$method" "$config")) ;; esac
    spawn train "${name}_seed$seed" "$config" "$seed" "$load" \
        "${extra[@]}" "$@"
}

if [ "$SPLIT" = dev ]; then
    teachers=$(candidates names teacher)
    if [ -n "$teachers" ]; then  # the longest runs first
        echo "== 3/5 single-network teacher candidates: $teachers (seeds $SEEDS)"
        # each candidate's config and options (a candidate distilled from
        # the ensemble loads it), once, before any training starts
        declare -A config_of=() options_of=()
        for name in $teachers; do
            config_of[$name]=$(candidates config teacher "$name")
            load=$(teacher_ckpt_option "${config_of[$name]}" "$TEACHER_CKPT")
            if [ -n "$load" ] && [ -z "$TEACHER_CKPT" ]; then
                echo "teacher candidate $name (${config_of[$name]}) distils" \
                    "from the ensemble teacher, which trains for the" \
                    "methods: set METHODS (with run_dev_folds.sh, METHODS" \
                    "and CHOICES)" >&2
                exit 1
            fi
            options_of[$name]="$(candidates options "${config_of[$name]}" \
                teacher "$name") $load"
        done
        for seed in $SEEDS; do
            for name in $teachers; do
                spawn train "teacher@${name}_seed$seed" "${config_of[$name]}" \
                    "$seed" ${options_of[$name]}
            done
        done
    fi
    if [ -n "${CHOICES:-}" ]; then
        echo "== 3/5 student recipe chosen in $CHOICES (e.g. over folds)"
        candidates adopt "$CHOICES" "$WORK" student
    else
        recipes=$(candidates names student)
        echo "== 3/5 student recipes on the development split: $recipes (seeds $SEEDS)"
        for seed in $SEEDS; do
            for recipe in $recipes; do
                opts=$(candidates options "$STUDENT_CFG" student "$recipe")
                spawn train "student@${recipe}_seed$seed" "$STUDENT_CFG" "$seed" $opts
            done
        done
    fi
    drain
    [ -n "${CHOICES:-}" ] || candidates choose "$WORK" student --seeds $SEEDS
    [ -z "$teachers" ] || candidates choose "$WORK" teacher --seeds $SEEDS

    echo "== 4/5 method parameters on the chosen recipe: $METHODS"
    for seed in $SEEDS; do
        for method in $METHODS; do
            config=$(method_config "$method")
            names=$(candidates names "$(kind_of "$method")")
            for name in $names; do
                opts=$(candidates options "$config" "$(kind_of "$method")" "$name" \
                    --work "$WORK")
                distill "$method" "$method@$name" "$seed" $opts
            done
        done
    done
    drain
    for method in $METHODS; do
        candidates choose "$WORK" "$(kind_of "$method")" --seeds $SEEDS
    done
    echo "== 5/5 choices: $WORK/choices.json; methods, best first:" \
        "$(candidates ranking "$WORK")"
    exit 0
fi

# SPLIT=val (the students without distillation trained in stage 1)
echo "== 4/5 distilled students: $METHODS"
for seed in $SEEDS; do  # seed by seed: a partial run has whole seeds
    for method in $METHODS; do
        opts=$(chosen "$(method_config "$method")" "$method")
        distill "$method" "$method" "$seed" $opts
    done
done
drain

echo "== 5/5 report"
# each run's final model tested on its training list (train_accuracy.py):
# the report's training top-1
train_accuracy student $METHODS
# only the reported split goes to docs/ and the metafile by default
if [ "$SPLIT" = val ]; then
    PUBLISH_DIR=${PUBLISH_DIR-docs/benchmark}
    METAFILE=${METAFILE-$CFG/metafile.yml}
fi
python tools/analysis/benchmark_report.py report "$WORK" \
    --student-config "$STUDENT_CFG" --teacher-config "$TEACHER_CFG" \
    --single-teacher-config "$SINGLE_TEACHER_CFG" \
    --methods $METHODS --seeds $SEEDS --publish-dir "${PUBLISH_DIR:-}" \
    --metafile "${METAFILE:-}"
if [ -n "${VAL_INTERVAL:-}" ]; then
    python tools/analysis/accuracy_vs_epochs.py "$WORK" --methods $METHODS \
        --seeds $SEEDS --out "${PUBLISH_DIR:-$WORK}/accuracy_vs_epochs"
fi
