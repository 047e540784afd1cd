from . import channel_credit_release
from . import partner_risk_exceeded_wiz
