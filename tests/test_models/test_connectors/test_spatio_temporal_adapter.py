"""SpatioTemporalAdapter: layouts, channels, time and space."""
import torch

from mmrazor_video_kd.models.connectors import SpatioTemporalAdapter


def test_swin_tokens_to_tsm_stage():
    adapter = SpatioTemporalAdapter(
        in_channels=12, out_channels=20, in_layout='tokens',
        in_grid=(4, 7, 7), out_layout='2d', out_num_segments=8)
    out = adapter(torch.randn(2, 4 * 49, 12))
    assert out.shape == (2 * 8, 20, 7, 7)


def test_identity_projection_keeps_values_and_pooling():
    adapter = SpatioTemporalAdapter(
        in_channels=3, out_channels=3, in_layout='3d', out_layout='3d',
        out_num_segments=2, out_size=(1, 1), temporal_mode='pool',
        spatial_mode='pool')
    with torch.no_grad():
        adapter.proj.weight.copy_(torch.eye(3)[:, :, None, None, None])
        adapter.proj.bias.zero_()
    x = torch.randn(1, 3, 4, 2, 2)
    out = adapter(x)
    expected = x.reshape(1, 3, 2, 2, 2, 2).mean((3, 4, 5))
    assert torch.allclose(out[..., 0, 0], expected, atol=1e-6)


def test_gradients_flow_to_adapter_and_input():
    adapter = SpatioTemporalAdapter(8, 4, in_num_segments=2, norm=True,
                                    out_size=(3, 3))
    x = torch.randn(4, 8, 5, 5, requires_grad=True)
    adapter(x).sum().backward()
    assert x.grad.abs().sum() > 0
    assert adapter.proj.weight.grad.abs().sum() > 0
