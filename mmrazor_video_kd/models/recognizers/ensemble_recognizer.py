"""Several trained 2D recognizers averaged into one teacher."""
from typing import List, Optional

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmaction.registry import MODELS
from mmengine.model import BaseModel

from ...utils.checkpoints import load_teacher_checkpoint
from ..builders.model_from_config import model_from_config


@MODELS.register_module()
class EnsembleRecognizer(BaseModel):
    """The averaged prediction of several trained MMAction2 2D recognizers.

    An ensemble reliably beats its members, which makes it a teacher with a
    real advantage on data too small for a bigger network to win. Members
    are built from their training configs; their class probabilities are
    averaged over members and over clips.

    Inputs hold ``num_clips * num_segments`` frames per sample, clip after
    clip (``(N, num_clips * T, C, H, W)``); 16 frames into 8-segment members
    are two clips. Two identity modules expose what distillation records:

    - ``logits``: ``log`` of the averaged probabilities, ``(N, classes)``;
    - ``features``: the members' backbone outputs concatenated on channels,
      ``(N * num_clips * T, members * C, H', W')``.

    Args:
        members (list[dict]): Per member ``config`` (a training config path)
            and optional ``ckpt`` (loaded strictly; errors name
            ``model.members[i].ckpt``).
        num_segments (int): Frames per clip the members were trained with.
            Defaults to 8.
        data_preprocessor (dict, optional): Preprocessor of the whole
            ensemble (the members' own preprocessors are not used).
        init_cfg (dict, optional): Initialisation config.
    """

    def __init__(self,
                 members: List[dict],
                 num_segments: int = 8,
                 data_preprocessor: Optional[dict] = None,
                 init_cfg: Optional[dict] = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        if not members:
            raise ValueError('EnsembleRecognizer needs at least one member '
                             '(model.members is empty)')
        self.members = nn.ModuleList()
        for index, spec in enumerate(members):
            if 'config' not in spec:
                raise KeyError(f'model.members[{index}] needs `config`')
            member = model_from_config(spec['config'])
            if spec.get('ckpt'):
                load_teacher_checkpoint(
                    member, spec['ckpt'],
                    config_key=f'model.members[{index}].ckpt')
            self.members.append(member)
        self.num_segments = num_segments
        self.logits = nn.Identity()
        self.features = nn.Identity()

    def member_outputs(self, inputs: torch.Tensor):
        """Per-member backbone features and clip logits."""
        frames = inputs.shape[1]
        if frames % self.num_segments:
            raise ValueError(
                f'EnsembleRecognizer: {frames} frames per sample is not a '
                f'multiple of num_segments={self.num_segments}')
        clips = inputs.reshape((-1, self.num_segments) + inputs.shape[2:])
        features, logits = [], []
        for member in self.members:
            feat, kwargs = member.extract_feat(clips, stage='backbone')
            features.append(feat)
            logits.append(member.cls_head(feat, **kwargs))
        return features, logits

    def forward(self, inputs: torch.Tensor, data_samples=None,
                mode: str = 'tensor'):
        """Ensemble log-probabilities (``tensor``), predictions
        (``predict``) or negative log-likelihood (``loss``, what MMRazor's
        distillers call a frozen teacher with; members are trained on their
        own, not through the ensemble)."""
        features, logits = self.member_outputs(inputs)
        self.features(torch.cat(features, dim=1))
        probs = torch.stack([x.softmax(dim=-1) for x in logits]).mean(0)
        probs = probs.reshape(inputs.shape[0], -1, probs.shape[-1]).mean(1)
        log_probs = self.logits(probs.clamp_min(1e-12).log())
        if mode == 'tensor':
            return log_probs
        if mode == 'loss':
            labels = torch.cat([sample.gt_label for sample in data_samples])
            return dict(loss_cls=F.nll_loss(log_probs, labels.long()))
        if mode != 'predict':
            raise ValueError(f'Invalid mode {mode!r}')
        for sample, score in zip(data_samples, probs):
            sample.set_pred_score(score)
            sample.set_pred_label(score.argmax(dim=0, keepdim=True))
        return data_samples
