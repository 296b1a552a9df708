from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from mentoring.models import SecurityEvent, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "name", "department", "is_staff", "is_active"]
    search_fields = ["email", "name", "department"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        ("Profile", {"fields": list(User.PROFILE_FIELDS)}),
        (
            "Permissions",
            {"fields": ["is_active", "is_staff", "is_superuser", "groups", "user_permissions"]},
        ),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


@admin.register(SecurityEvent)
class SecurityEventAdmin(admin.ModelAdmin):
    """Read-only: security events are append-only (mentoring.security)."""

    list_display = ["created_at", "kind", "user", "actor", "program", "ip_address", "identifier"]
    list_filter = ["kind", "created_at"]
    search_fields = ["user__email", "identifier", "ip_address"]
    list_select_related = ["user", "actor", "program"]
    date_hierarchy = "created_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
