from .editor import register

__all__ = ["register"]
