from . import denials, treaty  # noqa: F401  (register their models)
from .consultation import Consultation, ConsultationKind, ConsultationOutcome, ConsultationStatus

__all__ = ["Consultation", "ConsultationKind", "ConsultationOutcome", "ConsultationStatus"]
