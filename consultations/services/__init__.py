"""Writes of the consultations app, split by subdomain: treaty notifications (notifications.py), emergency-brake
objections and high-level consultations (objections.py), programmes (programmes.py) and the deadline sweep
(sweep.py). Import from the submodules."""
