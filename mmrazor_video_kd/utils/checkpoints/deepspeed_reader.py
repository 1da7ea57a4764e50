"""Weights of a DeepSpeed checkpoint directory.

Layout (DeepSpeed 0.15.0, ``runtime/engine.py`` ``save_checkpoint``,
``_get_ckpt_name`` and ``_save_checkpoint``; PyTorch Lightning 2.4.0
``strategies/deepspeed.py`` ``save_checkpoint``), the directory given to
``engine.save_checkpoint(DIR)``::

    DIR/latest                               # text: the tag
    DIR/<tag>/mp_rank_00_model_states.pt     # {'module': state_dict, ...}
    DIR/<tag>/*_optim_states.pt              # ZeRO optimizer shards

``<tag>`` defaults to ``global_step<N>`` (Lightning uses ``checkpoint``, and
names ``DIR`` like ``epoch=0-step=10.ckpt``). The tag folder or the
``mp_rank_00_model_states.pt`` file may also be given. Model-parallel
(``mp_rank_01``...), pipeline-parallel (``layer_XX-model_states.pt``) and
ZeRO-3 (``zero_pp_rank_N_mp_rank_00_model_states.pt``, weights partitioned
across ranks) checkpoints raise :class:`NotImplementedError`.
"""
import glob
import os.path as osp
from typing import Optional

from .errors import format_error
from .state_dict import strip_prefix, tensors_only

DS_LATEST = 'latest'
DS_MODEL_FILE = 'mp_rank_00_model_states.pt'
#: Bookkeeping keys that tell a DeepSpeed model-states file.
DS_MARKERS = ('ds_version', 'buffer_names', 'mp_world_size')


def is_deepspeed(checkpoint) -> bool:
    """Whether a loaded file is a DeepSpeed model-states file."""
    return isinstance(checkpoint, dict) and 'module' in checkpoint and any(
        key in checkpoint for key in DS_MARKERS)


def find_deepspeed_file(path: str, config_key: str) -> str:
    """The ``mp_rank_00_model_states.pt`` of a DeepSpeed directory."""
    tag_dir = path
    latest = osp.join(path, DS_LATEST)
    if osp.isfile(latest):
        with open(latest) as f:
            tag = f.read().strip()
        tag_dir = osp.join(path, tag)
        if not osp.isdir(tag_dir):
            raise format_error(
                config_key, path,
                f'names tag {tag!r} in {DS_LATEST}, but {tag_dir!r} '
                'is not a directory')
    check_single_rank(tag_dir, config_key)
    model_file = osp.join(tag_dir, DS_MODEL_FILE)
    if not osp.isfile(model_file):
        entries = sorted(glob.glob(osp.join(path, '*')))[:10]
        raise format_error(
            config_key, path,
            'is a directory without a recognisable checkpoint '
            f'layout (entries: {[osp.basename(e) for e in entries]})')
    return model_file


def check_single_rank(tag_dir: str, config_key: str) -> None:
    """Refuse sharded DeepSpeed checkpoints, naming the directory."""
    names = [osp.basename(f) for f in glob.glob(osp.join(tag_dir, '*.pt'))]
    ranks = sorted(
        n for n in names
        if n.startswith('mp_rank_') and n.endswith('_model_states.pt'))
    zero3 = [
        n for n in names
        if n.startswith('zero_pp_rank_') and n.endswith('_model_states.pt')
    ]
    layers = [
        n for n in names
        if n.startswith('layer_') and n.endswith('model_states.pt')
    ]
    if len(ranks) > 1:
        problem = (f'model-parallel checkpoint with {len(ranks)} ranks '
                   f'({", ".join(ranks[:4])}...): merge the ranks first')
    elif layers:
        problem = ('pipeline-parallel checkpoint (layer_XX-model_states.pt)'
                   ': merge the stages first')
    elif zero3 and not ranks:
        problem = ('ZeRO-3 checkpoint (weights are partitioned across ranks)'
                   ': consolidate it into one file with the zero_to_fp32.py '
                   'script DeepSpeed saves beside it, and read that file')
    else:
        return
    raise NotImplementedError(
        f'{config_key}: DeepSpeed directory {tag_dir!r} is a {problem}')


def read_deepspeed(checkpoint: dict,
                   path: str,
                   config_key: str,
                   prefix: Optional[str] = None) -> dict:
    """The network's state dict of a loaded DeepSpeed model-states file.

    Args:
        checkpoint (dict): What ``torch.load`` returned.
        path (str): The file it came from, named in errors.
        config_key (str): The config key that set ``path``.
        prefix (str, optional): See
            :func:`~mmrazor_video_kd.utils.checkpoints.strip_prefix`;
            ``None`` auto-detects.

    Returns:
        dict: Tensors by parameter name, in the dtype they were trained in.
    """
    if checkpoint.get('mp_world_size', 1) not in (None, 1):
        raise NotImplementedError(
            f'{config_key}: DeepSpeed checkpoint {path!r} has mp_world_size='
            f'{checkpoint["mp_world_size"]} (model parallel) in directory '
            f'{osp.dirname(path)!r}; merge the ranks first')
    if checkpoint['module'] is None:
        raise NotImplementedError(
            f'{config_key}: DeepSpeed checkpoint {path!r} has module=None '
            f'(pipeline parallel); its weights are in layer_XX files of '
            f'{osp.dirname(path)!r}')
    state_dict = tensors_only(checkpoint['module'], path, config_key)
    return strip_prefix(state_dict, prefix)
