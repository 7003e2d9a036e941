"""Interfaces of the consultations app, split by audience and task: officer.py (deadline dashboard, recording
notifications, a notification's page), brake.py (the emergency-brake actions and the high-level consultation),
programmes.py (programmes and cooperation projects), exporter.py (the exporter's treaty transfer details)."""
