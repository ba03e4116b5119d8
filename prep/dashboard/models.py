from django.conf import settings
from django.db import models


class ReadinessSnapshot(models.Model):
    """One user's readiness per area on one local day (the chart over time)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    date = models.DateField()
    area = models.CharField(max_length=30)
    score = models.PositiveSmallIntegerField(help_text="0-100")

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "date", "area"], name="readiness_unique_day")
        ]
        indexes = [models.Index(fields=["user", "date"])]

    def __str__(self) -> str:
        return f"{self.user} {self.area} {self.date}: {self.score}"
