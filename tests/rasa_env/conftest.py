"""Tests run in the Rasa environment (.venv-rasa)."""
