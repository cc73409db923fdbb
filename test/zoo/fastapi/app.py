"""The zoo's FastAPI app (see test/zoo/README.md): Debian's FastAPI 0.92 / pydantic 1.10 / PyJWT,
served by uvicorn (one worker). Auth is the FastAPI docs' "OAuth2 with Password (and hashing),
Bearer with JWT tokens" page: OAuth2PasswordRequestForm at /api/token, OAuth2PasswordBearer + PyJWT
at /api/items. /api/login's body is a pydantic model (FastAPI's own 422 on a bad body).
Not idiomatic-by-library, because Debian has no such library:
- rate limit: FastAPI's docs point to slowapi, which is not installed (nor in Debian); /api/limited
  uses the `limits` library slowapi is built on (Debian's python3-limits, pulled in by
  flask-limiter) and refuses with FastAPI's default HTTPException(429) body.
- CSRF: FastAPI has no CSRF protection of its own; /api/comments is unprotected (always 201).
Errors of /api/boom and /api/orders are left to Starlette/uvicorn (500 "Internal Server Error",
traceback in uvicorn's log).
Run: PORT=8000 ZOO_DATA_DIR=/tmp/x ZOO_JWT_SECRET=... /usr/bin/python3 test/zoo/fastapi/app.py
"""
import asyncio
import hashlib
import hmac
import os
import sqlite3
import time
from datetime import datetime, timedelta, timezone

import jwt
from fastapi import Depends, FastAPI, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from jwt.exceptions import InvalidTokenError
from limits import parse, storage, strategies
from pydantic import BaseModel

SECRET_KEY = os.environ["ZOO_JWT_SECRET"]
ALGORITHM = "HS256"
ACCESS_TOKEN_EXPIRE_MINUTES = 30
DATA_DIR = os.environ["ZOO_DATA_DIR"]
DB_PATH = os.path.join(DATA_DIR, "fastapi-orders.sqlite3")

# The docs hash passwords with passlib (not installed); PBKDF2 from the stdlib stands in for it.
SALT = b"zoo-salt"
USERS = {"demo": hashlib.pbkdf2_hmac("sha256", b"demo-password", SALT, 1000)}

# The locked database: this connection takes the write lock at boot and never commits.
lock_db = sqlite3.connect(DB_PATH, isolation_level=None, check_same_thread=False)
lock_db.execute("CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, item TEXT)")
lock_db.execute("BEGIN EXCLUSIVE")

limit_storage = storage.MemoryStorage()  # the limiter keeps only a weak reference to it
limiter = strategies.FixedWindowRateLimiter(limit_storage)
THREE_PER_MINUTE = parse("3/minute")

app = FastAPI()
oauth2_scheme = OAuth2PasswordBearer(tokenUrl="api/token")


class Login(BaseModel):
    username: str
    password: str


def authenticate_user(username: str, password: str):
    stored = USERS.get(username)
    given = hashlib.pbkdf2_hmac("sha256", password.encode(), SALT, 1000)
    return username if stored and hmac.compare_digest(stored, given) else None


def create_access_token(data: dict, expires_delta: timedelta):
    to_encode = data.copy()
    to_encode.update({"exp": datetime.now(timezone.utc) + expires_delta})
    return jwt.encode(to_encode, SECRET_KEY, algorithm=ALGORITHM)


def login_or_401(username: str, password: str) -> str:
    user = authenticate_user(username, password)
    if not user:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    expires = timedelta(minutes=ACCESS_TOKEN_EXPIRE_MINUTES)
    return create_access_token({"sub": user}, expires)


async def get_current_user(token: str = Depends(oauth2_scheme)):
    credentials_exception = HTTPException(
        status_code=status.HTTP_401_UNAUTHORIZED,
        detail="Could not validate credentials",
        headers={"WWW-Authenticate": "Bearer"},
    )
    try:
        payload = jwt.decode(token, SECRET_KEY, algorithms=[ALGORITHM])
        username = payload.get("sub")
        if username is None:
            raise credentials_exception
    except InvalidTokenError:
        raise credentials_exception
    if username not in USERS:
        raise credentials_exception
    return username


def rate_limit(request: Request):
    # What slowapi's @limiter.limit("3/minute") does, keyed on the client address.
    if not limiter.hit(THREE_PER_MINUTE, request.client.host):
        raise HTTPException(status_code=status.HTTP_429_TOO_MANY_REQUESTS)


@app.get("/health")
async def health():
    return {"status": "ok"}


@app.post("/api/login")
async def login(body: Login):
    return {"token": login_or_401(body.username, body.password)}


@app.post("/api/token")
async def login_for_access_token(form_data: OAuth2PasswordRequestForm = Depends()):
    token = login_or_401(form_data.username, form_data.password)
    return {"access_token": token, "token_type": "bearer"}


@app.get("/api/items")
async def read_items(current_user: str = Depends(get_current_user)):
    return [{"id": 1, "name": "item 1"}, {"id": 2, "name": "item 2"}, {"id": 3, "name": "item 3"}]


@app.get("/api/fast")
async def fast():
    return {"ok": True}


@app.post("/api/comments", status_code=status.HTTP_201_CREATED)
async def create_comment():
    # No CSRF protection: FastAPI has none of its own.
    return {"ok": True}


@app.get("/api/limited", dependencies=[Depends(rate_limit)])
async def limited():
    return {"ok": True}


@app.get("/api/boom")
async def boom():
    settings = {}
    return {"value": settings["missing"]}  # KeyError, left to the default handler


@app.post("/api/orders", status_code=status.HTTP_201_CREATED)
def create_order():
    db = sqlite3.connect(DB_PATH, timeout=0.1)
    try:
        with db:
            db.execute("INSERT INTO orders (item) VALUES (?)", ("item 1",))
    finally:
        db.close()
    return {"ok": True}


@app.get("/api/slow")
async def slow():
    await asyncio.sleep(0.3)
    return {"ok": True}


@app.get("/api/cpu")
def cpu():
    start = time.thread_time()
    digest = b"zoo"
    while time.thread_time() - start < 0.02:
        for _ in range(200):
            digest = hashlib.sha256(digest).digest()
    return {"ok": True, "digest": digest.hex()[:16]}


if __name__ == "__main__":
    import uvicorn

    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["PORT"]), workers=1)
