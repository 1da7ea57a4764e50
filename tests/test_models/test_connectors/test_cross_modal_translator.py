"""CrossModalTranslator: one head per modality on the pooled feature."""
import torch

from mmrazor_video_kd.models.connectors import CrossModalTranslator


def test_heads_per_modality_on_pooled_feature():
    translator = CrossModalTranslator(
        in_channels=6, out_channels=dict(rgb=4, flow=3, skeleton=5),
        hidden_channels=0, in_num_segments=2)
    x = torch.randn(2 * 2, 6, 3, 3)
    out = translator(x)
    assert {k: tuple(v.shape) for k, v in out.items()} == dict(
        rgb=(2, 4), flow=(2, 3), skeleton=(2, 5))
    pooled = x.reshape(2, 2, 6, 3, 3).mean((1, 3, 4))
    head = translator.heads['flow']
    assert torch.allclose(out['flow'], pooled @ head.weight.T + head.bias,
                          atol=1e-6)


def test_mlp_heads_train():
    translator = CrossModalTranslator(4, dict(flow=2), in_layout='3d')
    out = translator(torch.randn(3, 4, 2, 2, 2))['flow']
    out.sum().backward()
    assert all(p.grad is not None for p in translator.parameters())
