# TSN with a timm Swin-B backbone, teacher on Kinetics-400 (MMAction2
# reference: 79.22 top-1 with ImageNet initialisation). `pretrained=False`:
# timm would download weights; give a local checkpoint instead.
_base_ = ['./tsn_r50_1x1x8_100e_kinetics400-rgb.py']
model = dict(
    backbone=dict(
        _delete_=True,
        type='timm.swin_base_patch4_window7_224',
        pretrained=False,
        feature_shape='NHWC'),
    cls_head=dict(in_channels=1024))
