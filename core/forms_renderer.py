from django.forms.renderers import TemplatesSetting


class RegisterFormRenderer(TemplatesSetting):
    """Every form in the register renders through templates/forms/, with design-system classes,
    labels, help and errors tied to their field (WCAG 1.3.1, 3.3.1)."""

    form_template_name = "forms/form.html"
    field_template_name = "forms/field.html"
