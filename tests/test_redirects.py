"""The one safe-redirect rule (core.redirects): only a path on this site, never another
host, in any spelling a browser would follow; used by login and by the entry buttons."""
from __future__ import annotations

import pytest

from archive.core.redirects import is_safe_path, safe_path

HOSTILE = ["//evil.example/x", "/\\evil.example", "/%5Cevil.example", "/%5cevil.example",
           "/%2F%2Fevil.example", "https://evil.example/", "javascript:alert(1)",
           "\\\\evil.example", "/\tevil", "", None, "entri/saya"]


@pytest.mark.parametrize("target", HOSTILE)
def test_other_hosts_and_backslash_tricks_are_refused(target):
    assert not is_safe_path(target)
    assert safe_path(target, "/") == "/"


@pytest.mark.parametrize("target", ["/", "/entri/saya", "/cari?q=sungai&topic=rivers",
                                    "/laporan/3#bagian"])
def test_paths_on_this_site_are_kept(target):
    assert safe_path(target, "/x") == target


@pytest.mark.parametrize("target", HOSTILE[:6])
def test_login_never_sends_the_user_elsewhere(client, target):
    from archive.seed import demo_password

    response = client.post(f"/masuk?next={target}",
                           data={"username": "cinambo", "password": demo_password("cinambo")})
    assert response.status_code == 302 and response.headers["Location"] == "/"
