from . import commission
from . import commission_line_mixin
from . import account_invoice_line_agent
from . import account_move
from . import account_move_line
from . import commission_settlement
from . import res_partner
from . import commission_make_settle
