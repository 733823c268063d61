"""Admin of the members app, split by topic."""

from members.admin.access_log import *  # noqa: F403
from members.admin.elections import *  # noqa: F403
from members.admin.members import *  # noqa: F403
from members.admin.positions import *  # noqa: F403
from members.admin_meetings import *  # noqa: F403
from members.admin_points import *  # noqa: F403
from members.development.admin import *  # noqa: F403
from members.dues.admin import *  # noqa: F403
from members.transfers.admin import *  # noqa: F403
from members.volunteering.admin import *  # noqa: F403
