from . import test_risk
from . import test_credit_hold
from . import test_concurrency
from . import test_paid_status
from . import test_overdue_hold
from . import test_credit_security
from . import test_credit_confirm_write
from . import test_credit_queries
