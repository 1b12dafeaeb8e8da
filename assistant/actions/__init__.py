"""Custom actions, served by `python -m rasa_sdk --actions assistant.actions`.

One module per concern; rasa_sdk registers every Action subclass of the package.
"""
