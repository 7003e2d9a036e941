"""Treaty component transfer details and treaty parameters. Owned by the treaty work."""
