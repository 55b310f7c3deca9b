from .phrases import register

__all__ = ["register"]
