"""Ballast's Spark sidecar: fits logistic and softmax models on Spark for the daemon `ballastd`,
speaking JSON lines on stdin and stdout (see sidecars/spark/README.md)."""

__version__ = "1.9.0"
