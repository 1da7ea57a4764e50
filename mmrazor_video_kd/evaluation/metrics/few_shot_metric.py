"""N-way K-shot episodic evaluation of (student) features."""
from typing import Any, Dict, List, Optional, Sequence

import numpy as np
import torch
from mmaction.registry import METRICS
from mmengine.evaluator import BaseMetric
from mmengine.logging import print_log


@METRICS.register_module()
class FewShotMetric(BaseMetric):
    """Episodic N-way K-shot accuracy of a nearest-prototype classifier on
    the features of the evaluated model.

    Every episode draws ``n_way`` classes, then ``k_shot`` support and
    ``n_query`` query samples per class (disjoint). Each query is assigned
    to the class whose prototype (mean of its ``k_shot`` support features)
    is nearest. Episodes come from ``numpy.random.default_rng(seed)``, so
    the result depends only on the features, labels, their order and the
    arguments. Classes with fewer than ``k_shot + n_query`` samples cannot
    fill an episode: they are excluded, with a warning naming how many.

    Features reach the metric in one of two ways:

    - Stock MMAction2 1.2 (no ``feature_extraction`` test_cfg exists): give
      the recognizer ``cls_head=dict(type='FeatureHead',
      average_clips='score')`` (what ``tools/misc/clip_feature_extraction.py``
      does). Its ``predict`` then returns a ``(B, C)`` tensor instead of data
      samples; each row is a feature and the label is read from
      ``data_batch['data_samples'][i].gt_label``. For a distilled student,
      test the student checkpoint with this head, e.g.
      ``model = dict(type='Recognizer3D', backbone=..., cls_head=dict(
      type='FeatureHead', average_clips='score'))`` and
      ``test_evaluator = dict(type='FewShotMetric', n_way=5, k_shot=1)``.
    - A model that stores the feature in each data sample
      (``data_sample.set_field(feat, 'feats')``): it is read from the key
      ``feature_key``. ``'features'`` cannot be used, as ``ActionDataSample``
      reserves it for ``InstanceData``.

    A feature of shape ``(num_views, C)`` is averaged over views. With
    ``distance='cosine'`` the prototype is the mean of the raw support
    features, compared by cosine similarity; ties go to the first class.

    Args:
        n_way (int): Classes per episode. Defaults to 5.
        k_shot (int): Support samples per class. Defaults to 1.
        n_query (int): Query samples per class. Defaults to 15.
        num_episodes (int): Number of episodes. Defaults to 400.
        seed (int): Seed of the episode sampler. Defaults to 0.
        feature_key (str): Key of the feature in a data-sample dict.
            Defaults to ``'feats'``.
        distance (str): ``'cosine'`` (highest cosine similarity to the
            prototype) or ``'euclidean'``. Defaults to ``'cosine'``.
        collect_device (str): ``'cpu'`` or ``'gpu'``. Defaults to ``'cpu'``.
        prefix (str, optional): Prefix of the metric names. Defaults to
            ``'few_shot'``.
    """

    default_prefix: Optional[str] = 'few_shot'

    def __init__(self,
                 n_way: int = 5,
                 k_shot: int = 1,
                 n_query: int = 15,
                 num_episodes: int = 400,
                 seed: int = 0,
                 feature_key: str = 'feats',
                 distance: str = 'cosine',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        for name, value in dict(n_way=n_way, k_shot=k_shot, n_query=n_query,
                                num_episodes=num_episodes).items():
            if not isinstance(value, int) or value < 1:
                raise ValueError(f'{name} must be a positive int, got {value}')
        if distance not in ('cosine', 'euclidean'):
            raise ValueError("distance must be 'cosine' or 'euclidean', "
                             f'got {distance!r}')
        self.n_way, self.k_shot, self.n_query = n_way, k_shot, n_query
        self.num_episodes = num_episodes
        self.seed = seed
        self.feature_key = feature_key
        self.distance = distance

    def process(self, data_batch: Any, data_samples: Sequence) -> None:
        """Store the feature (1-D float CPU tensor) and label of each
        sample."""
        batch_samples = None
        if isinstance(data_batch, dict):
            batch_samples = data_batch.get('data_samples')
        for i, sample in enumerate(data_samples):
            if isinstance(sample, (torch.Tensor, np.ndarray)):
                feat, label = sample, batch_samples[i].get('gt_label')
            else:
                feat, label = sample[self.feature_key], sample['gt_label']
            feat = torch.as_tensor(feat).detach().float().cpu()
            if feat.ndim == 2:
                feat = feat.mean(0)
            if feat.ndim != 1:
                raise ValueError('expected a feature of shape (C,) or '
                                 f'(num_views, C), got {tuple(feat.shape)}')
            label = torch.as_tensor(label).reshape(-1)
            if label.numel() != 1:
                raise ValueError(f'expected one label, got {label.tolist()}')
            self.results.append(dict(feat=feat, label=int(label.item())))

    def compute_metrics(self, results: List[dict]) -> Dict[str, float]:
        """Run the episodes over all stored samples.

        Returns:
            dict: With ``name = f'{n_way}way_{k_shot}shot'``: ``name_acc``,
            the mean episode accuracy as a fraction in [0, 1] (as
            ``AccMetric``); ``name_acc_std``, its standard deviation over
            episodes (``ddof=0``); ``name_acc_sem``, ``std / sqrt(
            num_episodes)`` (95% interval: about ``acc +- 1.96 * sem``).

        Raises:
            ValueError: If fewer than ``n_way`` classes have at least
                ``k_shot + n_query`` samples.
        """
        feats = torch.stack([r['feat'] for r in results]).double().numpy()
        labels = np.array([r['label'] for r in results])
        classes, counts = np.unique(labels, return_counts=True)
        need = self.k_shot + self.n_query
        eligible = classes[counts >= need]
        if len(eligible) < len(classes):
            print_log(
                f'FewShotMetric: excluded {len(classes) - len(eligible)} of '
                f'{len(classes)} classes with fewer than k_shot + n_query = '
                f'{need} samples', logger='current', level=30)
        if len(eligible) < self.n_way:
            raise ValueError(
                f'FewShotMetric needs n_way={self.n_way} classes with at '
                f'least k_shot + n_query = {self.k_shot} + {self.n_query} '
                f'samples, but only {len(eligible)} of {len(classes)} '
                'classes are eligible; smallest class sizes: '
                f'{sorted(counts.tolist())[:5]}')
        members = {c: np.flatnonzero(labels == c) for c in eligible}
        query_labels = np.repeat(np.arange(self.n_way), self.n_query)
        rng = np.random.default_rng(self.seed)
        accs = np.empty(self.num_episodes)
        for e in range(self.num_episodes):
            support, query = [], []
            for c in rng.choice(eligible, self.n_way, replace=False):
                idx = rng.choice(members[c], need, replace=False)
                support.append(idx[:self.k_shot])
                query.append(idx[self.k_shot:])
            protos = np.stack([feats[s].mean(0) for s in support])
            queries = feats[np.concatenate(query)]
            if self.distance == 'cosine':  # argmax ignores query norms
                protos /= np.maximum(
                    np.linalg.norm(protos, axis=1, keepdims=True), 1e-12)
                pred = (queries @ protos.T).argmax(1)
            else:
                dist = ((queries[:, None] - protos[None])**2).sum(-1)
                pred = dist.argmin(1)
            accs[e] = (pred == query_labels).mean()
        name = f'{self.n_way}way_{self.k_shot}shot'
        std = float(accs.std())
        return {
            f'{name}_acc': float(accs.mean()),
            f'{name}_acc_std': std,
            f'{name}_acc_sem': std / float(np.sqrt(self.num_episodes)),
        }
