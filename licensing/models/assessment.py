"""Automatic checks, criteria assessments, advice, national policy rules, screening. Owned by the assessment work."""
