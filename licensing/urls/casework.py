"""Officer case work (namespace `casework`), assembled from the sub-areas that own their URLs."""

from .casework_amendments import urlpatterns as amendment_patterns
from .casework_assessment import urlpatterns as assessment_patterns
from .casework_cases import urlpatterns as case_patterns
from .casework_objections import urlpatterns as objection_patterns

app_name = "casework"
urlpatterns = [*case_patterns, *assessment_patterns, *objection_patterns, *amendment_patterns]
