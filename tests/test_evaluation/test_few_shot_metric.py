"""FewShotMetric: hand-computed episodes, a NumPy reference, skipping of
small classes, cosine vs. euclidean, and use through MMEngine's Evaluator
and a real MMAction2 recognizer with ``FeatureHead``."""
import logging
import uuid

import numpy as np
import pytest
import torch
from mmaction.registry import METRICS, MODELS
from mmaction.structures import ActionDataSample
from mmengine.evaluator import Evaluator
from mmengine.logging import MMLogger
from mmengine.registry import init_default_scope

import mmrazor_video_kd.evaluation  # noqa: F401
from mmrazor_video_kd.evaluation import FewShotMetric


def run(feats, labels, **kwargs):
    """Feed (feature, label) pairs as data-sample dicts; return metrics."""
    metric = FewShotMetric(**kwargs)
    metric.process({}, [
        dict(feats=torch.as_tensor(f, dtype=torch.float32),
             gt_label=torch.tensor([int(y)])) for f, y in zip(feats, labels)
    ])
    return metric.compute_metrics(metric.results)


def reference(feats, labels, n_way, k_shot, n_query, num_episodes, seed,
              distance):
    """Plain NumPy episodes with the same Generator calls as the metric."""
    feats = np.asarray(feats, dtype=np.float64)
    labels = np.asarray(labels)
    need = k_shot + n_query
    eligible = np.array(
        sorted(c for c in set(labels.tolist()) if (labels == c).sum() >= need))
    rng = np.random.default_rng(seed)
    accs = []
    for _ in range(num_episodes):
        prototypes, queries = [], []
        for j, c in enumerate(rng.choice(eligible, n_way, replace=False)):
            idx = rng.choice(np.flatnonzero(labels == c), need, replace=False)
            assert not set(idx[:k_shot]) & set(idx[k_shot:])
            prototypes.append(sum(feats[i] for i in idx[:k_shot]) / k_shot)
            queries += [(feats[i], j) for i in idx[k_shot:]]
        correct = 0
        for x, j in queries:
            if distance == 'cosine':
                scores = [x @ p / np.linalg.norm(x) / np.linalg.norm(p)
                          for p in prototypes]
                pred = int(np.argmax(scores))
            else:
                pred = int(np.argmin([np.linalg.norm(x - p)
                                      for p in prototypes]))
            correct += pred == j
        accs.append(correct / len(queries))
    accs = np.array(accs)
    return accs.mean(), accs.std(), accs.std() / np.sqrt(num_episodes)


def clustered(num_classes, sizes, dim=8, noise=1.0, seed=0):
    """Gaussian clusters, one per class, in shuffled order."""
    rng = np.random.default_rng(seed)
    centres = rng.normal(size=(num_classes, dim)) * 2
    labels = np.concatenate([[c] * n for c, n in enumerate(sizes)])
    rng.shuffle(labels)
    feats = centres[labels] + noise * rng.normal(size=(len(labels), dim))
    return feats, labels


def test_hand_computed_episodes():
    # Class 0 = {x=0, x=10}, class 1 = {x=4, x=6}. Whichever sample is the
    # support, the class-0 query (0 or 10) is nearer to the class-1
    # prototype (4 or 6) than to the other class-0 sample (10 away), while
    # the class-1 query is nearer its own prototype (2 away): 1 of 2 right.
    feats = [[0., 0.], [10., 0.], [4., 0.], [6., 0.]]
    out = run(feats, [0, 0, 1, 1], n_way=2, k_shot=1, n_query=1,
              num_episodes=20, distance='euclidean')
    assert out == {'2way_1shot_acc': 0.5, '2way_1shot_acc_std': 0.0,
                   '2way_1shot_acc_sem': 0.0}
    # Well separated classes: every query is right in every episode.
    feats = [[0., 0.], [0., 1.], [10., 0.], [10., 1.]]
    out = run(feats, [0, 0, 1, 1], n_way=2, k_shot=1, n_query=1,
              num_episodes=20, distance='euclidean')
    assert out['2way_1shot_acc'] == 1.0


def test_cosine_vs_euclidean():
    # Class 1 lies on the ray (1, 0.2) at norms 0.5 and 1.5: each of its
    # samples is nearer (euclidean) to class 0's (1, 0) than to the other
    # (0.26 and 0.34 < 1.04 squared), but has cosine 1 with it (0.98 with
    # class 0). Class 0's query is its prototype under both distances.
    feats = [[1., 0.], [1., 0.], [0.5, 0.1], [1.5, 0.3]]
    kwargs = dict(n_way=2, k_shot=1, n_query=1, num_episodes=20)
    cosine = run(feats, [0, 0, 1, 1], distance='cosine', **kwargs)
    euclidean = run(feats, [0, 0, 1, 1], distance='euclidean', **kwargs)
    assert cosine['2way_1shot_acc'] == 1.0
    assert euclidean['2way_1shot_acc'] == 0.5


@pytest.mark.parametrize('distance', ['cosine', 'euclidean'])
@pytest.mark.parametrize('n_way,k_shot,n_query', [(5, 1, 3), (3, 2, 2)])
def test_matches_numpy_reference(distance, n_way, k_shot, n_query):
    feats, labels = clustered(8, [9, 3, 7, 12, 5, 8, 2, 10], noise=2.0)
    kwargs = dict(n_way=n_way, k_shot=k_shot, n_query=n_query,
                  num_episodes=50, seed=3, distance=distance)
    out = run(feats, labels, **kwargs)
    acc, std, sem = reference(feats, labels, **kwargs)
    name = f'{n_way}way_{k_shot}shot'
    assert 0.2 < acc < 0.99 and std > 0  # a non-trivial case
    assert out[f'{name}_acc'] == pytest.approx(acc, abs=1e-12)
    assert out[f'{name}_acc_std'] == pytest.approx(std, abs=1e-12)
    assert out[f'{name}_acc_sem'] == pytest.approx(sem, abs=1e-12)


def test_determinism_separable_and_chance():
    feats, labels = clustered(10, [20] * 10, noise=2.0)
    kwargs = dict(n_way=5, k_shot=1, n_query=5, num_episodes=100)
    first = run(feats, labels, seed=1, **kwargs)
    assert first == run(feats, labels, seed=1, **kwargs)
    assert first != run(feats, labels, seed=2, **kwargs)
    separable, _ = clustered(10, [20] * 10, noise=0.01)
    assert run(separable, labels, **kwargs)['5way_1shot_acc'] == 1.0
    permuted = np.random.default_rng(0).permutation(labels)
    chance = run(feats, permuted, num_episodes=400, n_way=5, k_shot=1,
                 n_query=15)
    assert chance['5way_1shot_acc'] == pytest.approx(0.2, abs=0.04)


def test_too_few_classes_and_small_class_warning():
    records = []
    handler = logging.Handler()
    handler.emit = records.append
    logger = MMLogger.get_instance(f'few_shot_{uuid.uuid4().hex}')
    logger.addHandler(handler)
    # Classes of 6, 6, 6 and 2 samples: the last one is skipped.
    labels = [0] * 6 + [1] * 6 + [2] * 6 + [3] * 2
    feats = np.eye(4)[labels] + 0.01 * np.arange(20)[:, None]
    out = run(feats, labels, n_way=3, k_shot=1, n_query=5, num_episodes=10)
    assert out['3way_1shot_acc'] == 1.0
    warnings = [r.getMessage() for r in records
                if r.levelno == logging.WARNING]
    assert len(warnings) == 1 and 'excluded 1 of 4 classes' in warnings[0]
    with pytest.raises(ValueError) as error:
        run(feats, labels, n_way=4, k_shot=1, n_query=5)
    message = str(error.value)
    for part in ('n_way=4', 'k_shot + n_query = 1 + 5', 'only 3 of 4',
                 'smallest class sizes: [2, 6, 6, 6]'):
        assert part in message
    with pytest.raises(ValueError, match='distance'):
        FewShotMetric(distance='manhattan')


def test_multi_view_features_are_averaged():
    metric = FewShotMetric()
    views = torch.tensor([[1., 3.], [3., 5.]])
    metric.process({}, [dict(feats=views, gt_label=torch.tensor([2]))])
    assert torch.equal(metric.results[0]['feat'], torch.tensor([2., 4.]))
    assert metric.results[0]['label'] == 2


def test_through_evaluator():
    init_default_scope('mmaction')
    assert METRICS.get('FewShotMetric') is FewShotMetric
    evaluator = Evaluator(metrics=dict(
        type='FewShotMetric', n_way=2, k_shot=1, n_query=1, num_episodes=10,
        distance='euclidean'))
    assert isinstance(evaluator.metrics[0], FewShotMetric)
    samples = []
    for x, y in [(0, 0), (10, 0), (4, 1), (6, 1)]:  # the hand-computed case
        sample = ActionDataSample().set_gt_label(y)
        sample.set_field(torch.tensor([float(x), 0.]), 'feats')
        samples.append(sample)
    evaluator.process(samples, dict(inputs=None, data_samples=samples))
    out = evaluator.evaluate(len(samples))
    assert out == {'few_shot/2way_1shot_acc': 0.5,
                   'few_shot/2way_1shot_acc_std': 0.0,
                   'few_shot/2way_1shot_acc_sem': 0.0}


def test_recognizer_with_feature_head():
    """Stock MMAction2: ``FeatureHead`` makes ``predict`` return a (B, C)
    tensor; labels come from the batch's data samples."""
    init_default_scope('mmaction')
    torch.manual_seed(0)
    model = MODELS.build(dict(
        type='Recognizer2D',
        backbone=dict(type='ResNet', depth=18, pretrained=None),
        cls_head=dict(type='FeatureHead', average_clips='score'),
        data_preprocessor=dict(type='ActionDataPreprocessor',
                               format_shape='NCHW'))).eval()
    labels = [i % 3 for i in range(9)]
    batch = dict(
        inputs=[torch.randint(0, 255, (2, 3, 32, 32), dtype=torch.uint8)
                for _ in labels],
        data_samples=[ActionDataSample().set_gt_label(y) for y in labels])
    with torch.no_grad():
        outputs = model.test_step(batch)
    assert isinstance(outputs, torch.Tensor) and outputs.shape == (9, 512)
    kwargs = dict(n_way=3, k_shot=1, n_query=2, num_episodes=20, seed=0,
                  distance='cosine')
    evaluator = Evaluator(metrics=dict(type='FewShotMetric', **kwargs))
    evaluator.process(outputs, batch)
    out = evaluator.evaluate(len(labels))
    acc, std, _ = reference(outputs.double().numpy(), labels, **kwargs)
    assert out['few_shot/3way_1shot_acc'] == pytest.approx(acc, abs=1e-9)
    assert out['few_shot/3way_1shot_acc_std'] == pytest.approx(std, abs=1e-9)
