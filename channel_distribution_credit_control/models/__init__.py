from . import credit_control_communication
from . import credit_control_line
from . import credit_control_policy
from . import res_company
from . import res_config_settings
from . import res_partner
