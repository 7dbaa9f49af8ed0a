"""The English sentences for core's facts, one module per area of the app.

Each module has a `PROBLEMS` table (problem code → `N_()` sentence with
`{placeholders}`); `skills_app.text.problems` gathers them. Translations of
these sentences are in the "messages" catalogue like every other message.
"""
