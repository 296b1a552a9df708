"""What program admins, mentors and mentees do in a program: one function per action, in a module
per noun. Import from the module that owns the noun.

- dyads.py       a dyad from start to end: create_dyad, end_dyad, pause_dyad, resume_dyad,
                 approve_dyad, decline_proposed_dyad, set_dyad_cadence
- pairing.py     who is paired with whom: pair_mentee, add_supplemental_mentor, re_pair_mentee,
                 make_primary, confirm_cohort (the cohort run)
- agreements.py  the dyad's agreement: start_agreement, update_agreement, acknowledge_agreement
- requests.py    what people ask: request_mentor, accept_mentor_request, decline_mentor_request,
                 withdraw_mentor_request, decline_pending_requests; request_re_pair,
                 handle_re_pair_request
- supervisors.py administrative supervisors: recorded_supervisor, set_supervisor,
                 parse_supervisor_rows, import_supervisors, set_supervisor_conflict (on a dyad)
- profiles.py    profiles for matching: save_profile, remind_profile
- program.py     the program itself: update_program_settings (of models.PROGRAM_SETTINGS_FIELDS),
                 send_notice_again
- checks.py      checks several of them make before they write: refuse, check_pairing, mentor_load

The order they import each other in, one way: checks, supervisors, agreements, dyads, requests,
pairing.
"""
