"""Insights and the learning loop: per-turn facts from Rasa's event broker, the insights
page, grouping of unanswered questions, drafts to knowledge, feedback, operator controls.

Modules used by the Rasa process (`broker`, `spool`) and the dependency-free ones
(`facts`, `redact`, `grouping`) import nothing from the app environment.
"""
