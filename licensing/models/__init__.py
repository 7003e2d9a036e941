from .reference import Criterion, DenyType, MLCategory, UNRegisterCategory

__all__ = ["Criterion", "DenyType", "MLCategory", "UNRegisterCategory"]
