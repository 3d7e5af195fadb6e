"""The serve stage (to come): an OpenAI-compatible HTTP API over a run's result, several adapters on one
base, streaming, API keys, feedback capture; the generation engine behind a small interface.
"""
