# ViT-S/16 student on Kinetics-400 (16 frames x 224), for distillation
# from the VideoMAE ViT-B. The model is that of MMAction2's
# videomaev2/vit-small-p16_videomaev2-vit-g-dist-k710-pre_16x4x1_kinetics-400.py
# (reference top-1 83.6, test-only: VideoMAE V2 weights distilled from
# ViT-g after Kinetics-710 pre-training), tested the same way (5 clips x 3
# crops); no ImageNet initialisation exists for it in MMAction2.
_base_ = ['./vit-base-p16_videomae_16x4x1_kinetics400-rgb.py']
model = dict(
    backbone=dict(embed_dims=384, num_heads=6),
    cls_head=dict(in_channels=384))
