"""Weights of a PyTorch Lightning ``.ckpt`` file.

Layout (PyTorch Lightning 2.4.0, ``trainer/connectors/
checkpoint_connector.py`` ``dump_checkpoint``): ``{'epoch', 'global_step',
'pytorch-lightning_version', 'state_dict', 'loops', 'callbacks',
'optimizer_states', 'lr_schedulers', 'hyper_parameters', ...}``. The
``state_dict`` is that of the ``LightningModule``, so the network's keys
carry the attribute it is stored under (``model.backbone...``).
"""
from typing import Optional

from .state_dict import strip_prefix, tensors_only

#: The key that tells a Lightning checkpoint.
LIGHTNING_KEY = 'pytorch-lightning_version'


def is_lightning(checkpoint) -> bool:
    """Whether a loaded checkpoint was saved by PyTorch Lightning."""
    return isinstance(checkpoint, dict) and LIGHTNING_KEY in checkpoint


def read_lightning(checkpoint: dict,
                   path: str,
                   config_key: str,
                   prefix: Optional[str] = None) -> dict:
    """The network's state dict of a loaded Lightning checkpoint.

    Args:
        checkpoint (dict): What ``torch.load`` returned.
        path (str): The file it came from, named in errors.
        config_key (str): The config key that set ``path``.
        prefix (str, optional): See
            :func:`~mmrazor_video_kd.utils.checkpoints.strip_prefix`;
            ``None`` auto-detects.

    Returns:
        dict: Tensors by parameter name.
    """
    state_dict = tensors_only(checkpoint.get('state_dict', checkpoint), path,
                              config_key)
    return strip_prefix(state_dict, prefix)
