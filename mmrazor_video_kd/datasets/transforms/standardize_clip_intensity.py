"""Per-clip intensity standardisation (brightness and contrast of a clip)."""
import numpy as np
from mmaction.registry import TRANSFORMS
from mmcv.transforms import BaseTransform


@TRANSFORMS.register_module()
class StandardizeClipIntensity(BaseTransform):
    """Give every clip the same mean intensity and contrast.

    Shifts and scales all pixels of a clip (all frames and channels
    together) to mean ``target_mean`` and standard deviation ``target_std``,
    then clips them to [0, 255]. Colour, motion and the relative brightness
    of frames within the clip are kept; what differs between recordings
    (lighting, a speaker's skin tone, camera gain) is removed. Use it after
    decoding and resizing, in training and test pipelines alike; the model's
    data preprocessor still normalises with its fixed mean and std.

    Required keys: ``imgs`` (list of HxWxC arrays or an array).
    Modified keys: ``imgs`` (a list of float32 arrays).

    Args:
        target_mean (float): Mean intensity of the output clip.
            Defaults to 110.0.
        target_std (float): Standard deviation of the output clip.
            Defaults to 25.0.
        eps (float): Added to a clip's standard deviation (a flat clip
            becomes ``target_mean`` everywhere). Defaults to 1e-6.
    """

    def __init__(self, target_mean=110.0, target_std=25.0, eps=1e-6):
        if target_std <= 0:
            raise ValueError(f'StandardizeClipIntensity: target_std must be '
                             f'> 0, got {target_std}')
        self.target_mean = float(target_mean)
        self.target_std = float(target_std)
        self.eps = float(eps)

    def transform(self, results):
        if not len(results.get('imgs', [])):
            raise KeyError('StandardizeClipIntensity needs decoded frames in '
                           f'results["imgs"] ({results.get("filename")}); '
                           'put it after the decode transform')
        clip = np.stack(results['imgs']).astype(np.float32)
        mean, std = clip.mean(), clip.std()
        clip = (clip - mean) / (std + self.eps) * self.target_std \
            + self.target_mean
        np.clip(clip, 0, 255, out=clip)
        results['imgs'] = list(clip)
        return results

    def __repr__(self):
        return (f'{self.__class__.__name__}(target_mean={self.target_mean}, '
                f'target_std={self.target_std})')
