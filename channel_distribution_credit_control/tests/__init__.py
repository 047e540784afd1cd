from . import test_dunning
from . import test_portal
from . import test_served_overdue
from . import test_dunning_terms
