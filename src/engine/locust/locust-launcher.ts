/**
 * The Python script every Locust process of a run starts through (`python3 launch_locust.py
 * <locust args>`). The user's locustfile is not changed; the launcher adds, through Locust's
 * events and from the environment loadgate sets:
 *
 * - one version for every process: Debian's python3-locust 2.12 reports an empty version ("0.0.0"
 *   to its metadata), and its master then rejects its own workers as "pre 2.0";
 * - LOADGATE_OUT: the folder the launcher writes to. Every process that sends requests writes
 *   `evidence-<pid>.json`: status codes per endpoint (successes included) and, per endpoint and
 *   error, the first failing exchange (request and response, or the connection error and its
 *   class), unredacted: loadgate redacts and cuts them like the built-in engine's samples. The
 *   master (or the single process) writes Locust's final numbers once every user stopped
 *   (`final_stats.csv`, `final_failures.csv`, `final_exceptions.csv`, with Locust's own CSV
 *   columns) and, distributed, `workers.json` (users and requests each worker reported);
 * - LOADGATE_ITERATIONS, LOADGATE_USERS: the smoke stage ends once each of its users ran that
 *   many tasks (Locust 2.12 has no --iterations);
 * - LOADGATE_RUN_SECONDS: the ramp stops after that long: the master stops its workers first, so
 *   their last requests are counted before it quits.
 */
export const LOCUST_LAUNCHER = `import importlib.metadata, json, os, sys, types
try:
    version = importlib.metadata.version("locust") or ""
except Exception:
    version = ""
if version in ("", "0.0.0"):
    module = types.ModuleType("locust._version")
    module.version = module.__version__ = "2.12.1"
    sys.modules["locust._version"] = module
import csv, time
import gevent
import locust
import locust.main
from locust import events
from locust.exception import StopUser
from locust.rpc import Message
from locust.runners import MasterRunner, WorkerRunner
from locust.stats import PERCENTILES_TO_REPORT, StatsCSV, StatsError
from locust.user.task import DefaultTaskSet

OUT = os.environ.get("LOADGATE_OUT", "")
KEEP_BYTES = 16384
MAX_SAMPLES = 100
statuses = {}
samples = {}


def text_of(body):
    if body is None:
        return None
    if isinstance(body, bytes):
        return body[:KEEP_BYTES].decode("utf-8", "replace")
    if isinstance(body, str):
        return body[:KEEP_BYTES]
    return "<%s body>" % type(body).__name__


def headers_of(headers):
    try:
        return {str(k).lower(): str(v) for k, v in dict(headers or {}).items()}
    except Exception:
        return {}


def exchange(request_type, name, response, exception, url):
    request = getattr(response, "request", None)
    status = getattr(response, "status_code", 0) or 0
    sample = {
        "request": {
            "method": str(getattr(request, "method", None) or request_type),
            "url": str(getattr(request, "url", None) or url or name),
            "headers": headers_of(getattr(request, "headers", None)),
            "body": text_of(getattr(request, "body", None)),
        },
        "response": None,
        "errorClass": type(exception).__name__,
        "errorText": str(exception)[:500],
    }
    if status > 0:
        content = getattr(response, "content", None) or b""
        if isinstance(content, str):
            content = content.encode("utf-8", "replace")
        sample["response"] = {
            "status": status,
            "headers": headers_of(getattr(response, "headers", None)),
            "body": content[:KEEP_BYTES].decode("utf-8", "replace"),
            "truncated": len(content) > KEEP_BYTES,
        }
    return sample


@events.request.add_listener
def on_request(request_type, name, response=None, exception=None, url=None, **kwargs):
    try:
        status = int(getattr(response, "status_code", 0) or 0)
        key = "%s %s %d" % (request_type, name, status)
        entry = statuses.setdefault(key, {"method": request_type, "name": name, "status": status, "count": 0})
        entry["count"] += 1
        if exception is None:
            return
        error = StatsError.parse_error(exception)
        key = (request_type, name, error)
        if key not in samples and len(samples) < MAX_SAMPLES:
            samples[key] = dict(exchange(request_type, name, response, exception, url), method=request_type, name=name, error=error)
    except Exception as e:  # evidence must never break the user's run
        sys.stderr.write("loadgate: could not record a request: %r\\n" % e)


def write(name, data):
    if OUT:
        with open(os.path.join(OUT, name), "w", encoding="utf-8") as f:
            json.dump(data, f)


def write_csv(environment, suffix, fill):
    with open(os.path.join(OUT, "final_%s.csv" % suffix), "w", newline="", encoding="utf-8") as f:
        fill(StatsCSV(environment, PERCENTILES_TO_REPORT), csv.writer(f))


workers = {}
stopping = []
final_reports = set()


@events.worker_report.add_listener
def on_worker_report(client_id, data):
    worker = workers.setdefault(client_id, {"id": client_id, "users": 0, "requests": 0, "state": "stopped"})
    worker["users"] = max(worker["users"], int(data.get("user_count") or 0))
    worker["requests"] += int((data.get("stats_total") or {}).get("num_requests") or 0)
    if stopping and not data.get("user_count"):
        final_reports.add(client_id)


@events.quit.add_listener
def on_quit(exit_code, **kwargs):
    try:
        write_results()
    except Exception as e:  # loadgate falls back to Locust's own CSV files
        sys.stderr.write("loadgate: could not write the final results: %r\\n" % e)


def write_results():
    if not OUT:
        return
    if statuses or samples:
        write("evidence-%d.json" % os.getpid(), {"statuses": list(statuses.values()), "samples": list(samples.values())})
    environment = runner_environment[0] if runner_environment else None
    if environment is None or isinstance(environment.runner, WorkerRunner):
        return
    write_csv(environment, "stats", lambda s, w: s.requests_csv(w))
    write_csv(environment, "failures", lambda s, w: s.failures_csv(w))
    write_csv(environment, "exceptions", lambda s, w: s.exceptions_csv(w))
    if isinstance(environment.runner, MasterRunner):
        for client in environment.runner.clients.values():
            worker = workers.setdefault(client.id, {"id": client.id, "users": 0, "requests": 0})
            # its last report after the quit said it had no users left: it stopped
            worker["state"] = "stopped" if client.id in final_reports else client.state
        write("workers.json", list(workers.values()))


runner_environment = []
ITERATIONS = int(os.environ.get("LOADGATE_ITERATIONS") or 0)
USERS = int(os.environ.get("LOADGATE_USERS") or 0)
RUN_SECONDS = float(os.environ.get("LOADGATE_RUN_SECONDS") or 0)
done = {}
counted = set()

if ITERATIONS > 0:
    run_task = DefaultTaskSet.execute_task

    def execute_task(self, task):
        user = id(self.user)
        if done.get(user, 0) >= ITERATIONS:
            raise StopUser()
        try:
            run_task(self, task)
        except Exception as e:
            counted.add(id(e))
            raise
        finally:
            done[user] = done.get(user, 0) + 1
        if done[user] >= ITERATIONS:
            raise StopUser()

    DefaultTaskSet.execute_task = execute_task

    def on_user_error(user_instance, exception, tb, **kwargs):
        # raised outside a task (picking one: a user without tasks): still an iteration
        if id(exception) not in counted:
            user = id(getattr(user_instance, "user", user_instance))
            done[user] = done.get(user, 0) + 1
            if done[user] >= ITERATIONS:
                raise StopUser()  # Locust's event hook lets it through: the user stops


def stop(runner):
    if isinstance(runner, MasterRunner):
        # Tell the workers to quit, then wait for each one's last report (sent once its users
        # stopped: no users left): Locust's own quit waits only half a second for them.
        ids = [c.id for c in runner.clients.all if c.state != "missing"]
        stopping.append(True)
        for worker in ids:
            runner.server.send_to_client(Message("quit", None, worker))
        deadline = time.monotonic() + (runner.environment.stop_timeout or 0) + 10
        while time.monotonic() < deadline and any(w not in final_reports for w in ids):
            gevent.sleep(0.05)
    runner.quit()


@events.init.add_listener
def on_init(environment, **kwargs):
    runner_environment.append(environment)
    if ITERATIONS > 0:
        # after the runner's own listener, which records the exception
        environment.events.user_error.add_listener(on_user_error)


@events.test_start.add_listener
def on_test_start(environment, **kwargs):
    runner = environment.runner
    if isinstance(runner, WorkerRunner):
        return
    if RUN_SECONDS > 0:
        gevent.spawn_later(RUN_SECONDS, stop, runner)
    if ITERATIONS > 0:
        def watch():
            while True:
                gevent.sleep(0.05)
                finished = sum(1 for n in done.values() if n >= ITERATIONS)
                spawned = runner.state not in ("spawning", "ready")
                if finished >= USERS or (spawned and len(runner.user_greenlets) == 0):
                    stop(runner)
                    return
        gevent.spawn(watch)


sys.argv[0] = "locust"
sys.exit(locust.main.main())
`;
