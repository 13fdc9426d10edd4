"""Akua: the Django project (settings, urls, django-q2 config) and the packaging substrate."""
