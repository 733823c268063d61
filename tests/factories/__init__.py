"""Factories for tests (factory_boy + Faker zh_CN), one module per app; every row goes through
the service the product uses to write it (``base.ServiceFactory``). Everything public is
re-exported here: ``from tests.factories import MemberFactory``."""

from tests.factories.base import *  # noqa: F403
from tests.factories.committees import *  # noqa: F403
from tests.factories.core import *  # noqa: F403
from tests.factories.helpers import *  # noqa: F403
from tests.factories.members import *  # noqa: F403
from tests.factories.members_life import *  # noqa: F403
from tests.factories.organizations import *  # noqa: F403
from tests.factories.projects import *  # noqa: F403
