from . import channel_credit_release
