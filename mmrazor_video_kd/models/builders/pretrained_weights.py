"""The pretrained (e.g. ImageNet) weights a model config loads, and a check
that they can be read before training starts.

MMAction2's backbones read ``pretrained`` when their weights are
initialised (``Runner.train``), through MMEngine's checkpoint loaders:
``torchvision://``, ``mmcls://``, ``open-mmlab://`` and ``http(s)://``
names resolve to a URL whose file is downloaded once into torch's hub cache,
``torch.hub.get_dir()/checkpoints/<file name of the URL>``. Offline, that
download fails with a bare ``URLError`` from deep inside the backbone;
:func:`check_pretrained_weights` fails first, naming the URL, the cache file
and the config keys that train without the weights.
"""
import os
import os.path as osp
from typing import Iterator, List, NamedTuple, Optional, Tuple
from urllib.parse import urlparse

import torch
from mmengine.config import Config
from mmengine.dist import barrier, get_dist_info
from mmengine.runner import checkpoint as mmengine_checkpoint

BUILDER = 'model_from_config'


class PretrainedWeightsError(RuntimeError):
    """Pretrained weights named in a config cannot be read."""


class PretrainedWeights(NamedTuple):
    """One option of a model config that loads pretrained weights.

    Attributes:
        key (str): Its config key, e.g. ``'model.backbone.pretrained'`` or,
            for a model built by ``model_from_config``,
            ``'model.architecture.cfg_options.model.backbone.pretrained'``.
        value (str | bool): Its value, e.g. ``'torchvision://resnet50'``.
        config (str): The config file that sets it.
        scratch (dict): The overrides that train without these weights.
        timm (bool): A ``timm.*`` backbone, which loads ``pretrained=True``
            weights when it is built, not when weights are initialised.
    """

    key: str
    value: object
    config: str
    scratch: dict
    timm: bool


def find_pretrained_weights(model: dict, key: str = 'model',
                            config: str = '') -> List[PretrainedWeights]:
    """Every pretrained-weights option of a model config.

    Looks for ``pretrained`` (a path or URL; ``True`` for ``timm.*``
    backbones) and ``init_cfg=dict(type='Pretrained', checkpoint=...)``,
    follows ``model_from_config`` into the configs it builds (with their
    ``cfg_options``), and skips a ``teacher`` whose ``teacher_ckpt`` is
    set (MMRazor marks it initialised, so it never loads them).

    Args:
        model (dict): A model config, e.g. ``cfg.model``.
        key (str): The config key of ``model``. Defaults to ``'model'``.
        config (str): The file ``model`` comes from, for messages.

    Returns:
        list[PretrainedWeights]: The options found.
    """
    return list(_walk(model, key, config))


def _walk(node, key: str, config: str) -> Iterator[PretrainedWeights]:
    if isinstance(node, (list, tuple)):
        for i, item in enumerate(node):
            yield from _walk(item, f'{key}.{i}', config)
        return
    if not isinstance(node, dict):
        return
    kind = str(node.get('type', ''))
    if kind.split('.')[-1] == BUILDER and 'config' in node:
        built = Config.fromfile(node['config'])
        if node.get('cfg_options'):
            built.merge_from_dict(dict(node['cfg_options']))
        yield from _walk(built.get('model'), f'{key}.cfg_options.model',
                         osp.normpath(node['config']))
        return
    pretrained = node.get('pretrained')
    is_timm = kind.startswith('timm.')
    if isinstance(pretrained, str) or (is_timm and pretrained is True):
        scratch = {f'{key}.pretrained': False if is_timm else None}
        if 'pretrained2d' in node or kind.endswith('TSM'):
            scratch[f'{key}.pretrained2d'] = False
        yield PretrainedWeights(f'{key}.pretrained', pretrained, config,
                                scratch, is_timm)
    if kind == 'Pretrained' and isinstance(node.get('checkpoint'), str):
        yield PretrainedWeights(f'{key}.checkpoint', node['checkpoint'],
                                config, {key: None}, False)
    for name, value in node.items():
        if name == 'teacher' and node.get('teacher_ckpt'):
            continue
        yield from _walk(value, f'{key}.{name}', config)


def locate(name: str) -> Tuple[Optional[str], Optional[str]]:
    """Where MMEngine's checkpoint loaders read ``name`` from.

    Args:
        name (str): A ``pretrained`` value.

    Returns:
        tuple[str | None, str | None]: The URL (None for a local file) and
        the local file read (for a URL: its file in torch's hub cache);
        ``(None, None)`` for other storage (e.g. ``s3://``), not checked.
    """
    scheme, separator, model_name = name.partition('://')
    if not separator:
        return None, name
    tables = dict(
        torchvision=mmengine_checkpoint.get_torchvision_models,
        modelzoo=mmengine_checkpoint.get_torchvision_models,
        mmcls=mmengine_checkpoint.get_mmcls_models)
    if scheme in ('http', 'https'):
        url = name
    elif scheme in tables:
        url = tables[scheme]().get(model_name)
    elif scheme in ('open-mmlab', 'openmmlab'):
        model_name = mmengine_checkpoint.get_deprecated_model_names().get(
            model_name, model_name)
        url = mmengine_checkpoint.get_external_models().get(model_name)
        if url is not None and not url.startswith(('http://', 'https://')):
            return None, osp.join(mmengine_checkpoint._get_mmengine_home(),
                                  url)
    else:
        return None, None
    if url is None:
        raise PretrainedWeightsError(
            f'{name!r}: MMEngine knows no {scheme}:// model named '
            f'{model_name!r}')
    return url, hub_cache_file(url)


def hub_cache_file(url: str) -> str:
    """The file torch's hub cache keeps ``url`` in (``TORCH_HOME`` moves
    it): ``torch.hub.get_dir()/checkpoints/<file name of the URL>``."""
    return osp.join(torch.hub.get_dir(), 'checkpoints',
                    osp.basename(urlparse(url).path))


def check_pretrained_weights(model: dict, key: str = 'model',
                             config: str = '', download: bool = True) -> None:
    """Make sure every pretrained file of ``model`` can be read.

    A URL whose file is not in torch's hub cache is downloaded there now
    (by rank 0, as MMEngine does), so an offline machine fails here, with
    an error naming the URL, the cache file and the overrides that train
    from scratch. ``timm.*`` weights are skipped: timm loads them when the
    model is built, from the Hugging Face Hub cache.

    Args:
        model (dict): A model config, e.g. ``cfg.model``.
        key (str): The config key of ``model``. Defaults to ``'model'``.
        config (str): The file ``model`` comes from, for messages.
        download (bool): Download missing files. Defaults to True.

    Raises:
        PretrainedWeightsError: A file is missing and cannot be downloaded.
    """
    for entry in find_pretrained_weights(model, key, config):
        if entry.timm:
            continue
        try:
            url, path = locate(entry.value)
        except PretrainedWeightsError as error:
            raise PretrainedWeightsError(
                f'{entry.key} = {error} ({entry.config})') from None
        if path is None or osp.isfile(path):
            continue
        reason = 'no such file'
        if url is not None:
            reason = _download(url, path) if download else 'not downloaded'
            if osp.isfile(path):
                continue
        raise PretrainedWeightsError(_message(entry, url, path, reason))


def _download(url: str, path: str) -> str:
    """Download ``url`` to ``path`` on rank 0; the error, if any."""
    rank, world_size = get_dist_info()
    reason = ''
    if rank == 0:
        try:
            os.makedirs(osp.dirname(path), exist_ok=True)
            torch.hub.download_url_to_file(url, path, progress=False)
        except Exception as error:  # noqa: B902 (any failure is reported)
            reason = f'{type(error).__name__}: {error}'
    if world_size > 1:
        barrier()
    return reason or 'downloaded by rank 0, which failed'


def _message(entry: PretrainedWeights, url: Optional[str], path: str,
             reason: str) -> str:
    where = f' (set in {entry.config})' if entry.config else ''
    overrides = ' '.join(f'{k}={v}' for k, v in entry.scratch.items())
    if url is None:
        fetch = f'{entry.key} = {entry.value!r}{where}: {path} ({reason}).'
    else:
        fetch = (
            f'{entry.key} = {entry.value!r}{where}: its weights cannot be '
            f'downloaded from {url} ({reason}). They are read from torch\'s '
            f'hub cache, {path}: download that URL where there is network '
            f'access and put the file there (TORCH_HOME moves the cache).')
    return (f'{fetch} To train without these pretrained weights (from '
            f'scratch): --cfg-options {overrides}')
