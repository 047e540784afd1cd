from . import channel_contract_quantity
