from django.conf import settings
from django.db import models


class StoryQuerySet(models.QuerySet):
    def for_user(self, user):
        return self.filter(user=user)


class Story(models.Model):
    """One STAR story a user wrote, tagged with the competencies it proves."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="stories"
    )
    title = models.CharField(max_length=120)
    situation = models.TextField(blank=True)
    task = models.TextField(blank=True)
    action = models.TextField(blank=True)
    result = models.TextField(blank=True)
    competencies = models.JSONField(default=list, help_text="competency slugs (content)")
    rehearsals = models.PositiveIntegerField(default=0)
    last_rehearsed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = StoryQuerySet.as_manager()

    class Meta:
        ordering = ["title", "pk"]
        indexes = [models.Index(fields=["user", "title"])]
        verbose_name_plural = "stories"

    def __str__(self):
        return self.title
