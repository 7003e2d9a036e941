"""Denial notifications exchanged with EU Member States (Common Position Art. 4). Owned by the assessment work."""
