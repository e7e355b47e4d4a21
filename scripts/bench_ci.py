#!/usr/bin/env python3
"""Webhook-to-claim latency and claim throughput of the CI controller, each beside an HTTP floor.

Usage: bench_ci.py ADDR ROOT_TOKEN WORKDIR PUSHES. Prints tab-separated result lines:
scenario, ours, reference name, reference, unit. Standard library only.
"""
import hashlib
import hmac
import json
import os
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request

addr, root, work, pushes = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4])
secret = b"bench-webhook-secret"
repo = "bench/app"


def call(method, path, body=None, token=root, headers=None, timeout=60):
    data = None if body is None else (body if isinstance(body, bytes) else json.dumps(body).encode())
    request = urllib.request.Request(addr + path, data=data, method=method)
    if token:
        request.add_header("Authorization", "Bearer " + token)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    for name, value in (headers or {}).items():
        request.add_header(name, value)
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            text = response.read()
            return response.status, (json.loads(text) if text else {})
    except urllib.error.HTTPError as error:
        return error.code, {}


def git(*arguments):
    return subprocess.run(["git", "-C", source, *arguments], check=True, capture_output=True, text=True).stdout.strip()


source = os.path.join(work, "source")
os.makedirs(source, exist_ok=True)
subprocess.run(["git", "init", "-q", "-b", "main", source], check=True)
matrix = ", ".join(str(n) for n in range(64))
with open(os.path.join(source, ".vault-ci.yml"), "w") as handle:
    handle.write(
        "on: { push: { branches: [main, wide] } }\n"
        "jobs:\n"
        "  build:\n"
        "    runs-on: [bench]\n"
        "    if: github.branch == 'main'\n"
        "    steps: [{ run: 'true' }]\n"
        "  wide:\n"
        "    runs-on: [bench]\n"
        "    if: github.branch == 'wide'\n"
        "    strategy: { matrix: { n: [" + matrix + "] } }\n"
        "    steps: [{ run: 'true' }]\n"
    )
git("add", ".")
commits = []
identity = ["-c", "user.name=bench", "-c", "user.email=bench@example.invalid"]
for index in range(pushes + 1):
    git(*identity, "commit", "-q", "--allow-empty" if index else "-q", "-m", f"push {index}")
    commits.append(git("rev-parse", "HEAD"))

status, _ = call("PUT", f"/v1/repos/{repo}", {"clone_url": source, "webhook_secret": secret.decode()})
assert status == 200, status
status, registration = call("POST", "/v1/runners/tokens", {})
status, runner = call(
    "POST", "/v1/runners/register",
    {"token": registration["token"], "name": "bench", "labels": ["bench"], "capacity": 64}, token=None)
runner_token = runner["token"]


def push(commit, branch="main"):
    body = json.dumps({"ref": f"refs/heads/{branch}", "after": commit, "repository": {"full_name": repo}}).encode()
    signature = "sha256=" + hmac.new(secret, body, hashlib.sha256).hexdigest()
    status, _ = call("POST", "/v1/webhooks/github", body, token=None,
                     headers={"X-GitHub-Event": "push", "X-Hub-Signature-256": signature})
    assert status in (200, 202), status


def complete(job):
    call("POST", f"/v1/jobs/{job['id']}/complete",
         {"epoch": job["epoch"], "status": "success", "exit_code": 0, "cleanup": {}}, token=runner_token)


# Warm the mirror with the first commit.
push(commits[0])
status, job = call("GET", "/v1/jobs?wait=30", token=runner_token)
complete(job)

latencies = []
for commit in commits[1:]:
    result = {}

    def wait():
        result["answer"] = call("GET", "/v1/jobs?wait=30", token=runner_token)
        result["at"] = time.perf_counter()

    waiter = threading.Thread(target=wait)
    waiter.start()
    time.sleep(0.02)
    started = time.perf_counter()
    push(commit)
    waiter.join()
    status, job = result["answer"]
    assert status == 200, status
    latencies.append((result["at"] - started) * 1000)
    complete(job)

floor = []
for _ in range(200):
    started = time.perf_counter()
    call("GET", "/v1/health", token=None)
    floor.append((time.perf_counter() - started) * 1000)


def percentile(values, fraction):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(fraction * (len(ordered) - 1))))]


print(f"webhook to first job claimed, p50 over {pushes} pushes\t{percentile(latencies, 0.5):.1f}\t"
      f"GET /v1/health round trip, p50\t{percentile(floor, 0.5):.2f}\tms")
print(f"webhook to first job claimed, p99 over {pushes} pushes\t{percentile(latencies, 0.99):.1f}\t"
      f"GET /v1/health round trip, p99\t{percentile(floor, 0.99):.2f}\tms")

# Claim throughput: one push of a 64-combination matrix, four runner threads claiming and completing.
git(*identity, "checkout", "-q", "-b", "wide")
git(*identity, "commit", "-q", "--allow-empty", "-m", "wide")
push(git("rev-parse", "HEAD"), branch="wide")
time.sleep(2)
claimed = []
lock = threading.Lock()


def claimer():
    while True:
        status, job = call("GET", "/v1/jobs?wait=0", token=runner_token)
        if status != 200:
            return
        complete(job)
        with lock:
            claimed.append(job["id"])


started = time.perf_counter()
threads = [threading.Thread(target=claimer) for _ in range(4)]
[thread.start() for thread in threads]
[thread.join() for thread in threads]
elapsed = time.perf_counter() - started
health_started = time.perf_counter()
for _ in range(len(claimed) * 2):
    call("GET", "/v1/health", token=None)
health_rate = len(claimed) * 2 / (time.perf_counter() - health_started)
print(f"job claims per second (claim + complete, {len(claimed)} jobs, 4 runners)\t{len(claimed) / elapsed:.1f}\t"
      f"GET /v1/health requests per second, one client\t{health_rate:.1f}\tjobs/s")
