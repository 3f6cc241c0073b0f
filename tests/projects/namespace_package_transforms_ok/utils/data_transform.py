"""Point-cloud augmentations written by hand: each call draws a new rotation or jitter."""
import numpy as np


class RotatePC(object):
    def __call__(self, pc):
        angle = np.random.uniform() * 2 * np.pi
        c, s = np.cos(angle), np.sin(angle)
        return pc @ np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]], dtype=pc.dtype)


class JitterPC(object):
    def __init__(self, sigma=0.01, clip=0.05):
        self.sigma, self.clip = sigma, clip

    def __call__(self, pc):
        return pc + np.clip(self.sigma * np.random.randn(*pc.shape), -self.clip, self.clip).astype(pc.dtype)


class CenterPC(object):
    def __call__(self, pc):
        return pc - pc.mean(axis=0, keepdims=True)
