from . import test_statement
from . import test_statement_access
from . import test_statement_mail
