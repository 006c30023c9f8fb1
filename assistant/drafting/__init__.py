"""Job-description drafting: cited, verified bullets per section (see assistant.drafting.model)."""
