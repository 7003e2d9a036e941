"""Treaty notifications, emergency-brake objections and programmes. Owned by the treaty work."""
