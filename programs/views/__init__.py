"""The programs app's pages, a module per noun (programs/urls.py maps them):

- dyads.py             the program page, a dyad's page, its admin actions, agreement, settings
- pairing.py           pair a mentee, add a supplemental mentor, re-pair, make primary
- cohort.py            the cohort run: all unpaired mentees at once
- supervisors.py       a member's supervisor, many from a spreadsheet, a dyad's supervisor flag
- re_pair_requests.py  asking the admins for a different pairing, and their page of it
- requests.py          mentor requests: the directory, asking, answering, withdrawing
- members.py, invitations.py, security.py, notices.py   the admin's people pages
- profile.py           a person's profile for matching; the admin's list of incomplete ones
"""
