from . import test_invoicing
from . import test_credit_notes
from . import test_invoicing_hooks
from . import test_abuse
from . import test_business_role
from . import test_coexistence
from . import test_security
from . import test_invoicing_performance
