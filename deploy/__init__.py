"""Deployment helpers: the scaled local run (HAProxy in front of replicas) and Kubernetes files."""
