"""The chat interview: understanding what the user types in answer to a question."""
