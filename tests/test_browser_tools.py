import os
from pathlib import Path

import pytest

from tests.test_browser import AXE, CHROMIUM, sync_playwright


@pytest.mark.skipif(os.environ.get("CI") != "true", reason="only CI must have every browser tool")
def test_ci_has_every_tool_the_browser_tests_need():
    # The browser tests skip where a tool is missing; on CI that would hide them.
    assert Path(CHROMIUM).exists()
    assert sync_playwright is not None
    assert AXE.exists()
