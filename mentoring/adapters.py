from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request) -> bool:
        # People join through an invitation from a program admin (programs.invitations), never by
        # signing themselves up.
        return False
