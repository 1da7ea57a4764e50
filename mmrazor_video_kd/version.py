"""Version of mmrazor-video-kd."""
__version__ = '0.1.0'
