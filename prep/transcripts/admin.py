from django.contrib import admin

from .models import PhaseMark, Pin, Transcript


@admin.register(Transcript)
class TranscriptAdmin(admin.ModelAdmin):
    list_display = ("id", "title", "user", "kind", "status", "segment_count", "created_at")
    list_filter = ("status", "kind", "source")
    raw_id_fields = ("user", "solo_mock")


admin.site.register(Pin)
admin.site.register(PhaseMark)
