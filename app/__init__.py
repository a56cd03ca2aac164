"""Clausewise: ISO 9001 readiness for software organisations.

The package root defines nothing, so that importing the Flask-free core (app.engine, app.planning,
app.knowledge, app.interview) loads no web framework; the Flask application is built by app.factory.create_app.
"""
