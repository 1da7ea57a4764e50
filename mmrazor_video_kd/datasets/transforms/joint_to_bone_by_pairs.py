"""Bones of a skeleton given by its own (child, parent) joint pairs."""
from typing import Dict, Sequence

from mmaction.datasets.transforms import JointToBone
from mmaction.registry import TRANSFORMS


@TRANSFORMS.register_module()
class JointToBoneByPairs(JointToBone):
    """MMAction2's ``JointToBone`` for a skeleton that is not one of its
    named layouts ('nturgb+d', 'openpose', 'coco').

    The bone of joint ``child`` is ``keypoint[..., child, :] -
    keypoint[..., parent, :]`` for each ``(child, parent)`` pair; a joint
    that is no pair's child (the root) gets a zero bone, as in
    ``JointToBone``, whose transform this is. Channels are all coordinates
    (no confidence averaging), as for 'nturgb+d'. With ``ToMotion`` and
    ``MergeSkeFeat`` it builds the joint, bone and motion features of
    ``GenSkeFeat`` for, e.g., the 20-joint MSR Action3D skeleton
    (``pairs=MSR_GRAPH_LAYOUT['inward']``).

    Args:
        pairs (Sequence[Sequence[int]]): ``(child, parent)`` joint indices,
            e.g. the ``inward`` edges of an ST-GCN graph layout.
        target (str): Key of the bones in the results. Defaults to
            ``'keypoint'`` (replaces the joints), as ``JointToBone``.
    """

    def __init__(self, pairs: Sequence[Sequence[int]],
                 target: str = 'keypoint') -> None:
        super().__init__(dataset='nturgb+d', target=target)
        checked = []
        for pair in pairs:
            if len(pair) != 2 or min(pair) < 0:
                raise ValueError(
                    f'JointToBoneByPairs: pairs must be (child, parent) '
                    f'pairs of joint indices >= 0; got {pair!r}')
            checked.append((int(pair[0]), int(pair[1])))
        if not checked:
            raise ValueError('JointToBoneByPairs: pairs is empty')
        children = [child for child, _ in checked]
        if len(set(children)) != len(children):
            raise ValueError(f'JointToBoneByPairs: a joint is the child of '
                             f'more than one pair in {checked}')
        self.pairs = tuple(checked)
        self.highest_joint = max(max(pair) for pair in self.pairs)
        self.dataset = 'pairs'

    def transform(self, results: Dict) -> Dict:
        num_joints = results['keypoint'].shape[-2]
        if self.highest_joint >= num_joints:
            raise ValueError(
                f'JointToBoneByPairs: joint index {self.highest_joint} in '
                f'pairs, but '
                f'{results.get("frame_dir", "the sample")} has '
                f'{num_joints} joints')
        return super().transform(results)

    def __repr__(self) -> str:
        return (f'{type(self).__name__}(pairs={list(self.pairs)}, '
                f'target={self.target!r})')
