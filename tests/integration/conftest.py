import pytest


def pytest_configure(config: pytest.Config) -> None:
    # Not `pytest_plugins = [...]`: pytest refuses that outside the rootdir conftest as soon as
    # this file is collected through `testpaths`. import_plugin is a no-op once it is registered.
    config.pluginmanager.import_plugin("dvc_kernel.testing.pytest_kafka")
