"""Prep: interview preparation for machine-learning roles."""

from .celery import app as celery_app

__all__ = ("celery_app",)
