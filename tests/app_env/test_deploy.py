"""deploy/: the Kubernetes manifests are valid and safe, the HAProxy template renders valid config.

Schemas come from the kubernetes-validate package (Kubernetes' own OpenAPI, strict: unknown
fields are errors); nothing is downloaded at test time.
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import kubernetes_validate
import pytest
import yaml

from deploy.local import Layout, procfile_commands, render_haproxy, scaled_procfile, with_port

ROOT = Path(__file__).resolve().parents[2]
MANIFESTS = ROOT / "deploy" / "kubernetes"
KUBERNETES_VERSION = "1.33.0"


def documents() -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((MANIFESTS / "kustomization.yaml").read_text())
    docs = []
    for name in kustomization["resources"]:
        docs += [d for d in yaml.safe_load_all((MANIFESTS / name).read_text()) if d]
    return docs


def by_kind(kind: str) -> dict[str, dict[str, Any]]:
    return {d["metadata"]["name"]: d for d in documents() if d["kind"] == kind}


def test_every_manifest_file_is_listed_in_the_kustomization() -> None:
    listed = set(yaml.safe_load((MANIFESTS / "kustomization.yaml").read_text())["resources"])
    assert listed == {p.name for p in MANIFESTS.glob("*.yaml")} - {"kustomization.yaml"}


@pytest.mark.parametrize("document", documents(), ids=lambda d: f"{d['kind']}/{d['metadata']['name']}")
def test_manifests_match_the_kubernetes_schema(document: dict[str, Any]) -> None:
    kubernetes_validate.validate(document, KUBERNETES_VERSION, strict=True)


def test_a_broken_manifest_is_caught() -> None:
    broken = by_kind("Deployment")["rasa"]
    broken = {**broken, "spec": {**broken["spec"], "replicas": "two"}}
    with pytest.raises(kubernetes_validate.ValidationError):
        kubernetes_validate.validate(broken, KUBERNETES_VERSION, strict=True)


def env_of(container: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {e["name"]: e for e in container.get("env", [])}


def test_rasa_is_deployed_safely() -> None:
    rasa = by_kind("Deployment")["rasa"]
    assert rasa["spec"]["replicas"] >= 2
    assert by_kind("HorizontalPodAutoscaler")["rasa"]["spec"]["minReplicas"] >= 2
    container = rasa["spec"]["template"]["spec"]["containers"][0]
    args = container["args"]
    env = env_of(container)
    # the HTTP API token comes from a secret, never a literal
    assert "--auth-token=$(RASA_TOKEN)" in args  # one argument: a token may begin with "-"
    assert env["RASA_TOKEN"]["valueFrom"]["secretKeyRef"]["name"] == "mre-assistant"
    # CORS limited to the site (an https origin from the config map, not "*")
    assert args[args.index("--cors") + 1] == "$(SITE_ORIGIN)"
    origin = by_kind("ConfigMap")["mre-assistant"]["data"]["SITE_ORIGIN"]
    assert origin.startswith("https://") and "*" not in origin
    # Redis lock store and PostgreSQL tracker store, both from the secret
    for name in ("REDIS_URL", "DATABASE_URL", "TRACKER_DATABASE_URL"):
        assert "secretKeyRef" in env[name]["valueFrom"], name
    for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
        assert container[probe]["httpGet"]["path"] == "/"
    assert container["resources"]["requests"]["cpu"] and container["resources"]["requests"]["memory"]


def test_every_container_has_probes_resources_and_no_privileges() -> None:
    for name, deployment in by_kind("Deployment").items():
        assert deployment["spec"]["replicas"] >= 2, name
        pod = deployment["spec"]["template"]["spec"]
        assert pod["securityContext"]["runAsNonRoot"] is True, name
        for container in pod["containers"]:
            assert container["readinessProbe"]["httpGet"]["path"] in ("/", "/health", "/ready"), name
            assert container["livenessProbe"]["httpGet"]["path"] in ("/", "/health"), name
            assert {"cpu", "memory"} <= set(container["resources"]["requests"]), name
            assert "memory" in container["resources"]["limits"], name
            assert container["securityContext"]["allowPrivilegeEscalation"] is False, name
            for variable in env_of(container).values():
                if any(word in variable["name"] for word in ("TOKEN", "SECRET", "PASSWORD", "DATABASE_URL")):
                    assert "secretKeyRef" in variable.get("valueFrom", {}), (name, variable["name"])


def test_rasa_http_api_is_not_public() -> None:
    paths = [p["path"] for ingress in by_kind("Ingress").values() for rule in ingress["spec"]["rules"]
             for p in rule["http"]["paths"] if p["backend"]["service"]["name"] == "rasa"]
    assert sorted(paths) == ["/socket.io/", "/webhooks/"]


# ----------------------------------------------------------------- the local scaled run


def test_scaled_procfile_keeps_the_run_commands_on_other_ports() -> None:
    layout = Layout.with_replicas(3)
    text = scaled_procfile(layout, Path("/tmp/haproxy.cfg"))
    assert text.count("assistant.rasa_server") == 3 and text.count("assistant.actions.server") == 3
    for port in (*layout.rasa_backends, *layout.action_backends):
        assert f"--port {port}" in text
    assert "--port 5005" not in text and "--port 5055" not in text
    assert with_port(procfile_commands()["rasa"], 6000).count("--port 6000") == 1


@pytest.mark.skipif(not shutil.which("haproxy"), reason="haproxy not installed (make haproxy)")
def test_haproxy_configuration_is_valid(tmp_path: Path) -> None:
    config = tmp_path / "haproxy.cfg"
    config.write_text(render_haproxy(Layout()))
    result = subprocess.run(["haproxy", "-c", "-f", str(config)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert "server rasa2 127.0.0.1:5012 check" in config.read_text()
