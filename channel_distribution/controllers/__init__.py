from . import sale_portal
from . import portal
from . import my_account
