"""The `himaya` console command: manage.py with friendlier names for everyday operations.

himaya run [--host H] [--port P]   migrate, load the demo once, serve (with a task worker)
himaya db_worker                   run the background tasks (annual reports of large caseloads)
himaya demo                        load the demo data (once; a second run adds nothing)
himaya createadmin                 create a system administrator
himaya totp [--recovery] USERNAME  a demo user's current TOTP code (demo mode only)
himaya rotatekeys                  re-encrypt every field with the newest key
himaya backup [--output FILE]      an encrypted backup of the database and uploads, with a manifest
himaya restore FILE                restore a backup into an empty database, checking its manifest
himaya reindex                     rebuild the blind index of names
himaya loadquestionnaires          load the shipped screening questionnaires (changes: drafts)
himaya import-justice FILE --org ID --user USERNAME [--commit]
                                   check (then import) a police or prosecution register
himaya <any manage.py command>
"""

import os
import sys

ALIASES = {"run": "himaya_run", "demo": "demo", "createadmin": "createadmin", "totp": "totp"}


def django_main(argv):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "himaya.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(argv)


def main():
    argv = list(sys.argv)
    argv[0] = "himaya"
    if len(argv) > 1:
        argv[1] = ALIASES.get(argv[1], argv[1])
    if len(argv) > 1 and argv[1] in {"himaya_run", "demo", "totp"}:
        # The everyday commands of a demo machine run in demo mode unless told otherwise.
        os.environ.setdefault("HIMAYA_DEMO", "1")
    django_main(argv)


if __name__ == "__main__":
    main()
