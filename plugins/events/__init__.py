from .events import register

__all__ = ["register"]
