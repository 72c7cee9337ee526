"""What tests of several modules share: worlds to test in, clients that talk like a browser, a live server.

Test modules import from here (``from tests.support.respondent import Respondent``), never from a conftest:
pytest imports every ``conftest.py`` under the same name, so which one ``from conftest import`` finds depends on
the order the files were collected in.
"""
