"""Weights of an MMEngine checkpoint: ``{'meta', 'state_dict', ...}`` or a
bare state dict (tensors by parameter name)."""
from .state_dict import strip_prefix, tensors_only


def read_mmengine(checkpoint, path: str, config_key: str) -> dict:
    """The state dict of a loaded MMEngine checkpoint.

    Non-tensor entries are dropped; a DDP ``module.`` prefix on every key is
    removed.

    Args:
        checkpoint: What ``torch.load`` returned.
        path (str): The file it came from, named in errors.
        config_key (str): The config key that set ``path``.

    Returns:
        dict: Tensors by parameter name.
    """
    if isinstance(checkpoint, dict) and 'state_dict' in checkpoint:
        checkpoint = checkpoint['state_dict']
    state_dict = tensors_only(checkpoint, path, config_key)
    if all(key.startswith('module.') for key in state_dict):
        state_dict = strip_prefix(state_dict, 'module.')
    return state_dict
