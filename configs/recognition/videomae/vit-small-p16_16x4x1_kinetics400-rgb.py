# ViT-S/16 student on Kinetics-400 (16 frames x 224), for distillation
# from the VideoMAE ViT-B.
_base_ = ['./vit-base-p16_videomae_16x4x1_kinetics400-rgb.py']
model = dict(
    backbone=dict(embed_dims=384, num_heads=6),
    cls_head=dict(in_channels=384))
