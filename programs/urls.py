from django.urls import path

from mentoring import converters  # noqa: F401 (registers <id:...>, a 64-bit database id)
from programs.views import cohort, dyads, pairing, re_pair_requests, supervisors
from programs.views import invitations as invitation_views
from programs.views import members as member_views
from programs.views import notices as notice_views
from programs.views import profile as profile_views
from programs.views import requests as request_views
from programs.views import security as security_views

app_name = "programs"

urlpatterns = [
    path("programs/<slug:slug>/", dyads.program_detail, name="detail"),
    path("programs/<slug:slug>/settings/", dyads.program_settings, name="settings"),
    path("dyads/<id:pk>/", dyads.dyad_detail, name="dyad"),
    # The admin's dyad pages (helper "dyads").
    path("programs/<slug:slug>/pair/", pairing.pair, name="pair"),
    path("programs/<slug:slug>/supplemental/", pairing.add_supplemental, name="add_supplemental"),
    path("programs/<slug:slug>/cohort/", cohort.cohort, name="cohort"),
    path("programs/<slug:slug>/profiles/", profile_views.profile_status, name="profile_status"),
    path(
        "programs/<slug:slug>/members/<id:user_pk>/supervisor/",
        supervisors.member_supervisor,
        name="member_supervisor",
    ),
    path(
        "programs/<slug:slug>/supervisors/",
        supervisors.supervisors_import,
        name="supervisors_import",
    ),
    path("profile/matching/", profile_views.profile, name="profile"),
    path("dyads/<id:pk>/make-primary/", pairing.make_primary, name="make_primary"),
    path("dyads/<id:pk>/supervisor/", supervisors.dyad_supervisor, name="dyad_supervisor"),
    path("dyads/<id:pk>/ask-re-pair/", re_pair_requests.request_re_pair, name="request_re_pair"),
    path(
        "re-pair-requests/<id:pk>/", re_pair_requests.re_pair_request_detail, name="re_pair_request"
    ),
    path(
        "programs/<slug:slug>/mentees/<id:user_pk>/",
        dyads.mentee_history,
        name="mentee_history",
    ),
    path("dyads/<id:pk>/end/", dyads.dyad_end, name="dyad_end"),
    path("dyads/<id:pk>/re-pair/", pairing.dyad_re_pair, name="dyad_re_pair"),
    path("dyads/<id:pk>/pause/", dyads.dyad_pause, name="dyad_pause"),
    path("dyads/<id:pk>/resume/", dyads.dyad_resume, name="dyad_resume"),
    path("dyads/<id:pk>/approve/", dyads.dyad_approve, name="dyad_approve"),
    path("dyads/<id:pk>/decline/", dyads.dyad_decline, name="dyad_decline"),
    path("dyads/<id:pk>/cadence/", dyads.dyad_cadence, name="dyad_cadence"),
    path("dyads/<id:pk>/agreement/", dyads.agreement_edit, name="agreement_edit"),
    path("dyads/<id:pk>/agreement/acknowledge/", dyads.agreement_ack, name="agreement_ack"),
    # Chosen, not only assigned: mentor requests.
    path("programs/<slug:slug>/mentors/", request_views.mentors, name="mentors"),
    path(
        "programs/<slug:slug>/mentors/<id:user_pk>/request/",
        request_views.request_mentor,
        name="request_mentor",
    ),
    path("programs/<slug:slug>/requests/", request_views.program_requests, name="requests"),
    path(
        "programs/<slug:slug>/requests/approve-all/",
        request_views.approve_all,
        name="approve_all",
    ),
    path("requests/<id:pk>/", request_views.request_detail, name="request"),
    path("requests/<id:pk>/withdraw/", request_views.request_withdraw, name="request_withdraw"),
    path("programs/<slug:slug>/members/", member_views.member_list, name="members"),
    path(
        "programs/<slug:slug>/members/<id:user_pk>/edit/",
        member_views.member_edit,
        name="member_edit",
    ),
    path(
        "programs/<slug:slug>/members/<id:user_pk>/deactivate/",
        member_views.member_deactivate,
        name="member_deactivate",
    ),
    path(
        "programs/<slug:slug>/members/<id:user_pk>/reactivate/",
        member_views.member_reactivate,
        name="member_reactivate",
    ),
    path("programs/<slug:slug>/members.csv", member_views.members_csv, name="members_csv"),
    path("programs/<slug:slug>/audit/", member_views.audit, name="audit"),
    path("programs/<slug:slug>/security/", security_views.program_security, name="security"),
    path(
        "programs/<slug:slug>/security.csv",
        security_views.program_security_csv,
        name="security_csv",
    ),
    path("programs/<slug:slug>/invite/", invitation_views.invite, name="invite"),
    path("programs/<slug:slug>/invite/bulk/", invitation_views.invite_bulk, name="invite_bulk"),
    # The operators' view of what the program's notices did: failures and "send again".
    path("programs/<slug:slug>/notices/", notice_views.program_notices, name="notices"),
    path("notices/<id:pk>/send-again", notice_views.send_again, name="notice_send_again"),
    path("invitations/<str:token>/", invitation_views.accept, name="accept_invitation"),
]
