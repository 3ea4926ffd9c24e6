"""Learned components' shared parts: sparse linear classifiers, their files, calibration, training.

Inference is NumPy only (`LinearModel`), so an installed newsgraph needs nothing beyond its dependencies
to run a trained component. Training (`newsgraph.learn.training`) uses scikit-learn, from the `train` extra.
"""

from newsgraph.learn.linear import LinearModel, ModelFileError

__all__ = ["LinearModel", "ModelFileError"]
