from . import channel_contract_adjustment
from . import account_move_line
