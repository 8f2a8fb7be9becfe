"""Extension instances, created unbound and attached in create_app()."""

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect

from wish.models import Base

db = SQLAlchemy(model_class=Base)
babel = Babel()
csrf = CSRFProtect()
compress = Compress()
limiter = Limiter(key_func=get_remote_address)
login = LoginManager()
login.session_protection = "strong"
