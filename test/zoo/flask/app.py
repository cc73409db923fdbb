"""Diagnosis-zoo app: Flask 2.2 (see test/zoo/README.md for the contract).

Run: PORT=... ZOO_DATA_DIR=... ZOO_JWT_SECRET=... /usr/bin/python3 app.py
(Flask's own Werkzeug development server via app.run(threaded=False): one process, one thread.)

Libraries, as their docs / the usual tutorials show them:
- validation: Flask-WTF forms (FlaskForm + DataRequired); a failed form answers form.errors with 400
  (Flask-WTF reads JSON bodies via request.get_json() and form bodies alike);
- auth: PyJWT + the tutorials' `token_required` decorator (Authorization: Bearer <jwt>,
  401 {"message": "Token is missing!"} / {"message": "Token is invalid!"});
- rate limit: Flask-Limiter, 3 per minute on /api/limited, its default 429 page;
- CSRF: Flask-WTF CSRFProtect (token from GET /api/csrf-token, sent back in X-CSRFToken with the
  session cookie); its default 400 page on refusal. CSRFProtect guards every POST, so the two
  logins and /api/orders are @csrf.exempt, as its docs show for API views;
- errors: Flask's default handling (500 page, traceback logged by app.logger).
"""
import datetime
import hashlib
import os
import sqlite3
import time
from functools import wraps

import jwt
from flask import Flask, abort, jsonify, request
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_wtf import FlaskForm
from flask_wtf.csrf import CSRFProtect, generate_csrf
from werkzeug.security import check_password_hash, generate_password_hash
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired

DATA_DIR = os.environ.get("ZOO_DATA_DIR", ".")
PORT = int(os.environ.get("PORT", "5000"))

app = Flask(__name__)
app.config["SECRET_KEY"] = os.environ.get("ZOO_JWT_SECRET", "dev-secret")

csrf = CSRFProtect(app)
limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")

USERS = {"demo": generate_password_hash("demo-password")}

# The orders database: a second connection holds a write lock for the app's whole life.
ORDERS_DB = os.path.join(DATA_DIR, "orders.sqlite3")
_lock_holder = sqlite3.connect(ORDERS_DB, isolation_level=None, check_same_thread=False)
_lock_holder.execute("CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, item TEXT)")
_lock_holder.execute("BEGIN EXCLUSIVE")


class LoginForm(FlaskForm):
    username = StringField("username", validators=[DataRequired()])
    password = PasswordField("password", validators=[DataRequired()])


def issue_token(username):
    payload = {
        "sub": username,
        "exp": datetime.datetime.now(datetime.timezone.utc) + datetime.timedelta(minutes=30),
    }
    return jwt.encode(payload, app.config["SECRET_KEY"], algorithm="HS256")


def token_required(f):
    @wraps(f)
    def decorated(*args, **kwargs):
        token = None
        if "Authorization" in request.headers:
            token = request.headers["Authorization"].split(" ")[1]
        if not token:
            return jsonify({"message": "Token is missing!"}), 401
        try:
            data = jwt.decode(token, app.config["SECRET_KEY"], algorithms=["HS256"])
            current_user = data["sub"]
        except:  # noqa: E722 -- as the tutorials write it
            return jsonify({"message": "Token is invalid!"}), 401
        return f(current_user, *args, **kwargs)

    return decorated


@app.get("/health")
def health():
    return jsonify(status="ok")


@app.post("/api/login")
@csrf.exempt
def login():
    form = LoginForm(meta={"csrf": False})
    if not form.validate_on_submit():
        return jsonify(form.errors), 400
    hashed = USERS.get(form.username.data)
    if hashed is None or not check_password_hash(hashed, form.password.data):
        abort(401)  # Flask's own 401 page
    return jsonify(token=issue_token(form.username.data))


@app.post("/api/token")
@csrf.exempt
def token():
    # OAuth2 password-style: form fields only (formdata=request.form, so a JSON body is not read).
    form = LoginForm(formdata=request.form, meta={"csrf": False})
    if not form.validate():
        return jsonify(form.errors), 400
    hashed = USERS.get(form.username.data)
    if hashed is None or not check_password_hash(hashed, form.password.data):
        abort(401)  # Flask's own 401 page
    return jsonify(access_token=issue_token(form.username.data), token_type="bearer")


@app.get("/api/items")
@token_required
def items(current_user):
    return jsonify([{"id": i, "name": f"item {i}"} for i in range(1, 4)])


@app.get("/api/fast")
def fast():
    return jsonify(ok=True)


@app.get("/api/csrf-token")
def csrf_token():
    return jsonify(csrf_token=generate_csrf())


@app.post("/api/comments")
def comments():
    return jsonify(id=1, created=True), 201


@app.get("/api/limited")
@limiter.limit("3 per minute")
def limited():
    return jsonify(ok=True)


@app.get("/api/boom")
def boom():
    settings = {}
    return jsonify(value=settings["missing_key"])  # KeyError -> Flask's default 500


@app.post("/api/orders")
@csrf.exempt
def orders():
    conn = sqlite3.connect(ORDERS_DB, timeout=0.1)
    try:
        conn.execute("INSERT INTO orders (item) VALUES (?)", ("item 1",))
        conn.commit()
    finally:
        conn.close()
    return jsonify(created=True), 201


@app.get("/api/slow")
def slow():
    time.sleep(0.3)
    return jsonify(ok=True)


@app.get("/api/cpu")
def cpu():
    h, end = b"zoo", time.process_time() + 0.02  # ~20 ms of CPU
    while time.process_time() < end:
        h = hashlib.sha256(h).digest()
    return jsonify(ok=True, digest=h.hex()[:16])


if __name__ == "__main__":
    app.run(host="127.0.0.1", port=PORT, threaded=False)
