from . import sale_make_invoice_advance
from . import account_move_reversal
