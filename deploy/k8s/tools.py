"""The tools tests/deploy needs, fetched from the registries our machines reach and cached in .cache/.

    .venv/bin/python deploy/k8s/tools.py install     # what `make deploy-tools` runs

- kustomize, built from its Go module with the installed Go (the Go module proxy is reachable,
  GitHub release binaries are not): .cache/kustomize/<version>/kustomize
- Strimzi's CustomResourceDefinitions for Kafka, KafkaNodePool and KafkaTopic. Strimzi's api jar
  on Maven Central holds the model classes, not the YAML; Strimzi's own build renders the CRDs by
  running its CrdGenerator over those classes, and so do we, with the arguments of the api pom's
  exec steps (deploy/k8s/strimzi/pom.xml resolves both). The generator needs Java 21 or newer:
  STRIMZI_JAVA, else `java` on PATH, else the newest JDK under /usr/lib/jvm.
  Output: .cache/strimzi/<version>/crds/*.yaml

Each install writes into a scratch directory and renames it, under a lock, so an interrupted or
concurrent run never leaves a half-made tool behind.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
CACHE = Path(os.environ.get("DVC_DEPLOY_TOOLS_CACHE", REPO / ".cache"))
KUSTOMIZE_VERSION = "v5.8.1"
KUSTOMIZE_MODULE = "sigs.k8s.io/kustomize/kustomize/v5"
STRIMZI_POM = Path(__file__).resolve().parent / "strimzi" / "pom.xml"
# Must match <strimzi.version> in strimzi/pom.xml.
STRIMZI_VERSION = "0.49.1"
# CRD file name (as in Strimzi's packaging/install/cluster-operator) -> model class, and the
# api versions the release serves for it (from the api pom's exec-maven-plugin steps).
STRIMZI_CRDS = {
    "040-Crd-kafka.yaml": "io.strimzi.api.kafka.model.kafka.Kafka",
    "043-Crd-kafkatopic.yaml": "io.strimzi.api.kafka.model.topic.KafkaTopic",
    "044-Crd-kafkauser.yaml": "io.strimzi.api.kafka.model.user.KafkaUser",
    "045-Crd-kafkanodepool.yaml": "io.strimzi.api.kafka.model.nodepool.KafkaNodePool",
}
MIN_JAVA = 21


class ToolError(RuntimeError):
    pass


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        yield


def _run(cmd: list[str], env: dict[str, str] | None = None) -> None:
    result = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if result.returncode != 0:
        raise ToolError(f"{' '.join(cmd)} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")


def kustomize() -> Path:
    """The kustomize binary, built with `go install` on first use."""
    home = CACHE / "kustomize" / KUSTOMIZE_VERSION
    binary = home / "kustomize"
    if binary.exists():
        return binary
    with _locked(home.parent / ".install.lock"):
        if binary.exists():
            return binary
        go = shutil.which("go")
        if go is None:
            raise ToolError("Go is needed to build kustomize (go install); install golang")
        scratch = Path(tempfile.mkdtemp(prefix=".kustomize-", dir=home.parent))
        try:
            env = {**os.environ, "GOBIN": str(scratch), "CGO_ENABLED": "0", "GOFLAGS": "-buildvcs=false"}
            _run([go, "install", f"{KUSTOMIZE_MODULE}@{KUSTOMIZE_VERSION}"], env=env)
            home.mkdir(parents=True, exist_ok=True)
            (scratch / "kustomize").rename(binary)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return binary


def _java_major(java: str) -> int:
    out = subprocess.run([java, "-version"], capture_output=True, text=True, check=False).stderr
    match = re.search(r'version "(\d+)', out)
    return int(match.group(1)) if match else 0


def find_java() -> str:
    candidates = [os.environ.get("STRIMZI_JAVA", ""), shutil.which("java") or ""]
    candidates += sorted((str(p) for p in Path("/usr/lib/jvm").glob("*/bin/java")), reverse=True)
    seen = []
    for java in candidates:
        if java and Path(java).exists():
            major = _java_major(java)
            seen.append(f"{java} ({major or '?'})")
            if major >= MIN_JAVA:
                return java
    raise ToolError(
        f"Strimzi's CRD generator needs Java {MIN_JAVA}+; found {', '.join(seen) or 'none'}. "
        "Install a newer JDK (e.g. Debian's openjdk-21-jdk-headless) or set STRIMZI_JAVA."
    )


def strimzi_crds() -> Path:
    """Directory holding Strimzi's CRD YAMLs for STRIMZI_VERSION, generated on first use."""
    home = CACHE / "strimzi" / STRIMZI_VERSION
    crds = home / "crds"

    def complete() -> bool:  # a CRD added to STRIMZI_CRDS regenerates the cache
        return (crds / ".complete").exists() and all((crds / name).exists() for name in STRIMZI_CRDS)

    if complete():
        return crds
    with _locked(home.parent / ".install.lock"):
        if complete():
            return crds
        mvn = shutil.which("mvn")
        if mvn is None:
            raise ToolError("Maven (mvn) is needed to fetch Strimzi's api jar; install maven")
        java = find_java()
        home.mkdir(parents=True, exist_ok=True)
        scratch = Path(tempfile.mkdtemp(prefix=".crds-", dir=home))
        try:
            libs = scratch / "libs"
            _run(
                [
                    mvn,
                    "-q",
                    "-B",
                    "-f",
                    str(STRIMZI_POM),
                    "dependency:copy-dependencies",
                    f"-Dstrimzi.version={STRIMZI_VERSION}",
                    f"-DoutputDirectory={libs}",
                ]
            )
            out = scratch / "crds"
            out.mkdir()
            # The api pom's arguments: all CRDs serve v1 (and the deprecated v1beta2, the
            # storage version). KafkaTopic also keeps older versions there; we use v1 only.
            args = [
                java,
                "-cp",
                f"{libs}/*",
                "io.strimzi.crdgenerator.CrdGenerator",
                "--label",
                "app:strimzi",
                "--label",
                "strimzi.io/crd-install:true",
                "--target-kube",
                "1.16+",
                "--crd-api-version",
                "v1",
                "--api-versions",
                "v1beta2,v1",
                "--storage-version",
                "v1beta2",
                "--yaml",
            ]
            args += [f"{cls}={out / name}" for name, cls in STRIMZI_CRDS.items()]
            _run(args)
            (out / ".complete").touch()
            if crds.exists():
                shutil.rmtree(crds)
            out.rename(crds)
        finally:
            shutil.rmtree(scratch, ignore_errors=True)
    return crds


def main(argv: list[str]) -> int:
    if argv[1:] != ["install"]:
        print(__doc__)
        return 2
    try:
        print(f"kustomize: {kustomize()}")
        print(f"strimzi CRDs: {strimzi_crds()}")
    except ToolError as exc:
        print(exc, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
