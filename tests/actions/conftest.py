"""The action server's settings in these tests: the token it shares with the gateway."""

import os

# read once by actions.settings.get_settings(); the tests compare what is sent against it
os.environ.setdefault("LERA_SERVICE_TOKEN", "actions-tests-service-token-7d1e4b")
