"""The /admin/ site for superusers: programs, people's roles and dyads, for support and for fixing data by hand.

Program admins work in the app's own pages; this is the operators' back door, so it shows what
support needs and nothing confidential (private and confidential notes are not registered anywhere).
"""

from django.contrib import admin

from programs.models import AuditEntry, Dyad, Invitation, Membership, Profile, Program


@admin.register(Program)
class ProgramAdmin(admin.ModelAdmin):
    list_display = ["name", "slug", "default_cadence_days", "feedback_cycle_months"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "program", "role", "capacity", "deactivated_at"]
    list_filter = ["program", "role"]
    search_fields = ["user__email", "user__name"]
    raw_id_fields = ["user"]

    def get_queryset(self, request):
        return Membership.everyone.all()  # deactivated memberships too (Membership's note)


@admin.register(Dyad)
class DyadAdmin(admin.ModelAdmin):
    list_display = ["mentee", "mentor", "program", "kind", "status", "started_on", "ended_at"]
    list_filter = ["program", "status", "kind"]
    search_fields = ["mentor__email", "mentee__email", "focus_area"]
    raw_id_fields = ["mentor", "mentee", "replaces", "created_by"]


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "program", "role", "created_at", "expires_at", "accepted_at"]
    list_filter = ["program", "role"]
    search_fields = ["email"]
    exclude = ["token_hash"]
    readonly_fields = ["invited_by", "accepted_by", "accepted_at"]


# Re-pair requests are not registered: their reason is for the program's admins only.
@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "supervisor", "meeting_mode", "meeting_frequency", "completed_at"]
    search_fields = ["user__email", "user__name"]
    raw_id_fields = ["user", "supervisor"]


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ["created_at", "program", "actor", "action", "summary"]
    list_filter = ["program", "action"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
