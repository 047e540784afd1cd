from . import channel_paid_status_mixin
from . import account_move
from . import res_company
from . import res_config_settings
from . import res_partner
from . import sale_order
from . import sale_order_line
from . import payment_transaction
