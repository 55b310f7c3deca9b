from .photos import register

__all__ = ["register"]
