from . import base_partner_merge_automatic_wizard
from . import payment_link_wizard
from . import portal_wizard_user
