from . import test_portal
from . import test_portal_quick_customer
from . import test_abuse
from . import test_access_paths
from . import test_business_role
from . import test_price_book_leak
from . import test_probe
