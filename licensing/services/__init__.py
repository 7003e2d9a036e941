"""Writes for applications, decisions and licences. Public services are durable transactions that audit."""
