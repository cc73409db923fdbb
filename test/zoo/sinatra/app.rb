# The zoo's Sinatra app (see test/zoo/README.md): a classic-style Sinatra 3 app on Debian's gems
# (sinatra-contrib, rack-attack, rack-protection, ruby-jwt, sqlite3), served by Puma in single
# mode with one thread (Threads "1:1"), environment production.
# - /api/login: JSON body parsed with JSON.parse; Sinatra has no body validation, so it halts
#   400 with a JSON error as a hand-written Sinatra API does.
# - /api/token: form params, checked by sinatra-contrib's required_params (its bare 400).
# - /api/items: JWT (ruby-jwt) behind the usual `protected!` / `authorized?` helper pair of
#   Sinatra's FAQ, reading `Authorization: Bearer <jwt>` and halting 401.
# - /api/limited: Rack::Attack throttle, 3 per minute per IP, its default 429 "Retry later".
# - /api/comments: Rack::Protection::AuthenticityToken (its default 403 "Forbidden"); the token
#   comes from GET /api/csrf-token and goes back in X-CSRF-Token with the session cookie.
# - /api/boom, /api/orders: unhandled exceptions, Sinatra's default 500 (dump_errors logs them).
# Run: PORT=4567 ZOO_DATA_DIR=/tmp/x ZOO_JWT_SECRET=... ruby test/zoo/sinatra/app.rb
require "sinatra"
require "sinatra/json"
require "sinatra/required_params"
require "rack/attack"
require "jwt"
require "sqlite3"
require "digest"

JWT_SECRET = ENV.fetch("ZOO_JWT_SECRET")
DB_PATH = File.join(ENV.fetch("ZOO_DATA_DIR"), "sinatra-orders.sqlite3")
USERS = { "demo" => "demo-password" }.freeze

set :environment, :production
set :bind, "127.0.0.1"
set :port, Integer(ENV.fetch("PORT"))
set :server, "puma"
set :server_settings, { Threads: "1:1", environment: "production" }
enable :sessions

# The locked database: this connection takes the write lock at boot and never commits.
LOCK_DB = SQLite3::Database.new(DB_PATH)
LOCK_DB.execute("CREATE TABLE IF NOT EXISTS orders (id INTEGER PRIMARY KEY, item TEXT)")
LOCK_DB.execute("BEGIN EXCLUSIVE")

# Rack::Attack needs a cache store; outside Rails its README uses
# ActiveSupport::Cache::MemoryStore, which is not installed here: this is the part of that
# store's API Rack::Attack's throttle calls (increment, write, read, delete).
class MemoryStore
  def initialize
    @data = {}
    @mutex = Mutex.new
  end

  def read(key) = @mutex.synchronize { @data[key] }
  def write(key, value, expires_in: nil) = @mutex.synchronize { @data[key] = value }
  def increment(key, amount = 1, expires_in: nil) = @mutex.synchronize { @data[key] = @data.fetch(key, 0) + amount }
  def delete(key) = @mutex.synchronize { @data.delete(key) }
end

Rack::Attack.cache.store = MemoryStore.new
Rack::Attack.throttle("limited/ip", limit: 3, period: 60) do |req|
  req.ip if req.path == "/api/limited"
end
use Rack::Attack

use Rack::Protection::AuthenticityToken, allow_if: ->(env) { env["PATH_INFO"] != "/api/comments" }

helpers do
  def valid_user?(username, password)
    USERS.key?(username) && Rack::Utils.secure_compare(USERS[username], password.to_s)
  end

  def issue_token(username)
    JWT.encode({ sub: username, exp: Time.now.to_i + 30 * 60 }, JWT_SECRET, "HS256")
  end

  def protected!
    return if authorized?

    halt 401, json(error: "Not authorized")
  end

  def authorized?
    scheme, token = request.env["HTTP_AUTHORIZATION"].to_s.split(" ", 2)
    return false unless scheme == "Bearer" && token

    payload, _header = JWT.decode(token, JWT_SECRET, true, algorithm: "HS256")
    @current_user = payload["sub"]
  rescue JWT::DecodeError
    false
  end
end

get "/health" do
  json status: "ok"
end

post "/api/login" do
  begin
    data = JSON.parse(request.body.read)
  rescue JSON::ParserError
    halt 400, json(error: "Invalid JSON")
  end
  username = data["username"]
  password = data["password"]
  unless username.is_a?(String) && password.is_a?(String)
    halt 400, json(error: "username and password are required")
  end
  halt 401, json(error: "Invalid username or password") unless valid_user?(username, password)
  json token: issue_token(username)
end

post "/api/token" do
  required_params :username, :password
  halt 401, json(error: "Invalid username or password") unless valid_user?(params[:username], params[:password])
  json access_token: issue_token(params[:username]), token_type: "bearer"
end

get "/api/items" do
  protected!
  json [{ id: 1, name: "item 1" }, { id: 2, name: "item 2" }, { id: 3, name: "item 3" }]
end

get "/api/fast" do
  json ok: true
end

get "/api/csrf-token" do
  json csrf_token: Rack::Protection::AuthenticityToken.token(session)
end

post "/api/comments" do
  status 201
  json ok: true
end

get "/api/limited" do
  json ok: true
end

get "/api/boom" do
  config = {}
  json value: config.fetch("missing") # KeyError, left to Sinatra's default handler
end

post "/api/orders" do
  db = SQLite3::Database.new(DB_PATH)
  db.busy_timeout = 100
  db.execute("INSERT INTO orders (item) VALUES (?)", ["item 1"])
  status 201
  json ok: true
ensure
  db&.close
end

get "/api/slow" do
  sleep 0.3
  json ok: true
end

get "/api/cpu" do
  start = Process.clock_gettime(Process::CLOCK_THREAD_CPUTIME_ID)
  digest = "zoo"
  while Process.clock_gettime(Process::CLOCK_THREAD_CPUTIME_ID) - start < 0.02
    200.times { digest = Digest::SHA256.digest(digest) }
  end
  json ok: true, digest: digest.unpack1("H16")
end
