"""Diagnosis-zoo app: Django REST framework 3.14 on Django 3.2 (see test/zoo/README.md).

A single-file Django project: settings.configure(...), urlpatterns, DRF views. At start it migrates
its SQLite db (users, sessions, authtokens) under ZOO_DATA_DIR in-process, creates demo /
demo-password, then serves with Django's own development server:
    runserver 127.0.0.1:$PORT --noreload --nothreading   (one process, one thread)
Run: PORT=... ZOO_DATA_DIR=... /usr/bin/python3 app.py

What answers the faults (all DRF / Django defaults):
- /api/login: DRF's obtain_auth_token (AuthTokenSerializer; parsers: form, multipart, JSON);
- /api/token: an APIView with parser_classes = [FormParser] (JSON -> DRF's 415);
- /api/items: TokenAuthentication + IsAuthenticated (`Authorization: Token <key>`);
- /api/limited: AnonRateThrottle, 'anon': '3/min' (429 + Retry-After);
- /api/comments: SessionAuthentication, which enforces Django's CSRF check (403);
- /api/boom, /api/orders: DEBUG=False, Django's handler500; the traceback reaches stderr through
  the minimal LOGGING of Django's logging docs (root logger -> console), see the note there.
"""
import hashlib
import os
import sqlite3
import sys
import time

import django
from django.conf import settings

DATA_DIR = os.environ.get("ZOO_DATA_DIR", ".")
PORT = os.environ.get("PORT", "8000")
ORDERS_DB = os.path.join(DATA_DIR, "orders.sqlite3")

settings.configure(
    DEBUG=False,
    SECRET_KEY=os.environ.get("ZOO_JWT_SECRET", "django-insecure-zoo"),
    ALLOWED_HOSTS=["127.0.0.1", "localhost"],
    ROOT_URLCONF=__name__,
    INSTALLED_APPS=[
        "django.contrib.auth",
        "django.contrib.contenttypes",
        "django.contrib.sessions",
        "django.contrib.staticfiles",
        "rest_framework",
        "rest_framework.authtoken",
    ],
    MIDDLEWARE=[
        "django.middleware.security.SecurityMiddleware",
        "django.contrib.sessions.middleware.SessionMiddleware",
        "django.middleware.common.CommonMiddleware",
        "django.middleware.csrf.CsrfViewMiddleware",
        "django.contrib.auth.middleware.AuthenticationMiddleware",
        "django.middleware.clickjacking.XFrameOptionsMiddleware",
    ],
    TEMPLATES=[{"BACKEND": "django.template.backends.django.DjangoTemplates", "APP_DIRS": True}],
    STATIC_URL="/static/",
    DATABASES={
        "default": {"ENGINE": "django.db.backends.sqlite3", "NAME": os.path.join(DATA_DIR, "db.sqlite3")},
        # The orders database: another connection of the app holds a write lock on it (below).
        "orders": {"ENGINE": "django.db.backends.sqlite3", "NAME": ORDERS_DB, "OPTIONS": {"timeout": 0.1}},
    },
    DEFAULT_AUTO_FIELD="django.db.models.AutoField",
    USE_TZ=True,
    REST_FRAMEWORK={"DEFAULT_THROTTLE_RATES": {"anon": "3/min"}},
    # Django's default LOGGING sends "Internal Server Error: ..." to the console only when
    # DEBUG=True (and to mail_admins otherwise); this is the docs' minimal configuration
    # ("log all messages to the console") so that the traceback reaches stderr with DEBUG=False.
    LOGGING={
        "version": 1,
        "disable_existing_loggers": False,
        "handlers": {"console": {"class": "logging.StreamHandler"}},
        "root": {"handlers": ["console"], "level": "WARNING"},
    },
)
django.setup()

from django.contrib.auth import login as session_login  # noqa: E402
from django.contrib.auth.models import User  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.urls import path  # noqa: E402
from rest_framework import status  # noqa: E402
from rest_framework.authentication import SessionAuthentication, TokenAuthentication  # noqa: E402
from rest_framework.authtoken.models import Token  # noqa: E402
from rest_framework.authtoken.serializers import AuthTokenSerializer  # noqa: E402
from rest_framework.authtoken.views import obtain_auth_token  # noqa: E402
from rest_framework.decorators import api_view, throttle_classes  # noqa: E402
from rest_framework.parsers import FormParser  # noqa: E402
from rest_framework.permissions import IsAuthenticated  # noqa: E402
from rest_framework.response import Response  # noqa: E402
from rest_framework.throttling import AnonRateThrottle  # noqa: E402
from rest_framework.views import APIView  # noqa: E402


@api_view(["GET"])
def health(request):
    return Response({"status": "ok"})


class TokenView(APIView):
    """OAuth2 password-style login: form fields only."""
    parser_classes = [FormParser]

    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        token, _ = Token.objects.get_or_create(user=serializer.validated_data["user"])
        return Response({"access_token": token.key, "token_type": "bearer"})


class SessionLoginView(APIView):
    """Session login (django.contrib.auth.login): sets the sessionid and csrftoken cookies."""
    authentication_classes = []

    def post(self, request):
        serializer = AuthTokenSerializer(data=request.data, context={"request": request})
        serializer.is_valid(raise_exception=True)
        session_login(request, serializer.validated_data["user"])
        return Response({"username": request.user.username})


class ItemsView(APIView):
    authentication_classes = [TokenAuthentication]
    permission_classes = [IsAuthenticated]

    def get(self, request):
        return Response([{"id": i, "name": f"item {i}"} for i in range(1, 4)])


class CommentsView(APIView):
    authentication_classes = [SessionAuthentication]
    permission_classes = [IsAuthenticated]

    def post(self, request):
        return Response({"id": 1, "created": True}, status=status.HTTP_201_CREATED)


@api_view(["GET"])
@throttle_classes([AnonRateThrottle])
def limited(request):
    return Response({"ok": True})


@api_view(["GET"])
def fast(request):
    return Response({"ok": True})


@api_view(["GET"])
def boom(request):
    settings_ = {}
    return Response({"value": settings_["missing_key"]})  # KeyError -> Django's default 500


@api_view(["POST"])
def orders(request):
    with connections["orders"].cursor() as cursor:
        cursor.execute("INSERT INTO orders (item) VALUES (%s)", ["item 1"])
    return Response({"created": True}, status=status.HTTP_201_CREATED)


@api_view(["GET"])
def slow(request):
    time.sleep(0.3)
    return Response({"ok": True})


@api_view(["GET"])
def cpu(request):
    h, end = b"zoo", time.process_time() + 0.02  # ~20 ms of CPU
    while time.process_time() < end:
        h = hashlib.sha256(h).digest()
    return Response({"ok": True, "digest": h.hex()[:16]})


urlpatterns = [
    path("health", health),
    path("api/login", obtain_auth_token),
    path("api/token", TokenView.as_view()),
    path("api/session-login", SessionLoginView.as_view()),
    path("api/items", ItemsView.as_view()),
    path("api/fast", fast),
    path("api/comments", CommentsView.as_view()),
    path("api/limited", limited),
    path("api/boom", boom),
    path("api/orders", orders),
    path("api/slow", slow),
    path("api/cpu", cpu),
]


def main():
    call_command("migrate", verbosity=0, interactive=False)
    if not User.objects.filter(username="demo").exists():
        User.objects.create_user("demo", password="demo-password")
    # The lock holder: a plain sqlite3 connection that takes a write lock at boot, never commits.
    holder = sqlite3.connect(ORDERS_DB, isolation_level=None)
    holder.execute("CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, item TEXT)")
    holder.execute("BEGIN EXCLUSIVE")
    main.holder = holder
    call_command("runserver", f"127.0.0.1:{PORT}", use_reloader=False, use_threading=False)


if __name__ == "__main__":
    sys.exit(main())
