"""The project database: engine and sessions (`engine`, SQLAlchemy 2 async), models,
migrations, and the Core tables the Rasa process's channels share (`channel_tables`,
importable with SQLAlchemy 1.4 too, which is why this package imports nothing)."""
