"""The projects app's part of the member portal (党员端): micro-wishes open in the member's
compound (claim, fulfil with a photo) and the resident requests dispatched to the member
(accept, record progress, resolve). Plugged into ``/me/`` by config/urls.py and onto the
portal home by ``projects/contributions.py`` (``register_portal_link``)."""
