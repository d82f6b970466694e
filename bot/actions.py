"""Custom actions, run in process by rasa_sdk's executor."""
