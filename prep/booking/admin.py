from django.contrib import admin

from .models import Block, Booking, BookingSettings, NoShow, Reminder, Slot, Window


@admin.register(Window)
class WindowAdmin(admin.ModelAdmin):
    list_display = ("user", "kind", "weekday", "date", "start_time", "end_time", "timezone")
    list_filter = ("kind",)
    raw_id_fields = ("user",)


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    list_display = ("host", "kind", "starts_at", "ends_at", "listed")
    list_filter = ("kind", "listed")
    raw_id_fields = ("host", "window")


@admin.register(Booking)
class BookingAdmin(admin.ModelAdmin):
    list_display = ("pk", "kind", "host", "guest", "starts_at", "status", "sequence")
    list_filter = ("status", "kind")
    raw_id_fields = ("slot", "host", "guest", "prompt", "swap_prompt", "cancelled_by")


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("booking", "recipient", "kind", "starts_at", "claimed_until", "sent_at")
    raw_id_fields = ("booking", "recipient")


admin.site.register(BookingSettings, raw_id_fields=("user",))
admin.site.register(Block, raw_id_fields=("blocker", "blocked"))
admin.site.register(NoShow, raw_id_fields=("booking", "reporter", "absent"))
