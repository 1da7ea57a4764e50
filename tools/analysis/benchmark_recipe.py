"""How a benchmark run trained, read from the config MMEngine dumped into
its work dir (``tools/analysis/benchmark_report.py`` states it under the
results table): epochs, learning rate and label smoothing of the trained
network, and the parameters of a distillation run's losses.
"""
import glob
import os.path as osp


def dumped_config(run_dir):
    """The config MMEngine dumped into ``run_dir``, or None without exactly
    one ``*.py`` there."""
    from mmengine.config import Config
    dumped = glob.glob(osp.join(run_dir, '*.py'))
    return Config.fromfile(dumped[0]) if len(dumped) == 1 else None


def trained_network(cfg):
    """The config of the network a run trains: ``cfg`` itself, or for a
    distillation run its student (``model.architecture``: that config with
    the options passed on to it), or None if that config is gone."""
    from mmengine.config import Config
    architecture = cfg.get('model', {}).get('architecture')
    if not architecture or not architecture.get('config'):
        return cfg
    if not osp.isfile(architecture['config']):
        return None
    network = Config.fromfile(architecture['config'])
    network.merge_from_dict(architecture.get('cfg_options') or {})
    return network


def run_settings(run_dir):
    """How a run trained, from its one dumped config (read once): a dict
    of ``epochs``, ``lr`` (``optim_wrapper.architecture`` for a
    distillation run), ``label_smoothing`` (of the trained network's
    ``cls_head``, None where that is not known) and ``distill_losses``
    (:func:`loss_parameters`); None without exactly one dumped config."""
    cfg = dumped_config(run_dir)
    if cfg is None:
        return None
    wrapper = cfg.optim_wrapper.get('architecture', cfg.optim_wrapper)
    network = trained_network(cfg)
    head = network and network.get('model', {}).get('cls_head')
    return dict(epochs=cfg.train_cfg.max_epochs, lr=wrapper.optimizer.lr,
                label_smoothing=head.get('label_smooth_eps', 0.0)
                if head else None,
                distill_losses=loss_parameters(cfg))


def run_recipe(run_dir):
    """``(epochs, lr, label_smoothing)`` of a run (:func:`run_settings`),
    or None without exactly one dumped config."""
    settings = run_settings(run_dir)
    return settings and (settings['epochs'], settings['lr'],
                         settings['label_smoothing'])


def loss_parameters(cfg):
    """``loss_kl (tau 4, loss_weight 1)``: each distillation loss of a
    config with its numeric parameters, or None for a config that distils
    nothing."""
    losses = cfg.get('model', {}).get('distiller', {}).get('distill_losses')
    if not losses:
        return None
    return ', '.join(
        f'{name} (' + ', '.join(
            f'{key} {value:g}' for key, value in loss.items()
            if isinstance(value, (int, float))
            and not isinstance(value, bool)) + ')'
        for name, loss in losses.items())
