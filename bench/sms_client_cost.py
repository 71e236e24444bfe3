"""CPU per SMS handed to the provider: httpx (notify's client before) against the kernel's lean
client (notify's client now), each sending the same SMS to the provider's simulator, which runs
in a process of its own. This process's CPU per send is the client's cost; the simulator's CPU
per SMS (taking it, then reporting it) is printed beside it, since in `make bench` the simulator
shares the two cores with the platform it serves.

    .venv/bin/python -m bench.sms_client_cost [N]
"""

from __future__ import annotations

import asyncio
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import httpx

from dvc_notify.adapters import sms_protocol as protocol
from dvc_notify.adapters.sms_http import BrandnameSmsClient
from dvc_testing.serving import wait_healthy

# Takes the simulator's delivery reports (200, nothing else) so it does not retry them.
SINK = """
import asyncio, sys
async def answer(reader, writer):
    try:
        while True:
            head = await reader.readuntil(b"\\r\\n\\r\\n")
            lines = head.lower().split(b"\\r\\n")
            sizes = [int(l.split(b":")[1]) for l in lines if l.startswith(b"content-length")]
            await reader.readexactly(sizes[0] if sizes else 0)
            writer.write(b"HTTP/1.1 200 OK\\r\\ncontent-length: 0\\r\\n\\r\\n")
    except (asyncio.IncompleteReadError, ConnectionError):
        writer.close()
async def main():
    server = await asyncio.start_server(answer, "127.0.0.1", int(sys.argv[1]))
    await server.serve_forever()
asyncio.run(main())
"""


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def with_httpx(url: str, key: str, callback: str, n: int) -> None:
    async with httpx.AsyncClient(base_url=url, headers={"Authorization": f"Bearer {key}"}) as client:
        for i in range(n):
            body = {"brandname": "BoCongAn", "phone": "0903123456", "text": f"Hồ sơ {i} đã được tiếp nhận"}
            answer = await client.post(
                protocol.SEND_PATH, json={**body, "client_ref": f"x-{i}", "callback_url": callback}
            )
            assert answer.status_code == 202 and answer.json()["sms_id"]


async def with_lean(url: str, key: str, callback: str, n: int) -> None:
    client = BrandnameSmsClient(url, key, "BoCongAn", callback)
    for i in range(n):
        assert await client.send(f"l-{i}", "0903123456", f"Hồ sơ {i} đã được tiếp nhận")
    await client.close()


def cpu_seconds(pid: int) -> float:
    """User and system CPU of another process so far (Linux `/proc`)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def main() -> None:
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 3000
    data = Path(tempfile.mkdtemp(prefix="sms-cost-"))
    port, sink_port = free_port(), free_port()
    env = {**os.environ, "DVC_DATA_DIR": str(data), "SMS_SIM_PORT": str(port)}
    launch = "from dvc_simulators.sms_provider.main import run; run()"
    sim = subprocess.Popen([sys.executable, "-c", launch], env=env)
    sink = subprocess.Popen([sys.executable, "-c", SINK, str(sink_port)])
    url, callback = f"http://127.0.0.1:{port}", f"http://127.0.0.1:{sink_port}/receipts"
    try:
        wait_healthy(url, sim)
        key = protocol.api_key(data)
        for name, send in (("httpx", with_httpx), ("lean", with_lean)):
            asyncio.run(send(url, key, callback, 200))  # warm-up: imports, first connections
            time.sleep(1.0)  # the warm-up's reports answered
            cpu, wall, served = time.process_time(), time.perf_counter(), cpu_seconds(sim.pid)
            asyncio.run(send(url, key, callback, n))
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
            time.sleep(1.0)  # the last reports
            served = cpu_seconds(sim.pid) - served
            print(
                f"{name:6} {n} SMS: {cpu / n * 1000:.3f} CPU-ms per send, {wall / n * 1000:.2f} ms wall each;"
                f" simulator {served / n * 1000:.3f} CPU-ms per SMS"
            )
    finally:
        sim.terminate()
        sink.terminate()
        sim.wait(10)
        sink.wait(10)


if __name__ == "__main__":
    main()
