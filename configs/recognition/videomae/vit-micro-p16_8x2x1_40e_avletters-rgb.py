# The student of the small ViT on AVLetters: 4 blocks, 96 channels, 2 heads.
_base_ = ['./vit-tiny-p16_8x2x1_40e_avletters-rgb.py']
model = dict(
    backbone=dict(embed_dims=96, num_heads=2), cls_head=dict(in_channels=96))
