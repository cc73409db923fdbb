"""The example API: FastAPI + SQLAlchemy (a connection pool) + PostgreSQL, behind nginx.

POST /token is an OAuth2 form login; GET /items reads the database with the bearer token.
GET /livez says the process is up (the container's healthcheck); GET /health also asks the
database (what loadgate waits for).
Environment: DB_PORT or DATABASE_URL, POOL_SIZE (default 5), API_USER / API_PASSWORD, JWT_SECRET,
FAULT: none | slow-query (each /items query takes SLOW_SECONDS, default 2) |
crash-after (the process exits with code 3 after CRASH_AFTER requests to /items) |
leak (each /items request keeps LEAK_MB more memory: under a memory limit, an OOM kill).
"""
import os
import time

import jwt
from fastapi import Depends, FastAPI, HTTPException, status
from fastapi.security import OAuth2PasswordBearer, OAuth2PasswordRequestForm
from sqlalchemy import create_engine, text

DATABASE_URL = os.environ.get("DATABASE_URL") or (
    f"postgresql+psycopg2://postgres@127.0.0.1:{os.environ.get('DB_PORT', '5432')}/postgres"
)
POOL_SIZE = int(os.environ.get("POOL_SIZE", "5"))
SECRET = os.environ.get("JWT_SECRET", "example-secret-key-0123456789abcdef")
USERS = {os.environ.get("API_USER", "demo"): os.environ.get("API_PASSWORD", "demo-password")}
FAULT = os.environ.get("FAULT", "none")
SLOW_SECONDS = float(os.environ.get("SLOW_SECONDS", "2"))
CRASH_AFTER = int(os.environ.get("CRASH_AFTER", "200"))
LEAK_MB = int(os.environ.get("LEAK_MB", "10"))
leaked = []

engine = create_engine(DATABASE_URL, pool_size=POOL_SIZE, max_overflow=0, pool_timeout=1)
app = FastAPI()
oauth2 = OAuth2PasswordBearer(tokenUrl="token")
served = 0


@app.get("/livez")
def livez():
    return {"status": "ok"}


@app.get("/health")
def health():
    with engine.connect() as connection:
        connection.execute(text("select 1"))
    return {"status": "ok"}


@app.post("/token")
def login(form: OAuth2PasswordRequestForm = Depends()):
    if USERS.get(form.username) != form.password:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Incorrect username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    token = jwt.encode({"sub": form.username, "iat": int(time.time())}, SECRET, algorithm="HS256")
    return {"access_token": token, "token_type": "bearer"}


def current_user(token: str = Depends(oauth2)):
    try:
        return jwt.decode(token, SECRET, algorithms=["HS256"])["sub"]
    except jwt.PyJWTError:
        raise HTTPException(
            status_code=status.HTTP_401_UNAUTHORIZED,
            detail="Could not validate credentials",
            headers={"WWW-Authenticate": "Bearer"},
        )


@app.get("/items")
def items(user: str = Depends(current_user)):
    global served
    served += 1
    if FAULT == "crash-after" and served > CRASH_AFTER:
        os._exit(3)
    if FAULT == "leak":
        leaked.append(b"x" * (LEAK_MB * 1024 * 1024))
    delay = SLOW_SECONDS if FAULT == "slow-query" else 0
    with engine.connect() as connection:
        rows = connection.execute(
            text("select n, 'item ' || n as name, pg_sleep(:delay) from generate_series(1, 10) n"
                 " limit 10"),
            {"delay": delay / 10},
        ).all()
    return [{"id": row[0], "name": row[1]} for row in rows]
