"""gunicorn's access log without full ID numbers or phones: ``?q=<id number>`` is a search a
privileged user may run, but the request line must not keep it (docs/security.md)."""

from gunicorn.glogging import Logger

from organizations.masks import scrub_personal_data


class ScrubbingLogger(Logger):
    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for key in ("r", "q", "U", "f"):
            if isinstance(atoms.get(key), str):
                atoms[key] = scrub_personal_data(atoms[key])
        return atoms
