#!/usr/bin/python3
"""Issue a project-scoped Fernet token with Keystone's own code and keys, expiring MINUTES
from now (negative: already expired), as Keystone would have issued it then. Tests use it to
get an expired token without waiting an hour.
Usage: keystoneToken.py KEYSTONE_CONF USER_ID PROJECT_ID MINUTES"""
import datetime
import sys

import keystone.conf
from keystone.common import utils
from keystone.token import token_formatters

conf_file, user_id, project_id, minutes = sys.argv[1:5]
CONF = keystone.conf.CONF
keystone.conf.configure(CONF)
CONF(args=[], project='keystone', default_config_files=[conf_file])
expires = datetime.datetime.utcnow() + datetime.timedelta(minutes=float(minutes))
print(token_formatters.TokenFormatter().create_token(
    user_id, utils.isotime(expires, subsecond=True), ['a2lsbi10ZXN0LWF1ZGl0'],
    token_formatters.ProjectScopedPayload, methods=['password'], project_id=project_id))
