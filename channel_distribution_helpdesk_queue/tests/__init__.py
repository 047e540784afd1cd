from . import test_background_tickets
