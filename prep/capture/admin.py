from django.contrib import admin

from .models import CaptureConsent, CaptureSession, IdempotencyRecord


@admin.register(CaptureSession)
class CaptureSessionAdmin(admin.ModelAdmin):
    list_display = ("id", "user", "status", "booking_id", "solo_mock", "created_at")
    list_filter = ("status",)
    raw_id_fields = ("user", "transcript", "solo_mock")


admin.site.register(CaptureConsent)
admin.site.register(IdempotencyRecord)
