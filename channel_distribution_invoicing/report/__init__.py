from . import account_invoice_report
from . import sale_report
